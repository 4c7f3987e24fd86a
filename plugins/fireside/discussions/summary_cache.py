"""Each thread's summary kept between builds: ``.cache/fireside/discussions.json``.

A post's panel, cards and feeds need of a thread only its summary (link, counts, the top
replies with their bodies sanitized), and making it means reading, checking and ranking the
whole snapshot. The summary is a function of the snapshot's bytes and of the **environment**:
the code that makes it, nh3's version, ``top_replies``, the hidden reply ids and the
executives' platform ids, names and roles. So an entry is keyed on a SHA-256 of the file, under
a digest of the environment (a different one empties the cache).

A file whose size, mtime, ctime and inode are those seen when it was hashed is not read again;
one changed less than ``RACY_SECONDS`` before it was read is always hashed (its times may not
show a second edit). Staleness depends on the sync state and the clock, so it is computed in
every build. Anything unreadable or of another shape is a miss: a wrong hit is worse than none.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import hashlib
import json
import os
import platform as python
import tempfile
import time
from collections.abc import Callable, Mapping
from importlib import metadata
from pathlib import Path
from stat import S_ISREG
from typing import TYPE_CHECKING, Any

from fireside.discussions.panel import ShownReply, ThreadSummary
from fireside.discussions.snapshots import SnapshotStore, Totals

if TYPE_CHECKING:
    from fireside.core.schema import Author

__all__ = ["CACHE_FILE", "SummaryCache", "environment"]

CACHE_FILE = "discussions.json"
SCHEMA_VERSION = 1
#: A file modified this recently when it was read may change again within its mtime's tick.
RACY_SECONDS = 2
#: The code whose output is cached: every module of ``fireside.discussions``.
_CODE = Path(__file__).parent
#: ``os.stat`` errors that mean "no such file" (``pathlib``'s own list).
_MISSING = frozenset({errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP})


def environment(*, top_replies: int, hidden: frozenset[str],
                executives: Mapping[str, Mapping[str, Author]]) -> str:
    """A digest of everything but the snapshot that a thread's summary depends on."""
    sha = hashlib.sha256()
    for path in sorted(_CODE.rglob("*.py")):
        sha.update(path.relative_to(_CODE).as_posix().encode() + b"\0" + path.read_bytes())
    people = sorted([platform, uid, author.name, author.description]
                    for platform, ids in executives.items() for uid, author in ids.items())
    try:
        nh3 = metadata.version("nh3")
    except metadata.PackageNotFoundError:  # pragma: no cover - nh3 is a dependency
        nh3 = "none"
    sha.update(json.dumps([SCHEMA_VERSION, python.python_version(), nh3, top_replies,
                           sorted(hidden), people]).encode())
    return sha.hexdigest()


def _stat(path: Path) -> list[int] | None:
    """The size, mtime, ctime and inode of a regular file; ``None`` if there is none."""
    try:
        st = os.stat(path)
    except OSError as exc:
        if exc.errno in _MISSING:
            return None
        raise  # as ``Path.is_file`` does
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino] \
        if S_ISREG(st.st_mode) else None


