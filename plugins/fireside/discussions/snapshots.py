"""The snapshot contract between ``fireside sync`` (the writer) and the build (the reader).

Pure Python: no MkDocs, no HTTP. One JSON file per thread, ``<snapshots>/<platform>/<id>.json``::

    {
      "generated_by": "fireside sync",
      "schema_version": 1,
      "thread": {
        "content_changed_at": "2026-03-02T08:00:00Z",
        "platform": "yammer",
        "replies": [
          {
            "author_id": "1500000001",
            "author_name": "Dana Whitfield",
            "body": "<p>Thanks, <a href=\\"...\\">@Sam</a>!</p>",
            "body_format": "html",
            "created": "2026-03-01T09:15:02Z",
            "id": "3100000000000042",
            "is_host": true,
            "likes": 4,
            "mentions": ["1500000777"],
            "parent_id": null
          }
        ],
        "thread_id": "2000000001",
        "totals": {"likes": 31, "participants": 1, "replies": 1},
        "url": "https://web.yammer.com/main/threads/eyJfdHlwZSI6..."
      }
    }

- ``replies`` excludes the thread's starter (the post's announcement) and is ordered by
  ``(created, id)``. ``parent_id`` is ``null`` for a top-level reply (a Q&A question) and
  otherwise the id of another reply in the same file.
- ``totals.replies`` counts the replies, ``totals.likes`` is the likes on the starter (the
  post itself), ``totals.participants`` the distinct reply authors.
- ``body_format`` is ``html`` or ``text`` as received: the build sanitizes the first and
  escapes the second. No email address is ever stored.
- ``content_changed_at`` is the sync run that last saw a different thread.

The sync state sits beside the snapshots in ``<snapshots>/_state.json``::

    {"generated_by": "fireside sync", "schema_version": 1,
     "resolved": {"yammer:message:3100000000000042": "2000000001"},
     "threads": {"yammer:2000000001": {"bookmarks": {"newest_id": "..."},
                 "last_error": null, "last_fetched_at": "...Z",
                 "last_success_at": "...Z", "status": "ok"}}}

Every file is written atomically (temp file in the same folder, fsync, ``os.replace``, folder
fsync) with sorted keys and ``indent=2``, so an unchanged thread leaves a byte-identical file.
Temp files start with a dot and never end in ``.json``. Every read is validated: a file of the
wrong shape raises ``SnapshotError`` naming the file, and the build treats it as missing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import operator
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, cast

from fireside.core.errors import FiresideError

__all__ = [
    "SCHEMA_VERSION",
    "Reply",
    "SnapshotError",
    "SnapshotStore",
    "SyncState",
    "Thread",
    "ThreadState",
    "Totals",
    "atomic_write",
    "format_time",
    "parse_time",
]

SCHEMA_VERSION = 1
GENERATED_BY = "fireside sync"
STATE_FILE = "_state.json"
BODY_FORMATS = ("html", "text")
STATUSES = ("ok", "stale")
#: A reply body as received: HTML (sanitized by the build) or plain text (escaped).
BodyFormat = Literal["html", "text"]
#: A thread's sync status: ``stale`` when the last fetch failed.
ThreadStatus = Literal["ok", "stale"]


class SnapshotError(FiresideError):
    """A snapshot or state file does not have the expected shape."""

    def __init__(self, path: Path | str, message: str) -> None:
        self.path = Path(path)
        super().__init__(f"{path}: {message}")


@dataclass(frozen=True, slots=True)
class Reply:
    """One reply in a thread."""

    id: str
    parent_id: str | None
    """``None`` for a top-level reply, else the id of another reply in the thread."""
    author_id: str
    author_name: str
    created: dt.datetime
    """Tz-aware, UTC."""
    body: str
    body_format: str
    """``html`` or ``text`` (``BodyFormat``), as received; checked on read."""
    """``html`` (sanitize before rendering) or ``text`` (escape before rendering)."""
    likes: int
    is_host: bool
    """The author is an executive of ``.authors.yml`` (by their platform user id)."""
    mentions: tuple[str, ...] = ()
    """Platform user ids mentioned in the body."""


@dataclass(frozen=True, slots=True)
class Totals:
    """Thread-level counts."""

    replies: int
    likes: int
    """Likes on the thread's starter, i.e. on the post itself."""
    participants: int


