"""Reused page output: warm builds equal cold ones, and every part of the key renders again.

Tests plant a marker as a page's kept output and rebuild: the marker shows up only when the
build reused the page, so "marker gone and the change visible" proves the page was rendered.
"""

from __future__ import annotations

import filecmp
import json
import shutil
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

import pytest

from fireside.adapter import page_outputs
from fireside.core.output_cache import BLOB_FILE, INDEX_FILE, OutputStore
from tests.conftest import Project, make_reply, save_thread

KEPT = "KEPT-OUTPUT"
MARKER = f"<html><head></head><body>{KEPT}</body></html>"
ALPHA = "posts/alpha/index.html"


def _store(project: Project) -> Path:
    return project.root / ".cache" / "fireside"


def _index(project: Project) -> dict[str, dict[str, object]]:
    lines = (_store(project) / INDEX_FILE).read_text(encoding="utf-8").splitlines()[1:]
    return {r["page"]: r for r in map(json.loads, lines)}


def _plant(project: Project, page: str = ALPHA) -> None:
    """Make the kept output of ``page`` the marker (appended to the blob, index updated)."""
    blob, index = _store(project) / BLOB_FILE, _store(project) / INDEX_FILE
    offset = blob.stat().st_size
    with blob.open("ab") as out:
        out.write(MARKER.encode())
    header, *lines = index.read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    for record in records:
        if record["page"] == page:
            record.update(offset=offset, length=len(MARKER.encode()))
    index.write_text("\n".join([header, *map(json.dumps, records)]) + "\n", encoding="utf-8")


def _snaps(project: Project) -> Path:
    return project.root / "data" / "discussions"


@pytest.fixture
def blog(project: Project) -> Project:
    """Three posts (one scheduled), a discussion, a Q&A session, a page in the nav."""
    project.post("alpha", "Alpha opens.\n\n<!-- more -->\n\n## Part\n\nAlpha ends.\n",
                 date="2026-01-10 09:00", categories=["News"], tags=["q1"],
                 discussion="yammer:2000000001")
    project.post("beta", "Beta opens.\n\n<!-- more -->\n\nBeta ends.\n",
                 date="2026-01-11 09:00", categories=["News"])
    project.post("later", "Later.\n", date="2026-07-01 09:00")
    project.write("qa/ask-us.md", "---\ntitle: Ask us\ndate: 2026-02-01 09:00\nhosts: [ceo]\n"
                  "discussion: yammer:2000000002\nstatus: closed\n---\n\nAsk away.\n")
    save_thread(_snaps(project), "2000000001", [make_reply("101", name="Kim Reader", likes=3)])
    save_thread(_snaps(project), "2000000002", [make_reply("201", name="Asker", likes=2)])
    project.write("about.md", "# About\n\nUs.\n")
    project.config_extra = {"nav": [{"Blog": "index.md"}, {"About": "about.md"}]}
    return project


def _rebuild_shows(project: Project, change: Callable[[], object], page: str, text: str,
                   **options: object) -> None:
    project.build()
    _plant(project, page)
    project.build()
    assert KEPT in project.html(page.removesuffix("index.html")), "control: reused"
    change()
    project.build(**options)  # type: ignore[arg-type]
    html = project.html(page.removesuffix("index.html"))
    assert KEPT not in html and text in html


def test_warm_build_equals_cold_build_byte_for_byte(blog: Project) -> None:
    blog.build()
    cold = blog.root / "cold"
    shutil.copytree(blog.site_dir, cold)
    shutil.rmtree(blog.site_dir)
    blog.build()
    files = sorted(str(p.relative_to(cold)) for p in cold.rglob("*") if p.is_file())
    assert files == sorted(str(p.relative_to(blog.site_dir))
                           for p in blog.site_dir.rglob("*") if p.is_file())
    _, mismatch, errors = filecmp.cmpfiles(cold, blog.site_dir, files, shallow=False)
    assert (mismatch, errors) == ([], [])
    kept = _index(blog)
    assert {ALPHA, "index.html", "category/news/index.html", "qa/ask-us/index.html"} <= set(kept)
    assert "about/index.html" not in kept  # the author's own pages are always rendered
    assert "Kim Reader" in blog.html("posts/alpha/")


