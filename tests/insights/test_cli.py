"""The commands end to end: exit codes and clear messages, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from fireside.commands.cli import main
from tests.conftest import Project
from tests.insights.conftest import write_fixture

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def fixture_copy(tmp_path: Path) -> Project:
    project = Project(tmp_path / "proj")
    write_fixture(project)
    return project


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "fireside.commands.cli", *args], cwd=cwd,
                          capture_output=True, text=True, env=env, timeout=120, check=False)


def test_default_output_beside_mkdocs_yml(fixture_copy: Project) -> None:
    result = _run("insights", cwd=fixture_copy.root)
    assert result.returncode == 0, result.stderr
    assert "Wrote the engagement report to" in result.stdout
    assert "6 posts, 2 leaders, 7 discussions, 1 stale; as of 2026-06-01T11:00:00Z" in \
        result.stdout
    assert (fixture_copy.root / "insights" / "insights.json").is_file()
    assert not (fixture_copy.root / "site").exists()  # nothing goes into the public site
    result = _run("inbox", cwd=fixture_copy.root)
    assert result.returncode == 0 and "Wrote 2 inbox page(s)" in result.stdout
    assert (fixture_copy.root / "insights" / "inbox" / "ceo" / "index.html").is_file()


def test_missing_config(tmp_path: Path) -> None:
    result = _run("insights", "-f", "nope.yml", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("fireside insights: nope.yml: not found")
    assert "Traceback" not in result.stderr


def _set(project: Project, **insights: object) -> Path:
    options = dict(project.options)
    options["insights"] = insights
    data = yaml.safe_load((project.root / "mkdocs.yml").read_text(encoding="utf-8"))
    data["plugins"] = ["search", {"fireside": options}]
    path = project.root / "mkdocs.yml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


@pytest.mark.parametrize(("insights", "message"), [
    ({"min_group": 4}, "option 'insights.min_group' is 4; expected a whole number of at least 5"),
    ({"target_posts_per_week": 0}, "option 'insights.target_posts_per_week' is 0; expected a "
                                   "number above 0"),
    ({"min_grup": 5}, "min_grup"),
])
def test_bad_options(fixture_copy: Project, capsys: pytest.CaptureFixture[str],
                     insights: dict[str, object], message: str) -> None:
    config = _set(fixture_copy, **insights)
    out = fixture_copy.root / "out"
    assert main(["insights", "-f", str(config), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not out.exists()  # nothing written


def test_min_group_raised_suppresses_more(fixture_copy: Project) -> None:
    config = _set(fixture_copy, min_group=6)
    out = fixture_copy.root / "out"
    assert main(["insights", "-f", str(config), "-o", str(out)]) == 0
    html = (out / "index.html").read_text(encoding="utf-8")
    assert "fewer than 6" in html
    posts = (out / "posts.csv").read_text(encoding="utf-8")
    five = next(line for line in posts.splitlines() if "post-five-people" in line)
    assert "fewer than 6" in five


def test_output_inside_site_or_content_refused(fixture_copy: Project,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    config = str(fixture_copy.root / "mkdocs.yml")
    for inside in ("site/insights", "content/insights"):
        assert main(["insights", "-f", config, "-o", str(fixture_copy.root / inside)]) == 1
        err = capsys.readouterr().err
        assert "choose a folder outside it with -o" in err
        assert not (fixture_copy.root / inside).exists()


def test_broken_moderation_file(fixture_copy: Project, capsys: pytest.CaptureFixture[str]) -> None:
    (fixture_copy.root / "data" / "moderation.yml").write_text("hidden: 3\n", encoding="utf-8")
    assert main(["inbox", "-f", str(fixture_copy.root / "mkdocs.yml"), "-o",
                 str(fixture_copy.root / "out")]) == 1
    err = capsys.readouterr().err
    assert "moderation file" in err and "expected 'hidden:' followed by a list" in err
    assert not (fixture_copy.root / "out").exists()


def test_content_errors_reported(fixture_copy: Project,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    fixture_copy.post("broken", authors=["nobody"])
    assert main(["insights", "-f", str(fixture_copy.root / "mkdocs.yml"), "-o",
                 str(fixture_copy.root / "out")]) == 1
    err = capsys.readouterr().err
    assert "the content has errors" in err and "unknown author 'nobody'" in err


def test_empty_blog_and_discussions_off(tmp_path: Path) -> None:
    project = Project(tmp_path / "proj")
    config = str(project.config())
    assert main(["insights", "-f", config, "-o", str(tmp_path / "a")]) == 0
    data = (tmp_path / "a" / "insights.json").read_text(encoding="utf-8")
    assert '"posts": []' in data and '"newest_snapshot": null' in data
    project.post("hello", discussion="yammer:123")
    config = str(project.config(discussions={"enabled": False}))
    assert main(["insights", "-f", config, "-o", str(tmp_path / "b")]) == 0
    assert main(["inbox", "-f", config, "-o", str(tmp_path / "b")]) == 0
    posts = (tmp_path / "b" / "posts.csv").read_text(encoding="utf-8").splitlines()
    assert len(posts) == 2 and ",not synced," in posts[1]