@dataclass(frozen=True)
class Thread:
    """One discussion thread, as the build embeds it."""

    platform: str
    thread_id: str
    url: str
    """The web link staff click to join the discussion."""
    content_changed_at: dt.datetime
    totals: Totals
    replies: tuple[Reply, ...]
    """Ordered by ``(created, id)``."""

    @property
    def key(self) -> tuple[str, str]:
        """``(platform, thread_id)``."""
        return (self.platform, self.thread_id)

    def same_content(self, other: Thread | None) -> bool:
        """Whether ``other`` differs from this thread only in ``content_changed_at``."""
        return other is not None and _thread_to_json(self, content_changed=False) == \
            _thread_to_json(other, content_changed=False)


@dataclass(frozen=True)
class ThreadState:
    """What the sync knows about one thread between runs."""

    last_fetched_at: dt.datetime | None = None
    last_success_at: dt.datetime | None = None
    status: ThreadStatus = "ok"
    """``ok``, or ``stale`` when the last fetch failed and the snapshot is older."""
    last_error: str | None = None
    bookmarks: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class SyncState:
    """The whole sync state: per thread, keyed ``"platform:id"``, and resolved references."""

    threads: Mapping[str, ThreadState] = field(default_factory=dict)
    resolved: Mapping[str, str] = field(default_factory=dict)
    """Reference keys (e.g. a message permalink) already resolved to a thread id."""