class SummaryCache:
    """The summaries of one environment, read at the start of a build and saved at its end."""

    def __init__(self, directory: Path, environment: str) -> None:
        self.path = Path(directory) / CACHE_FILE
        self.environment = environment
        self.hits = self.misses = 0
        self._entries = self._read()
        self._used: dict[str, dict[str, Any]] = {}
        self._changed = False

    def get(self, path: Path,
            summarise: Callable[[Path, bytes], ThreadSummary]) -> ThreadSummary | None:
        """The summary of the snapshot ``path``: cached, else ``summarise(path, its bytes)``.

        Returns ``None`` when there is no such file.

        Raises:
            SnapshotError: The file cannot be read, or ``summarise`` raised it.
        """
        key = str(path)
        entry = self._entries.get(key)
        seen = _stat(path)  # before the read: a later edit changes it
        if seen is None:
            return None
        if entry is not None and entry.get("stat") == seen and \
                (found := _summary(entry.get("summary"))) is not None:
            self._used[key] = entry
            self.hits += 1
            return found
        data = SnapshotStore.read_bytes(path)
        sha = hashlib.sha256(data).hexdigest()
        settled = seen if _settled(seen) else None
        self._changed = True
        if entry is not None and entry.get("sha256") == sha and \
                (found := _summary(entry.get("summary"))) is not None:
            self._used[key] = {**entry, "stat": settled}  # the same bytes, touched
            self.hits += 1
            return found
        summary = summarise(path, data)
        self._used[key] = {"sha256": sha, "stat": settled, "summary": _summary_json(summary)}
        self.misses += 1
        return summary

    def save(self) -> None:
        """Write the entries this build used (others are dropped), atomically; never raises."""
        if not self._changed and self._used.keys() == self._entries.keys():
            return
        text = json.dumps({"schema_version": SCHEMA_VERSION, "environment": self.environment,
                           "threads": self._used}, separators=(",", ":"), check_circular=False)
        with contextlib.suppress(OSError):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.name}.",
                                       suffix=".tmp")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    handle.write(text)
                os.replace(tmp, self.path)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                raise

    def _read(self) -> dict[str, dict[str, Any]]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError, RecursionError):
            return {}
        if (not isinstance(data, dict) or data.get("schema_version") != SCHEMA_VERSION
                or data.get("environment") != self.environment
                or not isinstance(data.get("threads"), dict)):
            return {}
        return {k: v for k, v in data["threads"].items() if isinstance(v, dict)}


def _settled(stat: list[int]) -> bool:
    """Whether the file was last changed long enough ago for its times to show a new edit."""
    return time.time_ns() - max(stat[1], stat[2]) > RACY_SECONDS * 1_000_000_000


def _summary_json(summary: ThreadSummary) -> dict[str, Any]:
    return {"platform": summary.platform, "thread_id": summary.thread_id, "url": summary.url,
            "changed": summary.content_changed_at.isoformat(),
            "totals": [summary.totals.replies, summary.totals.likes,
                       summary.totals.participants],
            "top": [_reply_json(r) for r in summary.top]}


def _reply_json(reply: ShownReply) -> list[Any]:
    return [reply.id, reply.author_name, reply.initials, reply.hue, reply.created.isoformat(),
            reply.body, reply.likes, reply.executive, [_reply_json(a) for a in reply.answers]]


def _summary(data: Any) -> ThreadSummary | None:
    """The summary held in ``data``, or ``None`` for anything of another shape."""
    try:
        totals = data["totals"]
        if not (type(totals) is list and len(totals) == 3
                and all(type(n) is int for n in totals)):
            return None
        fields = (data["platform"], data["thread_id"], data["url"], data["changed"])
        if not all(type(f) is str for f in fields) or type(data["top"]) is not list:
            return None
        return ThreadSummary(*fields[:3], _time(fields[3]), Totals(*totals),
                             tuple(_reply(r) for r in data["top"]))
    except (KeyError, TypeError, ValueError, RecursionError):
        return None


def _reply(data: Any) -> ShownReply:
    ident, name, initials, hue, created, body, likes, executive, answers = data
    if not (type(ident) is str and type(name) is str and type(initials) is str
            and type(hue) is int and type(created) is str and type(body) is str
            and type(likes) is int and (executive is None or type(executive) is str)
            and type(answers) is list):
        raise ValueError("not a cached reply")
    return ShownReply(ident, name, initials, hue, _time(created), body, likes, executive,
                      tuple(_reply(a) for a in answers))


def _time(text: str) -> dt.datetime:
    value = dt.datetime.fromisoformat(text)
    if value.tzinfo is None:
        raise ValueError("naive time")
    return value.astimezone(dt.UTC)
