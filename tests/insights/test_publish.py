"""``insights: {publish: true}``: a real ``mkdocs build`` puts the report under /insights/."""

from __future__ import annotations

import re
from pathlib import Path

from fireside.commands.cli import main
from tests.conftest import Project
from tests.insights.conftest import staff_name, write_fixture


def test_publish_builds_report_and_inboxes(tmp_path: Path) -> None:
    project = Project(tmp_path / "proj")
    write_fixture(project)
    project.config_extra["strict"] = True  # no warning from the generated pages
    site = project.build(insights={"publish": True})
    report = site / "insights"
    for rel in ("index.html", "measured.html", "insights.json", "posts.csv", "leaders.csv",
                "qa.csv", "months.csv", "categories.csv", "inbox/ceo/index.html",
                "inbox/cfo/index.html"):
        assert (report / rel).is_file(), rel
    # The same figures as the command writes.
    out = tmp_path / "cli"
    assert main(["insights", "-f", str(project.root / "mkdocs.yml"), "-o", str(out)]) == 0
    assert (report / "insights.json").read_bytes() == (out / "insights.json").read_bytes()
    # Post links are relative and land on built pages.
    html = (report / "index.html").read_text(encoding="utf-8")
    links = set(re.findall(r'href="\.\./([^"]+)"', html))
    assert "posts/post-five-people/" in links and "qa/ask-the-ceo/" in links
    for link in links:
        assert (site / link / "index.html").is_file(), link
    inbox = (report / "inbox" / "ceo" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../../posts/post-five-people/"' in inbox
    # Not in the navigation or the sitemap; no staff name in any published report file.
    assert "insights" not in (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "insights/" not in (site / "index.html").read_text(encoding="utf-8")
    for path in report.glob("*.*"):
        assert staff_name(1) not in path.read_text(encoding="utf-8")


def test_off_by_default(tmp_path: Path) -> None:
    project = Project(tmp_path / "proj")
    write_fixture(project)
    site = project.build()
    assert not (site / "insights").exists()