def test_unchanged_pages_are_reused_and_on_post_page_still_runs(blog: Project) -> None:
    blog.build()
    for page in (ALPHA, "index.html"):
        _plant(blog, page)
    blog.build()
    alpha, index = blog.html("posts/alpha/"), blog.html("")
    assert KEPT in alpha and KEPT in index
    assert KEPT not in blog.html("posts/beta/")
    # Only the template render is reused: Fireside's on_post_page still adds the feed links
    # to the reused page's <head>.
    head = alpha.split("</head>")[0]
    assert 'type="application/rss+xml"' in head and "<title>" not in head


def test_edited_post_is_rendered_again(blog: Project) -> None:
    path = blog.docs / "posts" / "alpha.md"
    _rebuild_shows(blog, lambda: path.write_text(path.read_text(encoding="utf-8").replace(
        "Alpha ends.", "A new ending."), encoding="utf-8"), ALPHA, "A new ending.")


def test_neighbours_new_title_renders_the_post_again(blog: Project) -> None:
    path = blog.docs / "posts" / "beta.md"
    _rebuild_shows(blog, lambda: path.write_text(path.read_text(encoding="utf-8").replace(
        "title: Beta", "title: Beta Renamed"), encoding="utf-8"), ALPHA, "Beta Renamed")


def test_changed_excerpt_renders_the_listings_again(blog: Project) -> None:
    path = blog.docs / "posts" / "beta.md"
    _rebuild_shows(blog, lambda: path.write_text(path.read_text(encoding="utf-8").replace(
        "Beta opens.", "Beta opens anew."), encoding="utf-8"), "index.html", "Beta opens anew.")


def test_new_snapshot_renders_the_post_again(blog: Project) -> None:
    _rebuild_shows(blog, lambda: save_thread(_snaps(blog), "2000000001", [
        make_reply("101", name="Kim Reader", likes=3),
        make_reply("102", name="Lee Newcomer", likes=9)]), ALPHA, "Lee Newcomer")


def test_new_qa_snapshot_renders_the_session_again(blog: Project) -> None:
    _rebuild_shows(blog, lambda: save_thread(_snaps(blog), "2000000002", [
        make_reply("201", name="Asker", likes=2),
        make_reply("202", name="Second Asker", likes=5)]), "qa/ask-us/index.html",
        "Second Asker")


def test_author_change_renders_the_post_again(blog: Project) -> None:
    from tests.conftest import AUTHORS

    def change() -> None:
        blog.authors({**AUTHORS, "ceo": {**AUTHORS["ceo"], "description": "Chief Storyteller"}})
    _rebuild_shows(blog, change, ALPHA, "Chief Storyteller")


def test_time_passing_publishes_a_scheduled_post_everywhere(blog: Project) -> None:
    _rebuild_shows(blog, lambda: None, "index.html", "Later", now="2026-08-01 12:00")
    html = blog.html("posts/beta/")
    assert "Later" in html  # beta's newer neighbour is the newly published post


def test_changed_configuration_renders_again(blog: Project) -> None:
    def change() -> None:
        blog.config_extra["copyright"] = "Copyright Acme Holdings"
    _rebuild_shows(blog, change, ALPHA, "Copyright Acme Holdings")


def test_changed_nav_renders_again(blog: Project) -> None:
    blog.write("people.md", "# People\n\nTeam.\n")

    def change() -> None:
        blog.config_extra["nav"] = [*blog.config_extra["nav"], {"Our people": "people.md"}]
    _rebuild_shows(blog, change, ALPHA, "Our people")


