"""The schedule and the state manager, without HTTP."""

from __future__ import annotations

import datetime as dt

import pytest

from fireside.core.settings import DEFAULT_SCHEDULE
from fireside.discussions.snapshots import SyncState, ThreadState
from fireside_sync.state import StateManager, is_due, rule_for

NOW = dt.datetime(2026, 3, 10, 8, 0, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)
HOUR = dt.timedelta(hours=1)


def ok(at: dt.datetime) -> ThreadState:
    return ThreadState(last_fetched_at=at, last_success_at=at, status="ok")


@pytest.mark.parametrize(("age", "fetched_ago", "due"), [
    (3 * DAY, dt.timedelta(minutes=5), True),     # recent: every run
    (30 * DAY, 23 * HOUR, False),                 # a month old: daily
    (30 * DAY, 23 * HOUR + 55 * dt.timedelta(minutes=1), True),  # drift-tolerant
    (30 * DAY, 25 * HOUR, True),
    (400 * DAY, 6 * DAY, False),                  # old: weekly
    (400 * DAY, 7 * DAY, True),
    (-2 * DAY, dt.timedelta(minutes=5), True),    # scheduled post: every run
])
def test_default_schedule(age: dt.timedelta, fetched_ago: dt.timedelta, due: bool) -> None:
    assert is_due(post_created=NOW - age, state=ok(NOW - fetched_ago), now=NOW,
                  schedule=DEFAULT_SCHEDULE) is due


def test_new_stale_and_full_are_always_due() -> None:
    old = NOW - 400 * DAY
    assert is_due(post_created=old, state=None, now=NOW, schedule=DEFAULT_SCHEDULE)
    stale = ThreadState(NOW, NOW - HOUR, "stale", "HTTP 500")
    assert is_due(post_created=old, state=stale, now=NOW, schedule=DEFAULT_SCHEDULE)
    assert is_due(post_created=old, state=ok(NOW), now=NOW, schedule=DEFAULT_SCHEDULE,
                  full=True)
    assert not is_due(post_created=old, state=ok(NOW), now=NOW, schedule=DEFAULT_SCHEDULE)
    assert rule_for(10_000 * DAY, DEFAULT_SCHEDULE).every_hours == 168


def test_state_manager_keeps_last_success_on_failure() -> None:
    manager = StateManager(SyncState())
    manager.mark_success("yammer", "1", now=NOW, bookmarks={"newest_id": "9"})
    manager.mark_failure("yammer", "1", now=NOW + DAY, error="HTTP 500")
    manager.remember("yammer:message:5", "1")
    state = manager.snapshot()
    assert state.threads["yammer:1"] == ThreadState(NOW + DAY, NOW, "stale", "HTTP 500",
                                                    {"newest_id": "9"})
    assert StateManager(state).resolved("yammer:message:5") == "1"
