"""The thread-summary cache: warm builds equal cold ones, and every part of the key is a miss.

Most tests plant a marker in a cached reply body and rebuild: the marker shows up only when the
build took the summary from the cache, so "marker absent and the change visible" proves a miss.
"""

from __future__ import annotations

import filecmp
import json
import os
import shutil
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest

from fireside.commands.cli import main
from fireside.discussions import summary_cache
from fireside.discussions.snapshots import SnapshotStore
from tests.conftest import AUTHORS, Project, make_reply, save_thread

MARKER = "<p>FROM-THE-SUMMARY-CACHE</p>"
THREAD = "2000000001"


def _cache_file(project: Project) -> Path:
    return project.root / ".cache" / "fireside" / "discussions.json"


def _snapshot(project: Project) -> Path:
    return project.root / "data" / "discussions" / "yammer" / f"{THREAD}.json"


def _panel(project: Project) -> str:
    page = project.html("posts/hello/")
    start = page.index('<section class="fs-discussion"')
    return page[start: page.index("</section>", start)]


def _plant(project: Project) -> None:
    """Replace every cached reply body with the marker."""
    path = _cache_file(project)
    data = json.loads(path.read_text(encoding="utf-8"))
    for entry in data["threads"].values():
        for reply in entry["summary"]["top"]:
            reply[5] = MARKER
    path.write_text(json.dumps(data), encoding="utf-8")


def _save(project: Project, *, body: str = "<p>Great post.</p>", likes: int = 3) -> None:
    save_thread(project.root / "data" / "discussions", THREAD, [
        make_reply("301", name="Asker", likes=likes, body=body),
        make_reply("302", parent="301", author="1500000002", name="R. Patel (Yammer)",
                   body="<p>Because.</p>", created="2026-05-02T09:00:00Z"),
        make_reply("303", author="1600000099", name="Lee Chan", likes=1,
                   body="<p>Second.</p>"),
    ])


@pytest.fixture
def discussed(project: Project) -> Project:
    """One post discussed on Viva Engage, built once (so the cache holds its thread)."""
    project.post("hello", discussion=f"yammer:{THREAD}")
    _save(project)
    project.build()
    return project


def test_warm_build_equals_cold_build_byte_for_byte(discussed: Project) -> None:
    cold = discussed.root / "cold"
    shutil.copytree(discussed.site_dir, cold)
    shutil.rmtree(discussed.site_dir)
    discussed.build()
    files = sorted(p.relative_to(cold) for p in cold.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(discussed.site_dir)
                           for p in discussed.site_dir.rglob("*") if p.is_file())
    _, mismatch, errors = filecmp.cmpfiles(cold, discussed.site_dir, [str(f) for f in files],
                                           shallow=False)
    assert (mismatch, errors) == ([], [])
    assert "Great post." in _panel(discussed)


def test_unchanged_snapshot_comes_from_the_cache(discussed: Project) -> None:
    _plant(discussed)
    discussed.build()
    assert MARKER in _panel(discussed)


