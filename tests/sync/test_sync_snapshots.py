"""The snapshot contract: round trips, byte-identical saves, validation on read."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from fireside.discussions.snapshots import (
    Reply,
    SnapshotError,
    SnapshotStore,
    SyncState,
    Thread,
    ThreadState,
    Totals,
)

WHEN = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)


def reply(ident: str, minutes: int, parent: str | None = None, **kw: object) -> Reply:
    values: dict[str, object] = {
        "id": ident, "parent_id": parent, "author_id": "1600000001", "author_name": "Ana Ruiz",
        "created": WHEN + dt.timedelta(minutes=minutes), "body": "x<y & <b>café</b>",
        "body_format": "text", "likes": 2, "is_host": False, "mentions": ("1500000001",)}
    values.update(kw)
    return Reply(**values)  # type: ignore[arg-type]


def thread(*replies: Reply) -> Thread:
    return Thread(platform="yammer", thread_id="2000000001", url="https://example.com/t/1",
                  content_changed_at=WHEN, totals=Totals(len(replies), 7, 1),
                  replies=replies)


def test_round_trip_keeps_every_field_and_sorts_replies(tmp_path: Path) -> None:
    store = SnapshotStore(tmp_path)
    original = thread(reply("20", 5), reply("10", 5), reply("30", 1, parent="10"))
    assert store.save(original) is True
    loaded = store.load("yammer", "2000000001")
    assert loaded is not None
    assert [r.id for r in loaded.replies] == ["30", "10", "20"]  # by (created, id)
    assert loaded.replies[0] == original.replies[2]
    assert loaded.replies[0].created.tzinfo == dt.UTC
    assert loaded.totals == Totals(3, 7, 1)
    assert store.load_all() == {("yammer", "2000000001"): loaded}


def test_file_is_sorted_indented_utf8_and_unchanged_save_is_byte_identical(
        tmp_path: Path) -> None:
    store = SnapshotStore(tmp_path)
    store.save(thread(reply("10", 1)))
    path = tmp_path / "yammer" / "2000000001.json"
    first = path.read_bytes()
    text = first.decode("utf-8")
    assert "café" in text and '"body": "x<y & <b>café</b>"' in text  # stored as received
    assert text.startswith('{\n  "generated_by"') and '"schema_version": 1' in text
    mtime = path.stat().st_mtime_ns
    assert store.save(thread(reply("10", 1))) is False
    assert path.read_bytes() == first and path.stat().st_mtime_ns == mtime
    assert store.save(thread(reply("10", 1, likes=3))) is True
    assert path.read_bytes() != first


def test_save_leaves_no_temp_files_and_load_all_ignores_them(tmp_path: Path) -> None:
    store = SnapshotStore(tmp_path)
    store.save(thread(reply("10", 1)))
    (tmp_path / "yammer" / ".2000000001.json.abc.tmp").write_text("{half")
    assert sorted(p.name for p in (tmp_path / "yammer").iterdir()) == [
        ".2000000001.json.abc.tmp", "2000000001.json"]
    assert list(store.load_all()) == [("yammer", "2000000001")]


@pytest.mark.parametrize(("mutate", "expected"), [
    (lambda d: d.update(schema_version=2), "Expected schema_version 1, but received: 2"),
    (lambda d: d["thread"].update(replies="none"), "Expected 'replies' to be a list"),
    (lambda d: d["thread"]["replies"][0].update(likes=-1), "Expected 'likes' to be 0 or more"),
    (lambda d: d["thread"]["replies"][0].update(likes=True), "Expected 'likes' to be an integer"),
    (lambda d: d["thread"]["replies"][0].update(created="yesterday"), "UTC ISO 8601"),
    (lambda d: d["thread"]["replies"][0].update(created="2026-03-01T09:00:00"), "'created'"),
    (lambda d: d["thread"]["replies"][0].update(body_format="md"), "html or text"),
    (lambda d: d["thread"]["replies"][0].update(parent_id="99"), "parent_id of reply 10"),
    (lambda d: d["thread"]["replies"][0].pop("author_name"), "received: nothing"),
    (lambda d: d["thread"].update(thread_id="2000000002"), "Expected thread yammer:2000000001"),
])
def test_shape_errors_name_the_file_and_what_was_expected(tmp_path: Path, mutate: object,
                                                          expected: str) -> None:
    store = SnapshotStore(tmp_path)
    store.save(thread(reply("10", 1)))
    path = tmp_path / "yammer" / "2000000001.json"
    data = json.loads(path.read_text())
    mutate(data)  # type: ignore[operator]
    path.write_text(json.dumps(data))
    with pytest.raises(SnapshotError) as info:
        store.load("yammer", "2000000001")
    assert str(path) in str(info.value) and expected in str(info.value)


def test_truncated_file_is_a_snapshot_error(tmp_path: Path) -> None:
    path = tmp_path / "yammer" / "2000000001.json"
    path.parent.mkdir(parents=True)
    path.write_text('{"schema_version": 1, "thread": {')
    with pytest.raises(SnapshotError, match="Expected a JSON snapshot"):
        SnapshotStore(tmp_path).load_all()


def test_missing_snapshot_is_none_and_unsafe_names_are_refused(tmp_path: Path) -> None:
    store = SnapshotStore(tmp_path)
    assert store.load("yammer", "1") is None
    assert store.load_all() == {}
    with pytest.raises(ValueError, match="unsafe"):
        store.load("yammer", "../../etc")


def test_state_round_trip(tmp_path: Path) -> None:
    store = SnapshotStore(tmp_path)
    assert store.load_state() == SyncState()
    state = SyncState(
        threads={"yammer:1": ThreadState(WHEN, None, "stale", "HTTP 500", {"newest_id": "9"})},
        resolved={"yammer:message:5": "1"})
    store.save_state(state)
    assert store.load_state() == state
    data = json.loads((tmp_path / "_state.json").read_text())
    data["threads"]["yammer:1"]["status"] = "broken"
    (tmp_path / "_state.json").write_text(json.dumps(data))
    with pytest.raises(SnapshotError, match="ok or stale"):
        store.load_state()
