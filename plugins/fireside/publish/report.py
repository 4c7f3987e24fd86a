"""The build report of ``fireside publish``: JSON for machines, a short summary for people.

The report compares this run with the last successful one, whose lists are kept in a small
state file beside the discussion snapshots (``<snapshots>/_publish.json``), so CI keeps both
with one cache. Pure Python: no MkDocs import.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fireside.core.content import Post
from fireside.discussions.snapshots import atomic_write, format_time, parse_time

_CONTROLS = re.compile("[\x00-\x1f\x7f\x85\u2028\u2029]")

__all__ = ["PREVIOUS_FILE", "PostEntry", "Previous", "PublishReport", "ThreadEntry"]

#: The state file beside the snapshots: what the last successful publish showed.
PREVIOUS_FILE = "_publish.json"
SCHEMA_VERSION = 1
#: Stale threads listed one per line in the summary; the JSON report has them all.
_LISTED = 5


@dataclass(frozen=True)
class PostEntry:
    """A post as the report lists it."""

    src: str
    title: str
    url: str
    date: dt.datetime

    @classmethod
    def of(cls, post: Post) -> PostEntry:
        """The entry of ``post``."""
        return cls(post.src_uri, post.title, post.url, post.created)

    def to_json(self) -> dict[str, str]:
        """Plain data."""
        return {"src": self.src, "title": self.title, "url": self.url,
                "date": format_time(self.date)}


@dataclass(frozen=True)
class ThreadEntry:
    """A discussion thread the sync fetched, or one whose snapshot is stale."""

    thread: str
    """``platform:id``."""
    last_success_at: dt.datetime | None = None
    error: str | None = None
    posts: tuple[str, ...] = ()
    """The posts and Q&A pages that link to the thread (paths from the project)."""
    now: dt.datetime | None = None
    """When the report looked, for the age of the last good snapshot."""

    @property
    def age_hours(self) -> float | None:
        """How old the last good snapshot is, in hours (``None``: there is none)."""
        if self.last_success_at is None or self.now is None:
            return None
        return round((self.now - self.last_success_at).total_seconds() / 3600, 1)

    def age(self) -> str:
        """``3 days old``, ``5 h old`` or ``never synced``."""
        hours = self.age_hours
        if hours is None:
            return "never synced"
        return f"{hours / 24:.0f} days old" if hours >= 48 else f"{hours:.0f} h old"

    def to_json(self) -> dict[str, Any]:
        """Plain data."""
        return {"thread": self.thread, "posts": list(self.posts), "error": self.error,
                "last_success_at": format_time(self.last_success_at)
                if self.last_success_at else None, "age_hours": self.age_hours}


@dataclass(frozen=True)
class Previous:
    """What the last successful publish showed (empty on the first run)."""

    built_at: dt.datetime | None = None
    published: frozenset[str] = frozenset()
    scheduled: frozenset[str] = frozenset()

    @classmethod
    def load(cls, path: Path) -> Previous:
        """Read the state file; a missing or unreadable one means a first run."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(parse_time(data["built_at"]), frozenset(map(str, data["published"])),
                       frozenset(map(str, data["scheduled"])))
        except (OSError, ValueError, KeyError, TypeError):
            return cls()

    @staticmethod
    def save(path: Path, *, built_at: dt.datetime, published: Sequence[Post],
             scheduled: Sequence[Post]) -> None:
        """Write the state file atomically."""
        data = {"generated_by": "fireside publish", "schema_version": SCHEMA_VERSION,
                "built_at": format_time(built_at),
                "published": sorted(p.src_uri for p in published),
                "scheduled": sorted(p.src_uri for p in scheduled)}
        atomic_write(path, (json.dumps(data, indent=2, sort_keys=True) + "\n").encode())


