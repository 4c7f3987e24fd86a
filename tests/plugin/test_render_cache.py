"""The render cache: warm builds equal cold ones, and every part of the key forces a conversion.

Most tests plant a marker in a cached page and rebuild: the marker shows up only when the build
took the page from the cache, so "marker absent and the change visible" proves a miss.
"""

from __future__ import annotations

import filecmp
import json
import shutil
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest

from fireside.commands.cli import main
from fireside.core.render_cache import (
    SCHEMA_VERSION,
    RenderCache,
    Rendered,
    Unstable,
    stable_repr,
)
from tests.conftest import Project

MARKER = "<p>FROM-THE-CACHE</p>"


def _cache_file(project: Project) -> Path:
    return project.root / ".cache" / "fireside" / "pages.jsonl"


def _records(project: Project) -> list[dict[str, Any]]:
    lines = _cache_file(project).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines[1:]]


def _rewrite(project: Project, change: Callable[[dict[str, Any]], None]) -> None:
    """Apply ``change`` to every record of the cache file."""
    path = _cache_file(project)
    header, *lines = path.read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    for record in records:
        change(record)
    path.write_text("\n".join([header, *map(json.dumps, records)]) + "\n", encoding="utf-8")


def _pages(project: Project) -> set[str]:
    return {r["page"] for r in _records(project) if "memo" not in r}


def _plant(project: Project, src: str) -> None:
    """Replace the cached HTML of ``src`` with the marker."""
    def change(record: dict[str, Any]) -> None:
        if record["page"] == src and "memo" not in record:
            record["content"] = MARKER

    _rewrite(project, change)


@pytest.fixture
def linked(project: Project) -> Project:
    """Two posts; Alpha links to Beta and has headings (a table of contents)."""
    project.post("alpha", "Alpha opens.\n\n## First part\n\nSee [Beta](beta.md#more) and "
                 "![chart](../img/chart.svg).\n\n## Second part\n\nThe end.\n",
                 date="2026-01-10 09:00")
    project.post("beta", "Beta body.\n\n## More\n\nText.\n", date="2026-01-11 09:00")
    project.write("img/chart.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>")
    return project


def _cold_and_warm(project: Project) -> tuple[Path, Path]:
    project.build()
    cold = project.root / "cold"
    shutil.copytree(project.site_dir, cold)
    shutil.rmtree(project.site_dir)
    project.build()
    return cold, project.site_dir


def _same_tree(left: Path, right: Path) -> None:
    files = sorted(p.relative_to(left) for p in left.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(right) for p in right.rglob("*") if p.is_file())
    match, mismatch, errors = filecmp.cmpfiles(left, right, [str(f) for f in files],
                                               shallow=False)
    assert (mismatch, errors) == ([], [])
    assert len(match) == len(files) > 20


def test_warm_build_equals_cold_build_byte_for_byte(linked: Project) -> None:
    linked.config_extra = {"markdown_extensions": [{"toc": {"permalink": True}}, "attr_list"]}
    cold, warm = _cold_and_warm(linked)
    _same_tree(cold, warm)
    assert {"posts/alpha.md", "posts/beta.md"} <= _pages(linked)
    html = linked.html("posts/alpha/")
    assert 'href="../beta/#more"' in html and 'href="#first-part"' in html  # link and TOC


def test_unchanged_page_comes_from_the_cache(linked: Project) -> None:
    linked.build()
    _plant(linked, "posts/alpha.md")
    linked.build()
    assert MARKER in linked.html("posts/alpha/")
    assert MARKER not in linked.html("posts/beta/")


def test_edited_source_is_converted_again(linked: Project) -> None:
    linked.build()
    _plant(linked, "posts/alpha.md")
    path = linked.docs / "posts" / "alpha.md"
    path.write_text(path.read_text(encoding="utf-8").replace("The end.", "A new ending."),
                    encoding="utf-8")
    linked.build()
    html = linked.html("posts/alpha/")
    assert MARKER not in html and "A new ending." in html


def test_new_page_url_is_converted_again(linked: Project) -> None:
    linked.build()
    _plant(linked, "posts/alpha.md")
    linked.build(post_url_format="news/{yyyy}/{slug}")
    html = linked.html("news/2026/alpha/")
    assert MARKER not in html and 'href="../beta/#more"' in html


