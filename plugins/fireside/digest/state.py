"""What the digests have sent, and when: ``<snapshots>/_digest.json``.

It sits beside the snapshots and the publish state (``_publish.json``), so CI caches all three
together. Written atomically, only after a digest was delivered: a failed send leaves it as it
was, and the next run sends the same items again::

    {"generated_by": "fireside digest", "schema_version": 1,
     "last_sent_at": "2026-11-23T09:00:00Z",
     "shown": {"posts": ["posts/2026/q3.md"], "questions": ["yammer:2100000003:3100…"],
               "sessions": ["qa/2026-ama.md"]},
     "history": [{"sent_at": "…Z", "since": "…Z", "items": 7, "recipients": 2,
                  "teams": "posted"}]}

``shown`` holds every item any digest has carried, so nothing appears twice.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fireside.discussions.snapshots import atomic_write, format_time, parse_time

__all__ = ["STATE_FILE", "DigestState", "DigestStateError", "is_due", "period_start"]

STATE_FILE = "_digest.json"
SCHEMA_VERSION = 1
_KINDS = ("posts", "discussed", "questions", "sessions")
#: Sends remembered in ``history`` (the newest).
_HISTORY = 20


class DigestStateError(Exception):
    """The state file exists but cannot be read; nothing is sent until it is fixed or removed."""


@dataclass(frozen=True)
class DigestState:
    """The digests sent so far."""

    last_sent_at: dt.datetime | None = None
    shown: Mapping[str, frozenset[str]] = field(default_factory=dict)
    """Kind (``posts``, ``discussed``, ``questions``, ``sessions``) → keys already sent."""
    history: tuple[Mapping[str, Any], ...] = ()

    def seen(self, kind: str, key: str) -> bool:
        """Whether an earlier digest carried this item."""
        return key in self.shown.get(kind, frozenset())

    @classmethod
    def load(cls, path: Path) -> DigestState:
        """Read the state; a missing file is a first run.

        Raises:
            DigestStateError: The file is unreadable or not of the expected shape.
        """
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return cls()
        except OSError as exc:
            raise DigestStateError(f"{path}: cannot read the digest state ({exc.strerror})") \
                from None
        try:
            data = json.loads(text)
            if not isinstance(data, dict) or data.get("schema_version") != SCHEMA_VERSION:
                raise ValueError(f"expected schema_version {SCHEMA_VERSION}")
            last = data.get("last_sent_at")
            shown_raw = data.get("shown", {})
            if not isinstance(shown_raw, dict):
                raise ValueError("'shown' is not a mapping")
            shown = {}
            for kind in _KINDS:
                keys = shown_raw.get(kind, [])
                if not isinstance(keys, list) or not all(isinstance(k, str) for k in keys):
                    raise ValueError(f"'shown.{kind}' is not a list of texts")
                shown[kind] = frozenset(keys)
            history = data.get("history", [])
            if not isinstance(history, list):
                raise ValueError("'history' is not a list")
            return cls(parse_time(last) if last else None, shown,
                       tuple(h for h in history if isinstance(h, dict)))
        except (ValueError, TypeError) as exc:
            raise DigestStateError(f"{path}: the digest state is damaged ({exc}); fix it, or "
                                   "delete it to start again from the last week") from None

    def advanced(self, *, sent_at: dt.datetime, items: Mapping[str, Sequence[str]],
                 record: Mapping[str, Any]) -> DigestState:
        """The state after sending ``items`` (kind → keys) at ``sent_at``."""
        shown = {kind: self.shown.get(kind, frozenset()) | frozenset(items.get(kind, ()))
                 for kind in _KINDS}
        history = (*self.history, {"sent_at": format_time(sent_at), **record})[-_HISTORY:]
        return DigestState(sent_at, shown, history)

    def save(self, path: Path) -> None:
        """Write the state atomically (sorted keys, stable lists)."""
        data = {
            "generated_by": "fireside digest",
            "schema_version": SCHEMA_VERSION,
            "last_sent_at": format_time(self.last_sent_at) if self.last_sent_at else None,
            "shown": {kind: sorted(self.shown.get(kind, frozenset())) for kind in _KINDS},
            "history": list(self.history),
        }
        atomic_write(path, (json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False)
                            + "\n").encode("utf-8"))


def period_start(now: dt.datetime, schedule: str, tz: ZoneInfo) -> dt.datetime:
    """The start of the current calendar period: Monday 00:00 (weekly) or today 00:00 (daily)."""
    local = now.astimezone(tz)
    start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    if schedule == "weekly":
        start -= dt.timedelta(days=local.weekday())
    return start


def is_due(state: DigestState, schedule: str, now: dt.datetime, tz: ZoneInfo) -> bool:
    """Whether no digest went out yet in the current week (or day), in the site's time zone.

    Calendar periods, not "seven days since the last one": a weekly CI schedule that runs a
    few minutes earlier than last week still sends.
    """
    return state.last_sent_at is None or state.last_sent_at < period_start(now, schedule, tz)
