"""What a run did: per-platform counts, the summary lines and the ``--report`` JSON."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fireside.discussions.snapshots import atomic_write, format_time

EXIT_OK = 0
EXIT_FATAL = 1
EXIT_PARTIAL = 2


@dataclass(frozen=True)
class Failure:
    """One thread that could not be synced (or was skipped for a reason worth reading)."""

    thread: str
    """``platform:id`` (or the reference, when it never resolved)."""
    posts: tuple[str, ...]
    kind: str
    message: str


@dataclass
class PlatformSummary:
    """Counts for one platform."""

    name: str
    fetched: int = 0
    """Threads read successfully (changed or not)."""
    unchanged: int = 0
    """Of those, threads whose snapshot stayed byte-identical."""
    failed: int = 0
    skipped: int = 0
    """Threads not due under the schedule (no request)."""
    unsupported: int = 0
    """Threads of a platform without an adapter or configuration."""
    replies: int = 0
    requests: int = 0
    rate_limited: int = 0
    duration: float = 0.0
    failures: list[Failure] = field(default_factory=list)
    notes: list[Failure] = field(default_factory=list)

    def line(self) -> str:
        """The one summary line for a terminal or a CI log."""
        parts = [f"{self.fetched} fetched ({self.unchanged} unchanged)",
                 f"{self.failed} failed", f"{self.skipped} not due"]
        if self.unsupported:
            parts.append(f"{self.unsupported} unsupported")
        return (f"{self.name}: threads {', '.join(parts)}; {self.replies} replies; "
                f"{self.requests} requests; {self.rate_limited} x 429; {self.duration:.1f} s")

    def to_json(self) -> dict[str, Any]:
        """The summary as plain data."""
        def items(rows: list[Failure]) -> list[dict[str, Any]]:
            return [{"thread": f.thread, "posts": list(f.posts), "kind": f.kind,
                     "message": f.message} for f in rows]

        return {"threads": {"fetched": self.fetched, "unchanged": self.unchanged,
                            "failed": self.failed, "skipped": self.skipped,
                            "unsupported": self.unsupported},
                "replies": self.replies, "requests": self.requests,
                "rate_limited": self.rate_limited, "duration_seconds": round(self.duration, 3),
                "failures": items(self.failures), "notes": items(self.notes)}


@dataclass
class RunResult:
    """The outcome of one ``fireside sync``."""

    started_at: dt.datetime
    exit_code: int = EXIT_OK
    platforms: dict[str, PlatformSummary] = field(default_factory=dict)
    fatal: str | None = None
    """Why nothing was written, for exit code 1."""
    problems: list[Failure] = field(default_factory=list)
    """Posts skipped because their ``discussion:`` names no thread (exit code 2)."""

    def platform(self, name: str) -> PlatformSummary:
        """The summary of ``name``, created on first use."""
        return self.platforms.setdefault(name, PlatformSummary(name))

    def lines(self) -> list[str]:
        """Everything to print after the run, for a human."""
        out = [f"error: {p.message} (skipped; the other posts were synced)"
               for p in self.problems]
        for summary in self.platforms.values():
            out.extend(f"{summary.name}: note: {n.message} ({_posts(n.posts)})"
                       for n in summary.notes)
            out.extend(f"{summary.name}: failed: {_posts(f.posts)}: {f.message}"
                       for f in summary.failures)
        if self.fatal:
            out.append(f"error: {self.fatal}")
            out.append("Nothing was written.")
        else:
            out.extend(s.line() for s in self.platforms.values())
            if not self.platforms and not self.problems:
                out.append("No post has a discussion to sync.")
        return out

    def to_json(self) -> dict[str, Any]:
        """The ``--report`` document."""
        return {"schema_version": 1, "started_at": format_time(self.started_at),
                "exit_code": self.exit_code, "fatal": self.fatal,
                "problems": [{"post": p.thread, "kind": p.kind, "message": p.message}
                             for p in self.problems],
                "platforms": {k: v.to_json() for k, v in sorted(self.platforms.items())}}

    def write(self, path: Path) -> None:
        """Write the report atomically."""
        data = json.dumps(self.to_json(), sort_keys=True, indent=2, ensure_ascii=False) + "\n"
        atomic_write(path, data.encode("utf-8", "replace"))


def _posts(posts: tuple[str, ...], shown: int = 3) -> str:
    """``a.md, b.md, c.md and 27 more``."""
    more = len(posts) - shown
    return ", ".join(posts[:shown]) + (f" and {more} more" if more > 0 else "")