@pytest.mark.parametrize("before, after", [
    (["toc"], [{"toc": {"permalink": True}}]),  # an extension's configuration
    ([{"toc": {"permalink": True}}], [{"toc": {"permalink": "§"}}]),
    (["toc"], ["toc", "admonition"]),  # one more extension
])
def test_changed_markdown_extensions_convert_again(linked: Project, before: list[Any],
                                                   after: list[Any]) -> None:
    linked.config_extra = {"markdown_extensions": before}
    linked.build()
    _plant(linked, "posts/alpha.md")
    linked.config_extra = {"markdown_extensions": after}
    linked.build()
    html = linked.html("posts/alpha/")
    assert MARKER not in html and "First part" in html
    if after == [{"toc": {"permalink": "§"}}]:
        assert 'class="headerlink" href="#first-part" title="Permanent link">§</a>' in html


@pytest.mark.parametrize("package", ["mkdocs", "mkdocs-material", "markdown", "fireside"])
def test_new_package_version_converts_again(linked: Project, package: str,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    linked.build()
    _plant(linked, "posts/alpha.md")
    real = metadata.version

    def version(name: str) -> str:
        return "99.0" if name == package else real(name)

    monkeypatch.setattr(metadata, "version", version)
    linked.build()
    assert MARKER not in linked.html("posts/alpha/")


def test_link_target_that_moves_converts_again(linked: Project) -> None:
    linked.build()
    _plant(linked, "posts/alpha.md")
    beta = linked.docs / "posts" / "beta.md"
    beta.write_text(beta.read_text(encoding="utf-8").replace("title: Beta", "slug: beta-moved"),
                    encoding="utf-8")
    linked.build()
    html = linked.html("posts/alpha/")
    assert MARKER not in html and 'href="../beta-moved/#more"' in html


def test_link_target_that_disappears_converts_again(linked: Project) -> None:
    linked.build()
    _plant(linked, "posts/alpha.md")
    (linked.docs / "posts" / "beta.md").unlink()
    linked.build()
    html = linked.html("posts/alpha/")
    assert MARKER not in html and 'href="beta.md#more"' in html  # left as written, and warned


def test_link_target_that_appears_converts_again(linked: Project) -> None:
    # Missing link targets only at debug level, so the page is cached with its broken link.
    linked.config_extra = {"validation": {"links": {"not_found": "ignore"}}}
    (linked.docs / "posts" / "beta.md").unlink()
    linked.build()
    _plant(linked, "posts/alpha.md")
    linked.post("beta", "Beta is back.\n", date="2026-01-11 09:00")
    linked.build()
    html = linked.html("posts/alpha/")
    assert MARKER not in html and 'href="../beta/#more"' in html


def test_image_that_appears_converts_again(linked: Project) -> None:
    linked.config_extra = {"validation": {"links": {"not_found": "ignore"}}}
    (linked.docs / "img" / "chart.svg").unlink()
    linked.build()
    _plant(linked, "posts/alpha.md")
    linked.write("img/chart.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>")
    linked.build()
    assert MARKER not in linked.html("posts/alpha/")


def test_page_with_a_warning_is_not_cached_and_warns_every_build(
        linked: Project, caplog: pytest.LogCaptureFixture) -> None:
    linked.post("gamma", "Broken [link](missing.md).\n", date="2026-01-12 09:00")
    for _ in range(2):
        linked.build()
        assert "posts/gamma.md" not in _pages(linked)
        assert sum("missing.md" in r.getMessage() for r in caplog.records) == 1
        caplog.clear()


def test_cache_false_neither_reads_nor_writes(linked: Project) -> None:
    linked.build()
    _plant(linked, "posts/alpha.md")
    before = _cache_file(linked).read_bytes()
    linked.build(cache=False)
    assert MARKER not in linked.html("posts/alpha/")
    assert _cache_file(linked).read_bytes() == before


def test_cache_false_creates_no_cache(linked: Project) -> None:
    linked.build(cache=False)
    assert not (linked.root / ".cache").exists()


def test_file_reading_extension_turns_the_cache_off(linked: Project) -> None:
    linked.config_extra = {"markdown_extensions": ["pymdownx.snippets"]}
    linked.build()
    assert not (linked.root / ".cache").exists()


def test_pages_no_longer_built_are_dropped(linked: Project) -> None:
    gamma = linked.post("gamma", "Gamma.\n", date="2026-01-12 09:00")
    linked.build()
    assert "posts/gamma.md" in _pages(linked)
    gamma.unlink()
    linked.build()
    assert "posts/gamma.md" not in _pages(linked) and "posts/alpha.md" in _pages(linked)


def test_cli_cache_clear(linked: Project, capsys: pytest.CaptureFixture[str]) -> None:
    linked.build()
    config = str(linked.root / "mkdocs.yml")
    assert main(["cache", "clear", "-f", config]) == 0
    assert "Cleared the build cache" in capsys.readouterr().out
    assert not (linked.root / ".cache" / "fireside").exists()
    assert main(["cache", "clear", "-f", config]) == 0
    assert "No build cache to clear" in capsys.readouterr().out
    assert main(["cache", "clear", "-f", str(linked.root / "nope.yml")]) == 1
    assert "nope.yml: not found" in capsys.readouterr().err


def test_damaged_or_foreign_cache_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "pages.jsonl"
    path.write_text("{not json\n", encoding="utf-8")
    assert RenderCache(tmp_path, "env").get("a.md", "k", lambda _: None) is None
    record = json.dumps({"page": "a.md", "key": "k", "links": {}, "content": "<p>x</p>",
                         "toc": [], "title": None, "anchors": [], "links_to_anchors": None})
    for header in ({"schema_version": SCHEMA_VERSION, "environment": "other"},
                   {"schema_version": SCHEMA_VERSION - 1, "environment": "env"}):
        path.write_text(json.dumps(header) + "\n" + record + "\n", encoding="utf-8")
        assert RenderCache(tmp_path, "env").get("a.md", "k", lambda _: None) is None
    path.write_text(json.dumps({"schema_version": SCHEMA_VERSION, "environment": "env"}) + "\n"
                    + json.dumps({"page": "a.md", "key": "k"}) + "\n", encoding="utf-8")
    assert RenderCache(tmp_path, "env").get("a.md", "k", lambda _: None) is None  # shape
    path.write_text(json.dumps({"schema_version": SCHEMA_VERSION, "environment": "env"}) + "\n"
                    + record + "\n", encoding="utf-8")
    hit = RenderCache(tmp_path, "env").get("a.md", "k", lambda _: None)  # the control
    assert hit is not None and hit.content == "<p>x</p>"


def test_failed_build_keeps_the_previous_cache(linked: Project) -> None:
    linked.build()
    before = _cache_file(linked).read_bytes()
    linked.post("broken", "Body.\n", date="not a date")
    with pytest.raises(Exception):  # noqa: B017 (MkDocs' own error type for a failed build)
        linked.build()
    assert _cache_file(linked).read_bytes() == before
    assert not list(_cache_file(linked).parent.glob("*.tmp"))


def test_stable_repr_names_functions_and_refuses_addresses() -> None:
    assert stable_repr({"b": [1, None], "a": json.dumps}) == \
        "{'a': <json.dumps>, 'b': [1, None]}"
    with pytest.raises(Unstable):
        stable_repr(object())


def test_search_entries_are_reused_only_for_the_same_page(linked: Project) -> None:
    linked.build()
    memos = [r for r in _records(linked) if r.get("memo") == "search"]
    assert {"posts/alpha.md", "posts/beta.md"} <= {r["page"] for r in memos}
    assert any("Alpha opens." in e["text"] for r in memos for e in r["value"])

    def change(record: dict[str, Any]) -> None:
        if record.get("memo") == "search" and record["page"] in ("posts/alpha.md",
                                                                  "posts/beta.md"):
            record["value"] = [{"location": "planted/", "title": f"PLANTED {record['page']}",
                                "text": ""}]

    _rewrite(linked, change)
    beta = linked.docs / "posts" / "beta.md"
    beta.write_text(beta.read_text(encoding="utf-8").replace("Text.", "New text."),
                    encoding="utf-8")
    linked.build()
    index = (linked.site_dir / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "PLANTED posts/alpha.md" in index  # unchanged: its entries came from the cache
    assert "PLANTED posts/beta.md" not in index and "New text." in index


def test_cached_page_of_another_shape_is_converted_again(linked: Project) -> None:
    linked.build()

    def change(record: dict[str, Any]) -> None:
        if record["page"] == "posts/alpha.md" and "memo" not in record:
            record["content"] = MARKER
            record["toc"] = [{"title": "First part", "id": "first-part", "level": 1,
                              "children": []}]

    _rewrite(linked, change)
    linked.build()
    assert MARKER not in linked.html("posts/alpha/")


def test_discarded_journal_leaves_the_cache_as_it_was(tmp_path: Path) -> None:
    rendered = Rendered(content="<p>one</p>", toc=[], title=None, anchors=[],
                        links_to_anchors=None)
    cache = RenderCache(tmp_path, "env")
    cache.put("a.md", "k1", rendered)
    cache.save()
    before = (tmp_path / "pages.jsonl").read_bytes()
    cache = RenderCache(tmp_path, "env")
    cache.put("a.md", "k2", Rendered(content="<p>two</p>", toc=[], title=None, anchors=[],
                                     links_to_anchors=None))
    cache.discard()
    assert (tmp_path / "pages.jsonl").read_bytes() == before
    assert not list(tmp_path.glob("*.tmp"))
    hit = RenderCache(tmp_path, "env").get("a.md", "k1", lambda _: None)
    assert hit is not None and hit.content == "<p>one</p>"
