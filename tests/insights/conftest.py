"""A small blog with hand-made discussion snapshots, whose every figure the tests compute by hand.

The report is "as of" 2026-06-01 11:00 UTC (the ``now`` option). Leaders: ``ceo`` (Yammer id
1500000001) replies; ``cfo`` (1500000002) never does. Staff ``a1`` … ``a10`` have ids
16000000NN and unique display names and bodies, so tests can prove none of them leaks.

Posts (UTC):

- D ``stale-thread`` (ceo, Strategy) 2026-04-01 09:00: a1-a5 ask at 10:00-14:00, the ceo
  answers a1 at 12:00. Its last sync failed (stale since 2026-04-20).
- A ``four-people`` (ceo, Strategy) 2026-05-01 09:00: in the first week 5 replies from exactly
  4 people (suppressed); a5 replies on day 11.
- C ``never-replied`` (cfo, Results) 2026-05-05 09:00: a1-a5 ask; the cfo never replies.
- B ``five-people`` (ceo, Strategy) 2026-05-10 09:00: 7 first-week replies from exactly 5 people
  (shown); a3 follows up on the ceo's reply; a7 replies on day 9.
- E ``pending`` (ceo, Strategy) 2026-05-28 09:00: younger than 7 days; 10 replies, 5 of them
  in the last 48 hours (a rising thread).
- G ``january`` (cfo, Results) 2026-01-15 10:00: 6 people in January, one late reply in February.
- Q&A S ``ama`` (host ceo) 2026-05-02 09:00: q1 answered after 8 days, q2 after 2 h, q4 after
  4 h, q3 and q5 open, q6 hidden by moderation (with a reply beneath it).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import Project, make_reply, save_thread

CEO, CFO = "1500000001", "1500000002"
NOW = "2026-06-01T11:00:00Z"
MODERATED_TEXT = "MODERATED question text that must never appear"
MODERATED_CHILD = "Reply beneath a moderated question"
STALE_SINCE = "2026-04-20T00:00:00Z"


def staff(n: int) -> str:
    """The platform id of staff member ``a<n>``."""
    return f"16000000{n:02d}"


def staff_name(n: int) -> str:
    return f"Zed Staffer{n:02d} Quill"


def body(ident: str) -> str:
    return f"Body-{ident}: what about the plan for {ident}?"


def reply(ident: str, who: int | str, created: str, *, parent: str | None = None,
          likes: int = 0, text: str | None = None) -> Any:
    """A reply by staff member ``who`` (an int) or a leader (its id as a string)."""
    leader = isinstance(who, str)
    author = who if isinstance(who, str) else staff(who)
    name = {CEO: "Dana Whitfield", CFO: "Raj Patel"}.get(author) if leader else staff_name(
        int(who))
    return make_reply(ident, parent=parent, author=author, name=name or "?", created=created,
                      body=f"<p>{text or body(ident)}</p>", likes=likes, host=leader)


def thread_url(thread_id: str) -> str:
    return f"https://www.yammer.com/northwind.example/threads/{thread_id}"


def write_fixture(project: Project) -> Path:
    """Write content, snapshots, sync state and moderation file; return ``mkdocs.yml``."""
    snaps = project.root / "data" / "discussions"

    def post(name: str, date: str, author: str, category: str, thread: str | None) -> None:
        front: dict[str, Any] = {"title": f"Post {name}", "date": date, "authors": [author],
                                 "categories": [category]}
        if thread:
            front["discussion"] = f"yammer:{thread}"
        project.post(name, f"Text of {name}.\n", **front)

    def save(thread_id: str, replies: list[Any], likes: int) -> None:
        save_thread(snaps, thread_id, replies, likes=likes, url=thread_url(thread_id))

    # D: the stale thread.
    post("stale-thread", "2026-04-01T09:00:00Z", "ceo", "Strategy", "3000000004")
    save("3000000004", [
        reply("34000001", 1, "2026-04-01T10:00:00Z"),
        reply("34000002", 2, "2026-04-01T11:00:00Z"),
        reply("34000003", 3, "2026-04-01T12:00:00Z"),
        reply("34000004", 4, "2026-04-01T13:00:00Z"),
        reply("34000005", 5, "2026-04-01T14:00:00Z"),
        reply("34000006", CEO, "2026-04-01T12:00:00Z", parent="34000001"),
    ], likes=0)
    # A: exactly 4 people in the first week.
    post("four-people", "2026-05-01T09:00:00Z", "ceo", "Strategy", "3000000001")
    save("3000000001", [
        reply("31000001", 1, "2026-05-01T10:00:00Z", likes=2),
        reply("31000002", 2, "2026-05-02T09:00:00Z", likes=1),
        reply("31000003", 3, "2026-05-03T09:00:00Z"),
        reply("31000004", 4, "2026-05-04T09:00:00Z", parent="31000001"),
        reply("31000005", 1, "2026-05-05T09:00:00Z", likes=3),
        reply("31000006", CEO, "2026-05-01T12:00:00Z", parent="31000001", likes=4),
        reply("31000007", 5, "2026-05-12T09:00:00Z"),
    ], likes=10)
    # C: the leader who never replied.
    post("never-replied", "2026-05-05T09:00:00Z", "cfo", "Results", "3000000003")
    save("3000000003", [
        reply("33000001", 1, "2026-05-05T10:00:00Z", likes=1),
        reply("33000002", 2, "2026-05-05T11:00:00Z"),
        reply("33000003", 3, "2026-05-06T09:00:00Z"),
        reply("33000004", 4, "2026-05-06T10:00:00Z"),
        reply("33000005", 5, "2026-05-07T09:00:00Z"),
    ], likes=3)
    # B: exactly 5 people in the first week.
    post("five-people", "2026-05-10T09:00:00Z", "ceo", "Strategy", "3000000002")
    save("3000000002", [
        reply("32000001", 1, "2026-05-10T10:00:00Z", likes=6),
        reply("32000002", 2, "2026-05-10T11:00:00Z", likes=1),
        reply("32000003", 3, "2026-05-11T09:00:00Z"),
        reply("32000004", 4, "2026-05-12T09:00:00Z", likes=2),
        reply("32000005", 6, "2026-05-13T09:00:00Z"),
        reply("32000006", 2, "2026-05-14T09:00:00Z", parent="32000001"),
        reply("32000007", CEO, "2026-05-11T09:00:00Z", parent="32000002"),
        reply("32000008", 7, "2026-05-19T10:00:00Z"),
        reply("32000010", 3, "2026-05-11T12:00:00Z", parent="32000007",
              text="FOLLOW-UP to the ceo: and when exactly?"),
    ], likes=7)
    # E: younger than 7 days, rising in the last 48 hours.
    post("pending", "2026-05-28T09:00:00Z", "ceo", "Strategy", "3000000005")
    save("3000000005", [
        reply("35000001", 1, "2026-05-28T10:00:00Z", likes=5),
        reply("35000002", 2, "2026-05-28T12:00:00Z"),
        reply("35000003", 3, "2026-05-29T09:00:00Z"),
        reply("35000004", 4, "2026-05-29T10:00:00Z"),
        reply("35000005", 5, "2026-05-29T11:00:00Z"),
        *(reply(f"3500001{n}", 6 + n, f"2026-05-31T{9 + n:02d}:00:00Z") for n in range(5)),
    ], likes=0)
    # G: January, for the monthly series.
    post("january", "2026-01-15T10:00:00Z", "cfo", "Results", "3000000007")
    save("3000000007", [
        *(reply(f"3700000{n}", n, f"2026-01-15T1{n}:00:00Z") for n in range(1, 7)),
        reply("37000007", 1, "2026-02-10T09:00:00Z", parent="37000001"),
    ], likes=5)
    # S: the Q&A session.
    project.write("qa/ama.md", "---\n" + yaml.safe_dump({
        "title": "Ask the CEO", "date": "2026-05-02T09:00:00Z", "hosts": ["ceo"],
        "discussion": "yammer:3000000006"}, sort_keys=False) + "---\n\nAsk away.\n")
    save("3000000006", [
        reply("36000001", 1, "2026-05-02T10:00:00Z", likes=9),
        reply("36000002", 2, "2026-05-02T11:00:00Z", likes=5),
        reply("36000003", 3, "2026-05-03T09:00:00Z", likes=1),
        reply("36000004", 4, "2026-05-03T10:00:00Z"),
        reply("36000005", 5, "2026-05-04T09:00:00Z", likes=3),
        reply("36000006", 6, "2026-05-04T10:00:00Z", text=MODERATED_TEXT, likes=50),
        reply("36000007", 7, "2026-05-04T11:00:00Z", parent="36000006", text=MODERATED_CHILD),
        reply("36000011", CEO, "2026-05-10T10:00:00Z", parent="36000001"),
        reply("36000012", CEO, "2026-05-02T13:00:00Z", parent="36000002"),
        reply("36000014", CEO, "2026-05-03T14:00:00Z", parent="36000004"),
    ], likes=2)
    state = {"generated_by": "fireside sync", "schema_version": 1, "resolved": {}, "threads": {
        "yammer:3000000004": {"bookmarks": {}, "last_error": "HTTP 503",
                              "last_fetched_at": "2026-05-31T12:00:00Z",
                              "last_success_at": STALE_SINCE, "status": "stale"},
        # Fetched fine 12 days ago (old threads are fetched weekly): old, but not a gap.
        "yammer:3000000007": {"bookmarks": {}, "last_error": None,
                              "last_fetched_at": "2026-05-20T00:00:00Z",
                              "last_success_at": "2026-05-20T00:00:00Z", "status": "ok"}}}
    (snaps / "_state.json").write_text(json.dumps(state), encoding="utf-8")
    (project.root / "data" / "moderation.yml").write_text(
        'hidden:\n  - id: "36000006"\n    reason: test\n', encoding="utf-8")
    project.options = {"timezone": "Europe/London", "now": NOW,
                       "discussions": {"moderation": "data/moderation.yml"}}
    project.authors({
        "ceo": {"name": "Dana Whitfield", "description": "Chief Executive Officer",
                "platforms": {"yammer": int(CEO)},
                "delegates": ["Pat Assistant", "pat.assistant@example.com"]},
        "cfo": {"name": "Raj Patel", "description": "Chief Financial Officer",
                "platforms": {"yammer": int(CFO)}},
    })
    return project.config()


@pytest.fixture(scope="module")
def fixture_project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Project]:
    """The fixture blog above, written once per test module."""
    project = Project(tmp_path_factory.mktemp("insights") / "proj")
    write_fixture(project)
    yield project