def test_template_in_custom_dir_renders_again(blog: Project) -> None:
    blog.config_extra["theme"] = {"name": "material", "font": False, "custom_dir": "overrides"}
    overrides = blog.root / "overrides"
    overrides.mkdir()

    def change() -> None:
        (overrides / "main.html").write_text(
            '{% extends "base.html" %}{% block announce %}Town hall on Friday{% endblock %}',
            encoding="utf-8")
    _rebuild_shows(blog, change, ALPHA, "Town hall on Friday")


def test_changed_language_renders_again(blog: Project) -> None:
    def change() -> None:
        blog.config_extra["theme"] = {"name": "material", "font": False, "language": "de"}
    _rebuild_shows(blog, change, ALPHA, "Diskussion")


def test_edited_fireside_file_renders_again(blog: Project, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "package"
    package.mkdir()
    (package / "helpers.py").write_text("one\n", encoding="utf-8")
    monkeypatch.setattr(page_outputs, "PACKAGE", package)

    def change() -> None:  # the same size, new bytes
        (package / "helpers.py").write_text("two\n", encoding="utf-8")
        stat = (package / "helpers.py").stat()
        import os
        os.utime(package / "helpers.py", ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    _rebuild_shows(blog, change, ALPHA, "Alpha ends.")


@pytest.mark.parametrize("package", ["jinja2", "mkdocs-material", "fireside"])
def test_new_package_version_renders_again(blog: Project, package: str,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    real = metadata.version

    def change() -> None:
        monkeypatch.setattr(metadata, "version",
                            lambda name: "99.0" if name == package else real(name))
    _rebuild_shows(blog, change, ALPHA, "Alpha ends.")


def test_a_hook_that_changes_the_context_turns_reuse_off(blog: Project) -> None:
    (blog.root / "hooks.py").write_text(
        "import itertools\nCOUNT = itertools.count(1)\n"
        "def on_page_context(context, page, config, nav):\n"
        "    page.meta['hook_build'] = next(COUNT)\n    return context\n", encoding="utf-8")
    blog.config_extra["hooks"] = ["hooks.py"]
    blog.build()
    assert not (_store(blog) / INDEX_FILE).exists()
    blog.build()
    assert not (_store(blog) / INDEX_FILE).exists()


def test_cache_false_keeps_no_output(blog: Project) -> None:
    blog.build(cache=False)
    assert not _store(blog).exists()


def test_damaged_store_is_rendered_again(blog: Project) -> None:
    blog.build()
    expected = blog.html("posts/alpha/")
    blob = _store(blog) / BLOB_FILE
    blob.write_bytes(blob.read_bytes()[:100])  # truncated: every offset points past the end
    blog.build()
    assert blog.html("posts/alpha/") == expected
    (_store(blog) / INDEX_FILE).write_text("{not json\n", encoding="utf-8")
    blog.build()
    assert blog.html("posts/alpha/") == expected


def test_failed_build_keeps_the_previous_index(blog: Project) -> None:
    blog.build()
    before = (_store(blog) / INDEX_FILE).read_bytes()
    blog.post("broken", "Body.\n", date="not a date")
    with pytest.raises(Exception):  # noqa: B017 (MkDocs' own error type for a failed build)
        blog.build()
    assert (_store(blog) / INDEX_FILE).read_bytes() == before


def test_store_compacts_and_survives_a_foreign_blob(tmp_path: Path) -> None:
    store = OutputStore(tmp_path)
    for round_no in range(3):  # the same page, rewritten: the blob grows with dead copies
        store.put("a.html", f"k{round_no}", "x" * 600_000 + str(round_no))
        store.save({"a.html"})
        store = OutputStore(tmp_path)
    assert store.get("a.html", "k2") == "x" * 600_000 + "2"
    assert (tmp_path / BLOB_FILE).stat().st_size < 2 * 600_100 + 1_048_576
    assert store.get("a.html", "k1") is None
    (tmp_path / BLOB_FILE).write_bytes(b"another token\n" + b"x" * 700_000)
    assert OutputStore(tmp_path).get("a.html", "k2") is None