@dataclass
class PublishReport:
    """What one ``fireside publish`` did."""

    started_at: dt.datetime
    now: dt.datetime | None = None
    """The build's "now" (scheduled posts dated up to it are live)."""
    ok: bool = True
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    sync_status: str = "skipped"
    """``ok``, ``partial``, ``failed``, ``skipped``."""
    sync_reason: str | None = None
    sync_exit_code: int | None = None
    synced: list[ThreadEntry] = field(default_factory=list)
    stale: list[ThreadEntry] = field(default_factory=list)
    first_run: bool = True
    new_posts: list[PostEntry] = field(default_factory=list)
    went_live: list[PostEntry] = field(default_factory=list)
    scheduled: list[PostEntry] = field(default_factory=list)
    published: int = 0
    drafts: int = 0
    feeds: list[dict[str, Any]] = field(default_factory=list)
    external: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    site_dir: str = ""

    def fail(self, message: str) -> None:
        """Record an error that makes the run fail."""
        self.ok = False
        self.errors.append(message)

    def to_json(self) -> dict[str, Any]:
        """The JSON report."""
        return {
            "schema_version": SCHEMA_VERSION,
            "generated_by": "fireside publish",
            "ok": self.ok,
            "started_at": format_time(self.started_at),
            "now": format_time(self.now) if self.now else None,
            "site_dir": self.site_dir,
            "errors": self.errors,
            "warnings": self.warnings,
            "sync": {"status": self.sync_status, "reason": self.sync_reason,
                     "exit_code": self.sync_exit_code,
                     "synced": [t.to_json() for t in self.synced],
                     "stale": [t.to_json() for t in self.stale]},
            "posts": {"published": self.published, "drafts": self.drafts,
                      "first_run": self.first_run,
                      "new": [p.to_json() for p in self.new_posts],
                      "went_live": [p.to_json() for p in self.went_live],
                      "scheduled": [p.to_json() for p in self.scheduled]},
            "checks": {"feeds": self.feeds, "external_resources": self.external},
            "timings": {k: round(v, 3) for k, v in self.timings.items()},
        }

    def lines(self) -> list[str]:
        """The short human summary."""
        out = [f"Fireside publish: {'OK' if self.ok else 'FAILED'}"]
        sync = f"sync: {self.sync_status}"
        if self.sync_reason:
            sync += f": {self.sync_reason}"
        out.append(f"{sync}; {len(self.synced)} threads synced, {len(self.stale)} stale")
        out.extend(f"  stale: {', '.join(t.posts) or t.thread} ({t.thread}, last good snapshot "
                   f"{t.age()})" + (f": {t.error}" if t.error else "")
                   for t in self.stale[:_LISTED])
        if len(self.stale) > _LISTED:
            out.append(f"  … and {len(self.stale) - _LISTED} more stale (see the JSON report)")
        posts = f"posts: {self.published} published, {self.drafts} drafts, " \
                f"{len(self.scheduled)} scheduled"
        if self.first_run:
            posts += " (first report: nothing to compare with)"
        out.append(posts)
        out.extend(f"  new: {p.title} (/{p.url})" for p in self.new_posts if not self.first_run)
        out.extend(f"  went live: {p.title} (/{p.url})" for p in self.went_live)
        out.extend(f"  scheduled: {p.title} on {p.date:%Y-%m-%d %H:%M}" for p in self.scheduled)
        if self.feeds:
            kinds = sorted({f["kind"] for f in self.feeds})
            counts = ", ".join(f"{sum(f['kind'] == k for f in self.feeds)} {k}" for k in kinds)
            out.append(f"feeds: {len(self.feeds)} parsed ({counts})")
        out.extend(f"warning: {w}" for w in self.warnings)
        out.extend(f"error: {e}" for e in self.errors)
        out.append("timings: " + ", ".join(f"{k} {v:.1f} s" for k, v in self.timings.items()))
        # Titles are author-written: no line breaks or terminal escapes in a report line.
        return [_CONTROLS.sub(" ", line) for line in out]

    def write(self, json_path: Path) -> Path:
        """Write the JSON report and, beside it, the summary as ``.txt``; return the latter."""
        text_path = json_path.with_suffix(".txt")
        atomic_write(json_path, (json.dumps(self.to_json(), indent=2, ensure_ascii=False)
                                 + "\n").encode("utf-8", "replace"))
        atomic_write(text_path, ("\n".join(self.lines()) + "\n").encode("utf-8", "replace"))
        return text_path