def test_unchanged_snapshot_is_not_read_again(discussed: Project,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(summary_cache, "RACY_SECONDS", -60)  # trust the times just written
    discussed.build()  # records the file's times
    reads: list[Path] = []
    original = SnapshotStore.read_bytes

    def counting(path: Path) -> bytes:
        reads.append(path)
        return original(path)

    monkeypatch.setattr(SnapshotStore, "read_bytes", staticmethod(counting))
    _plant(discussed)
    discussed.build()
    assert MARKER in _panel(discussed) and reads == []
    _snapshot(discussed).touch()  # new times: read (and hashed) again, the same summary
    discussed.build()
    assert MARKER in _panel(discussed) and reads == [_snapshot(discussed)]


def test_same_bytes_with_new_times_is_a_hit(discussed: Project) -> None:
    _plant(discussed)
    os.utime(_snapshot(discussed), ns=(1_000_000_000, 1_000_000_000))
    discussed.build()
    assert MARKER in _panel(discussed)


@pytest.mark.parametrize("racy", [2, -60])
def test_edit_of_the_same_size_and_mtime_is_a_miss(project: Project, racy: int,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(summary_cache, "RACY_SECONDS", racy)
    project.post("hello", discussion=f"yammer:{THREAD}")
    _save(project, body="<p>Body AAAA.</p>")
    project.build()
    path = _snapshot(project)
    before = path.stat()
    _plant(project)
    path.write_bytes(path.read_bytes().replace(b"AAAA", b"BBBB"))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size
    project.build()
    html = _panel(project)
    assert "Body BBBB." in html and MARKER not in html


def test_new_reply_is_a_miss(discussed: Project) -> None:
    _plant(discussed)
    _save(discussed, likes=9)
    discussed.build()
    html = _panel(discussed)
    assert MARKER not in html and "9 likes" in html


def test_hidden_reply_is_a_miss(discussed: Project) -> None:
    _plant(discussed)
    discussed.write("../data/moderation.yml", 'hidden:\n  - "301"\n')
    discussed.build(discussions={"moderation": "data/moderation.yml"})
    html = _panel(discussed)
    assert MARKER not in html and "Asker" not in html and "Second." in html


def test_changed_platform_id_of_an_author_is_a_miss(discussed: Project) -> None:
    assert "Lee Chan" in _panel(discussed)
    _plant(discussed)
    authors = json.loads(json.dumps(AUTHORS))
    authors["cfo"]["platforms"] = {"yammer": 1600000099}
    discussed.authors(authors)
    discussed.build()
    html = _panel(discussed)
    # Lee's account is now the CFO's: shown by the author's name, as an executive.
    assert MARKER not in html and "Lee Chan" not in html and "Chief Financial Officer" in html


def test_renamed_executive_is_a_miss(discussed: Project) -> None:
    _plant(discussed)
    authors = json.loads(json.dumps(AUTHORS))
    authors["cfo"]["name"] = "Rajesh Patel"
    discussed.authors(authors)
    discussed.build()
    html = _panel(discussed)
    assert MARKER not in html and "Rajesh Patel" in html


def test_top_replies_setting_is_a_miss(discussed: Project) -> None:
    _plant(discussed)
    discussed.build(discussions={"top_replies": 1})
    html = _panel(discussed)
    assert MARKER not in html and "Asker" in html and "Second." not in html


def test_new_sanitizer_version_is_a_miss(discussed: Project,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    real = metadata.version
    monkeypatch.setattr(metadata, "version",
                        lambda name: "99.0" if name == "nh3" else real(name))
    _plant(discussed)
    discussed.build()
    assert MARKER not in _panel(discussed)


def test_changed_code_is_a_miss(discussed: Project, tmp_path: Path,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    code = tmp_path / "code"
    shutil.copytree(summary_cache._CODE, code)
    monkeypatch.setattr(summary_cache, "_CODE", code)
    _plant(discussed)
    discussed.build()
    assert MARKER in _panel(discussed)  # a copy of the same code: the same environment
    with (code / "sanitize.py").open("a", encoding="utf-8") as handle:
        handle.write("\n# changed\n")
    discussed.build()
    assert MARKER not in _panel(discussed)


def test_staleness_is_computed_in_every_build(discussed: Project) -> None:
    _plant(discussed)
    discussed.build(now="2026-09-01 12:00")
    html = _panel(discussed)
    assert MARKER in html and "fs-discussion__stale" in html


def test_deleted_snapshot_shows_the_link_only_and_leaves_the_cache(discussed: Project) -> None:
    _snapshot(discussed).unlink()
    discussed.build()
    assert "Great post." not in _panel(discussed)
    data = json.loads(_cache_file(discussed).read_text(encoding="utf-8"))
    assert data["threads"] == {}


def test_invalid_snapshot_warns_in_every_build(discussed: Project,
                                               caplog: pytest.LogCaptureFixture) -> None:
    _snapshot(discussed).write_text('{"schema_version": 1}', encoding="utf-8")
    for _ in range(2):
        caplog.clear()
        discussed.build()
        assert any("ignored invalid discussion snapshot" in r.getMessage()
                   for r in caplog.records)
        assert "Great post." not in _panel(discussed)


def test_damaged_cache_is_ignored_and_replaced(discussed: Project) -> None:
    for damage in ("{not json", '{"schema_version": 1, "environment": "x", "threads": {}}',
                   json.dumps({**json.loads(_cache_file(discussed).read_text()),
                               "threads": {str(_snapshot(discussed)): {"stat": None}}})):
        _cache_file(discussed).write_text(damage, encoding="utf-8")
        discussed.build()
        assert "Great post." in _panel(discussed)
    assert json.loads(_cache_file(discussed).read_text())["threads"]


def test_cache_entry_of_another_shape_is_a_miss(discussed: Project) -> None:
    path = _cache_file(discussed)
    data = json.loads(path.read_text(encoding="utf-8"))
    for entry in data["threads"].values():
        entry["summary"]["top"][0][3] = "not a hue"
        entry["summary"]["top"][0][5] = MARKER
    path.write_text(json.dumps(data), encoding="utf-8")
    discussed.build()
    assert MARKER not in _panel(discussed) and "Great post." in _panel(discussed)


def test_cache_false_neither_reads_nor_writes(discussed: Project) -> None:
    _plant(discussed)
    before = _cache_file(discussed).read_bytes()
    discussed.build(cache=False)
    assert MARKER not in _panel(discussed)
    assert _cache_file(discussed).read_bytes() == before


def test_cache_false_creates_no_cache(project: Project) -> None:
    project.post("hello", discussion=f"yammer:{THREAD}")
    _save(project)
    project.build(cache=False)
    assert not (project.root / ".cache").exists()


def test_cli_cache_clear_empties_it(discussed: Project) -> None:
    assert _cache_file(discussed).is_file()
    assert main(["cache", "clear", "-f", str(discussed.root / "mkdocs.yml")]) == 0
    assert not _cache_file(discussed).exists()


def test_environment_covers_each_input() -> None:
    base: dict[str, Any] = {"top_replies": 3, "hidden": frozenset({"1"}), "executives": {}}
    first = summary_cache.environment(**base)
    assert first == summary_cache.environment(**base)
    assert first != summary_cache.environment(**{**base, "top_replies": 4})
    assert first != summary_cache.environment(**{**base, "hidden": frozenset({"2"})})