def format_time(value: dt.datetime) -> str:
    """Return ``value`` as UTC ISO 8601 with a ``Z``, to the second."""
    if value.tzinfo is None:
        raise ValueError("naive datetime")
    return value.astimezone(dt.UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(value: str) -> dt.datetime:
    """Parse an ISO 8601 time with an offset into a UTC datetime."""
    parsed = dt.datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise ValueError("no UTC offset")
    return parsed.astimezone(dt.UTC)


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so readers see the old file or the new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    with contextlib.suppress(OSError):  # not every platform can fsync a directory
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def _dumps(data: Any) -> bytes:
    text = json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    return text.encode("utf-8", "replace")  # a lone surrogate must never crash a write


class SnapshotStore:
    """Reads and writes the snapshot files and the sync state under one directory."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)

    def path(self, platform: str, thread_id: str) -> Path:
        """The snapshot file of a thread."""
        for part in (platform, thread_id):
            if not part or part.startswith(".") or "/" in part or "\\" in part:
                raise ValueError(f"unsafe snapshot name part {part!r}")
        return self.directory / platform / f"{thread_id}.json"

    def load(self, platform: str, thread_id: str) -> Thread | None:
        """Return the stored thread, ``None`` if there is none.

        Raises:
            SnapshotError: The file exists but is not a valid snapshot.
        """
        path = self.path(platform, thread_id)
        data = self.read(path)
        return None if data is None else self.parse(path, data)

    @staticmethod
    def read(path: Path) -> bytes | None:
        """The bytes of a snapshot file, ``None`` if there is none.

        Raises:
            SnapshotError: The file exists but cannot be read.
        """
        return SnapshotStore.read_bytes(path) if path.is_file() else None

    @staticmethod
    def read_bytes(path: Path) -> bytes:
        """The bytes of the snapshot file ``path``, known to exist.

        Raises:
            SnapshotError: The file cannot be read.
        """
        try:
            return path.read_bytes()
        except OSError as exc:
            raise _unreadable(path, exc) from None

    @staticmethod
    def parse(path: Path, data: bytes) -> Thread:
        """The thread held in ``data``, the bytes of the snapshot file ``path``.

        Raises:
            SnapshotError: ``data`` is not a valid snapshot of that file's thread.
        """
        return _thread_from_file(path, _read_json(path, data))

    def load_all(self) -> dict[tuple[str, str], Thread]:
        """Return every stored thread by ``(platform, thread_id)``.

        Raises:
            SnapshotError: A file is not a valid snapshot.
        """
        threads: dict[tuple[str, str], Thread] = {}
        if not self.directory.is_dir():
            return threads
        for path in sorted(self.directory.glob("*/*.json")):
            if path.name.startswith(".") or path.parent.name.startswith("."):
                continue
            thread = self._read_thread(path)
            threads[thread.key] = thread
        return threads

    def save(self, thread: Thread) -> bool:
        """Write ``thread`` atomically; return whether the file changed."""
        path = self.path(thread.platform, thread.thread_id)
        data = _dumps({"generated_by": GENERATED_BY, "schema_version": SCHEMA_VERSION,
                       "thread": _thread_to_json(thread)})
        with contextlib.suppress(OSError):
            if path.read_bytes() == data:
                return False
        atomic_write(path, data)
        return True

    def remove_temp_files(self) -> int:
        """Delete temp files a killed writer left behind; return how many (call under a lock)."""
        removed = 0
        if self.directory.is_dir():
            for path in self.directory.glob("**/.*.tmp"):
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
                    removed += 1
        return removed

    def load_state(self) -> SyncState:
        """Return the sync state (empty when there is none yet).

        Raises:
            SnapshotError: The state file is not valid.
        """
        path = self.directory / STATE_FILE
        if not path.is_file():
            return SyncState()
        data = _read_json(path)
        try:
            return _state_from_json(data)
        except _ShapeError as exc:
            raise SnapshotError(path, str(exc)) from None

    def save_state(self, state: SyncState) -> None:
        """Write the sync state atomically."""
        atomic_write(self.directory / STATE_FILE, _dumps(_state_to_json(state)))

    def _read_thread(self, path: Path) -> Thread:
        return _thread_from_file(path, _read_json(path))


def _thread_from_file(path: Path, data: Mapping[str, Any]) -> Thread:
    """The thread of a snapshot file's JSON, checked against the file's name."""
    try:
        thread = _thread_from_json(_field(data, "thread", dict))
    except _ShapeError as exc:
        raise SnapshotError(path, str(exc)) from None
    if (thread.platform, f"{thread.thread_id}.json") != (path.parent.name, path.name):
        raise SnapshotError(path, f"Expected thread {path.parent.name}:{path.stem}, but "
                                  f"received: {thread.platform}:{thread.thread_id}")
    return thread


class _ShapeError(Exception):
    pass


def _unreadable(path: Path, exc: Exception) -> SnapshotError:
    return SnapshotError(path, f"Expected a JSON snapshot, but received: "
                               f"{str(exc)[:200] or type(exc).__name__}")


def _read_json(path: Path, raw: bytes | None = None) -> dict[str, Any]:
    """The JSON object in ``path`` (or in ``raw``, its bytes, decoded as reading it would)."""
    try:
        text = (path.read_text(encoding="utf-8") if raw is None else
                io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8").read())
        data = json.loads(text)
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise _unreadable(path, exc) from None
    if not isinstance(data, dict):
        raise SnapshotError(path, f"Expected an object, but received: {type(data).__name__}")
    version = data.get("schema_version")
    if version != SCHEMA_VERSION:
        raise SnapshotError(path, f"Expected schema_version {SCHEMA_VERSION}, but received: "
                                  f"{version!r}")
    return data


_NAMES = {dict: "an object", list: "a list", str: "a string", int: "an integer",
          bool: "true or false"}


def _field(data: Mapping[str, Any], name: str, kind: type, *, optional: bool = False) -> Any:
    value = data.get(name)
    if value is None and optional:
        return None
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        shown = "nothing" if name not in data else repr(value)[:80]
        raise _ShapeError(f"Expected {name!r} to be {_NAMES[kind]}, but received: {shown}")
    return value


def _time(data: Mapping[str, Any], name: str, *, optional: bool = False) -> dt.datetime | None:
    text = _field(data, name, str, optional=optional)
    if text is None:
        return None
    try:
        return parse_time(text)
    except ValueError:
        raise _ShapeError(f"Expected {name!r} to be a UTC ISO 8601 time, but received: "
                          f"{text!r}") from None


def _count(data: Mapping[str, Any], name: str) -> int:
    value: int = _field(data, name, int)
    if value < 0:
        raise _ShapeError(f"Expected {name!r} to be 0 or more, but received: {value}")
    return value


#: A reply's fields, fetched in one call (a missing one raises ``KeyError``).
_REPLY_FIELDS = operator.itemgetter("id", "parent_id", "author_id", "author_name", "created",
                                    "body", "body_format", "likes", "is_host", "mentions")


def _reply_from_json(data: Any) -> Reply:
    """Map one reply, with a fast path for the well-formed case (builds read thousands)."""
    if type(data) is dict:
        try:
            ident, parent, author_id, name, created, body, body_format, likes, is_host, \
                mentions = _REPLY_FIELDS(data)
        except KeyError:
            return _checked_reply_from_json(data)  # names the missing field
        if (type(ident) is str and type(author_id) is str and type(name) is str
                and type(body) is str and body_format in BODY_FORMATS and type(is_host) is bool
                and type(likes) is int and likes >= 0 and type(created) is str
                and (parent is None or type(parent) is str) and type(mentions) is list
                and (not mentions or all(type(m) is str for m in mentions))):
            try:
                when = parse_time(created)
            except ValueError:
                pass  # the checked path below names the field
            else:
                return Reply(ident, parent, author_id, name, when, body, body_format, likes,
                             is_host, tuple(mentions))
    return _checked_reply_from_json(data)


def _checked_reply_from_json(data: Any) -> Reply:
    if not isinstance(data, dict):
        raise _ShapeError(f"Expected a reply object, but received: {data!r:.80}")
    body_format = _field(data, "body_format", str)
    if body_format not in BODY_FORMATS:
        raise _ShapeError(f"Expected 'body_format' html or text, but received: {body_format!r}")
    mentions = _field(data, "mentions", list)
    if not all(isinstance(m, str) for m in mentions):
        raise _ShapeError(f"Expected 'mentions' to be strings, but received: {mentions!r:.80}")
    created = _time(data, "created")
    assert created is not None
    return Reply(
        id=_field(data, "id", str),
        parent_id=_field(data, "parent_id", str, optional=True),
        author_id=_field(data, "author_id", str),
        author_name=_field(data, "author_name", str),
        created=created,
        body=_field(data, "body", str),
        body_format=body_format,
        likes=_count(data, "likes"),
        is_host=_field(data, "is_host", bool),
        mentions=tuple(mentions),
    )


def _reply_to_json(reply: Reply) -> dict[str, Any]:
    return {
        "id": reply.id,
        "parent_id": reply.parent_id,
        "author_id": reply.author_id,
        "author_name": reply.author_name,
        "created": format_time(reply.created),
        "body": reply.body,
        "body_format": reply.body_format,
        "likes": reply.likes,
        "is_host": reply.is_host,
        "mentions": list(reply.mentions),
    }


def _thread_from_json(data: Mapping[str, Any]) -> Thread:
    totals = _field(data, "totals", dict)
    replies = tuple(_reply_from_json(r) for r in _field(data, "replies", list))
    ids = {r.id for r in replies}
    if len(ids) != len(replies):
        raise _ShapeError("Expected unique reply ids, but received duplicates")
    for reply in replies:
        if reply.parent_id is not None and reply.parent_id not in ids:
            raise _ShapeError(f"Expected parent_id of reply {reply.id} to be a reply of this "
                              f"thread, but received: {reply.parent_id!r}")
    changed = _time(data, "content_changed_at")
    assert changed is not None
    return Thread(
        platform=_field(data, "platform", str),
        thread_id=_field(data, "thread_id", str),
        url=_field(data, "url", str),
        content_changed_at=changed,
        totals=Totals(replies=_count(totals, "replies"), likes=_count(totals, "likes"),
                      participants=_count(totals, "participants")),
        replies=tuple(sorted(replies, key=lambda r: (r.created, r.id))),
    )


def _thread_to_json(thread: Thread, *, content_changed: bool = True) -> dict[str, Any]:
    data: dict[str, Any] = {
        "platform": thread.platform,
        "thread_id": thread.thread_id,
        "url": thread.url,
        "totals": {"replies": thread.totals.replies, "likes": thread.totals.likes,
                   "participants": thread.totals.participants},
        "replies": [_reply_to_json(r) for r in sorted(thread.replies,
                                                      key=lambda r: (r.created, r.id))],
    }
    if content_changed:
        data["content_changed_at"] = format_time(thread.content_changed_at)
    return data


def _state_from_json(data: Mapping[str, Any]) -> SyncState:
    threads: dict[str, ThreadState] = {}
    for key, entry in _field(data, "threads", dict).items():
        if not isinstance(entry, dict):
            raise _ShapeError(f"Expected state of {key!r} to be an object, but received: "
                              f"{entry!r:.80}")
        status = _field(entry, "status", str)
        if status not in STATUSES:
            raise _ShapeError(f"Expected 'status' ok or stale, but received: {status!r}")
        bookmarks = _field(entry, "bookmarks", dict)
        threads[key] = ThreadState(
            last_fetched_at=_time(entry, "last_fetched_at", optional=True),
            last_success_at=_time(entry, "last_success_at", optional=True),
            status=cast("ThreadStatus", status),
            last_error=_field(entry, "last_error", str, optional=True),
            bookmarks={str(k): str(v) for k, v in bookmarks.items()},
        )
    resolved = _field(data, "resolved", dict)
    return SyncState(threads=threads, resolved={str(k): str(v) for k, v in resolved.items()})


def _state_to_json(state: SyncState) -> dict[str, Any]:
    def when(value: dt.datetime | None) -> str | None:
        return format_time(value) if value else None

    return {
        "generated_by": GENERATED_BY,
        "schema_version": SCHEMA_VERSION,
        "resolved": dict(state.resolved),
        "threads": {
            key: {"last_fetched_at": when(s.last_fetched_at),
                  "last_success_at": when(s.last_success_at), "status": s.status,
                  "last_error": s.last_error, "bookmarks": dict(s.bookmarks)}
            for key, s in state.threads.items()
        },
    }
