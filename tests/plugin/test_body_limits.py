"""Reply bodies are bounded before anything expensive sees them (issue 16, item 11).

A body past the platforms' own limits, or nested past ``MAX_DEPTH``, is cut and marked once,
where ``fireside sync`` writes the snapshot; the build cuts hand-written snapshots the same
way before nh3 runs, so one staff member cannot stall it.
"""

from __future__ import annotations

import re
from pathlib import Path

from fireside.discussions.bodylimits import (
    MAX_BODY_CHARS,
    MAX_DEPTH,
    TRUNCATED_HTML,
    clean_text,
    limit_body,
)
from fireside.discussions.sanitize import render_body
from tests.conftest import Project, make_reply, save_thread
from tests.fakeplatform.yammer import FakeYammer, make_thread, message
from tests.sync.conftest import SyncProject

NESTED = "<div>" * 80_000 + "deep" + "</div>" * 80_000  # 880 KB
LONG = "<p>" + "word " * 100_000 + "</p>"  # 500 KB


def depth(html: str) -> int:
    level = deepest = 0
    for closing, _name in re.findall(r"<(/?)([a-z]+)[^>]*>", html):
        level += -1 if closing else 1
        deepest = max(deepest, level)
    return deepest


def test_limit_body_cuts_size_and_nesting_once() -> None:
    body, cut = limit_body(NESTED, "html")
    assert cut and body.endswith(TRUNCATED_HTML) and depth(body) <= MAX_DEPTH + 2
    assert limit_body(body, "html") == (body, False)  # idempotent
    text, cut = limit_body("x" * 500_000, "text")
    assert cut and len(text) < MAX_BODY_CHARS + 200 and limit_body(text, "text") == (text, False)
    fine = "<p>" + "<b>ok</b>" * 50 + "</p>"
    assert limit_body(fine, "html") == (fine, False)


def test_render_body_guards_hand_written_snapshots() -> None:
    html = render_body(NESTED, "html")
    assert "too long or too deeply nested" in html and len(html) < 2_000
    assert depth(html) <= MAX_DEPTH + 2
    assert len(render_body(LONG, "html")) < MAX_BODY_CHARS + 500


def test_clean_text_replaces_lone_surrogates_and_controls() -> None:
    assert clean_text("a\ud83db\ud83d\ude00\x00\x1bc\n") == "a\ufffdb\U0001f600c\n"
    clean_text("\udfff" * 3).encode("utf-8")  # never raises


def test_build_with_huge_bodies_shows_them_cut(project: Project) -> None:
    project.post("hello", discussion="yammer:2000000001")
    save_thread(project.root / "data/discussions", "2000000001", [
        make_reply("1", body=NESTED, likes=9), make_reply("2", body=LONG, likes=8),
        make_reply("3", body="x" * 600_000, fmt="text", likes=7)])
    site = project.build(discussions={"top_replies": 3})
    html = (site / "posts/hello/index.html").read_text(encoding="utf-8")
    assert html.count("too long or too deeply nested") == 2  # the two HTML bodies
    assert html.count("too long to show in full here") == 1  # the text body
    assert len(html) < 200_000


def test_sync_writes_cut_bodies(tmp_path: Path) -> None:
    with FakeYammer(token="t") as fake:
        project = SyncProject(tmp_path / "proj", fake)
        messages, users = make_thread(2000000001, 2)
        start = messages[0]["created_at"]
        import datetime as dt

        when = dt.datetime.strptime(start, "%Y/%m/%d %H:%M:%S %z")
        messages.append(message(2000000001 * 1000 + 5, 2000000001, 1600000001, when,
                                "plain", html=NESTED))
        messages.append(message(2000000001 * 1000 + 6, 2000000001, 1600000001, when,
                                "y" * 500_000))
        fake.add_thread(2000000001, messages, users)
        project.post("hello", "yammer:2000000001")
        result = project.sync(env={"FIRESIDE_TEST_YAMMER_TOKEN": "t",
                                   "FIRESIDE_NOW": "2026-03-10T08:00:00+00:00"})
        assert result.code == 0, result
        replies = {r["id"]: r for r in project.snapshot(2000000001)["thread"]["replies"]}
    nested = replies[str(2000000001 * 1000 + 5)]["body"]
    assert nested.endswith(TRUNCATED_HTML) and depth(nested) <= MAX_DEPTH + 2
    long = replies[str(2000000001 * 1000 + 6)]
    assert long["body_format"] == "text" and len(long["body"]) < MAX_BODY_CHARS + 200
    assert long["body"].endswith("the platform has all of it.]")


def test_a_deeply_nested_snapshot_file_is_ignored_not_a_crash(project: Project) -> None:
    project.post("hello", discussion="yammer:2000000001")
    folder = project.root / "data/discussions/yammer"
    folder.mkdir(parents=True)
    (folder / "2000000001.json").write_text("[" * 100_000 + "]" * 100_000)
    site = project.build()
    html = (site / "posts/hello/index.html").read_text(encoding="utf-8")
    assert "Join the discussion on Viva Engage" in html  # the link only, as with no snapshot
