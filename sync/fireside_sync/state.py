"""Sync state between runs and the fetch schedule; no HTTP here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from fireside.core.settings import ScheduleRule
from fireside.discussions.snapshots import SyncState, ThreadState

#: A thread fetched every 24 h is due again after 23 h 51 min, so a daily job whose start
#: drifts by a few minutes does not skip a day. The slack is 1/160 of the interval, at most 1 h.
_SLACK_FRACTION = 1 / 160


def state_key(platform: str, thread_id: str) -> str:
    """The key of a thread in the state file."""
    return f"{platform}:{thread_id}"


def rule_for(age: dt.timedelta, schedule: Sequence[ScheduleRule]) -> ScheduleRule:
    """The first rule whose ``max_age_days`` covers ``age`` (the last rule covers the rest)."""
    for rule in schedule:
        if rule.max_age_days is None or age <= dt.timedelta(days=rule.max_age_days):
            return rule
    return schedule[-1]


def is_due(*, post_created: dt.datetime, state: ThreadState | None, now: dt.datetime,
           schedule: Sequence[ScheduleRule], full: bool = False) -> bool:
    """Whether a thread should be fetched in this run.

    New and stale threads are always due; others when their rule's interval has passed since
    the last successful fetch.
    """
    if full or state is None or state.status != "ok" or state.last_success_at is None:
        return True
    interval = dt.timedelta(hours=rule_for(now - post_created, schedule).every_hours)
    slack = min(interval * _SLACK_FRACTION, dt.timedelta(hours=1))
    return now - state.last_success_at + slack >= interval


class StateManager:
    """Holds the state during a run; the runner saves ``snapshot()`` after the snapshots."""

    def __init__(self, state: SyncState) -> None:
        self._threads: dict[str, ThreadState] = dict(state.threads)
        self._resolved: dict[str, str] = dict(state.resolved)

    def get(self, platform: str, thread_id: str) -> ThreadState | None:
        """The state of a thread, if it was ever fetched."""
        return self._threads.get(state_key(platform, thread_id))

    def resolved(self, ref_key: str) -> str | None:
        """A thread id resolved from a permalink in an earlier run."""
        return self._resolved.get(ref_key)

    def remember(self, ref_key: str, thread_id: str) -> None:
        """Cache a permalink's thread id, so later runs need no request."""
        self._resolved[ref_key] = thread_id

    def mark_success(self, platform: str, thread_id: str, *, now: dt.datetime,
                     bookmarks: Mapping[str, str]) -> None:
        """Record a fetch whose snapshot was written."""
        self._threads[state_key(platform, thread_id)] = ThreadState(
            last_fetched_at=now, last_success_at=now, status="ok", last_error=None,
            bookmarks=dict(bookmarks))

    def mark_failure(self, platform: str, thread_id: str, *, now: dt.datetime,
                     error: str) -> None:
        """Record a failed fetch: the snapshot is kept and marked stale."""
        old = self.get(platform, thread_id) or ThreadState()
        self._threads[state_key(platform, thread_id)] = ThreadState(
            last_fetched_at=now, last_success_at=old.last_success_at, status="stale",
            last_error=error, bookmarks=old.bookmarks)

    def snapshot(self) -> SyncState:
        """The state to save, keys sorted for stable files."""
        return SyncState(threads=dict(sorted(self._threads.items())),
                         resolved=dict(sorted(self._resolved.items())))
