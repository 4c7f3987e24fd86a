"""The adapter protocol every platform implements, and the pieces adapters share."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar, Generic, Protocol, TypeVar

from fireside.discussions.platforms import ThreadRef as ThreadRef  # re-exported for adapters
from fireside_sync.errors import BadPayload

if TYPE_CHECKING:
    from fireside.discussions.snapshots import Thread
    from fireside_sync.http import HttpClient

T = TypeVar("T")


@dataclass(frozen=True)
class Hosts:
    """The executives of ``.authors.yml`` on one platform."""

    names: Mapping[str, str] = field(default_factory=dict)
    """Platform user id → the author's name."""

    def __contains__(self, user_id: object) -> bool:
        return user_id in self.names


@dataclass(frozen=True)
class Fetched:
    """One thread read from a platform."""

    thread: Thread
    bookmarks: Mapping[str, str] = field(default_factory=dict)
    skipped_messages: int = 0
    """Malformed or system messages left out (logged, counted)."""
    pages: int = 0


class Adapter(Protocol):
    """One platform. Instances are built per run with the run's ``HttpClient``.

    Two calls rather than singer-sdk's ``path``/``parse_response``/``post_process`` split
    (STYLE §10): platforms page differently enough (ids, cursors, next links, id lists) that
    the loop is simplest inside the adapter, which reuses ``BasePaginator`` and the shared
    transport. A new platform adds a module with its adapter here and its entry (links,
    hosts, mentions, defaults) in ``fireside.discussions.platforms``.
    """

    name: ClassVar[str]

    def resolve(self, ref: ThreadRef) -> str:
        """Return the thread id behind ``ref`` (may call the API for permalinks).

        Raises:
            SyncError: The reference cannot be resolved.
        """
        ...

    def fetch_thread(self, thread_id: str, *, hosts: Hosts, now: dt.datetime) -> Fetched:
        """Read a whole thread; ``now`` becomes its ``content_changed_at`` if it changed.

        Raises:
            SyncError: The thread could not be read completely.
        """
        ...


AdapterFactory = Callable[["HttpClient"], Adapter]
UrlParser = Callable[[str], "ThreadRef | None"]


class BasePaginator(Generic[T]):
    """Finds the next page token in a decoded page and refuses to loop on a repeated one."""

    def __init__(self, max_pages: int = 1000) -> None:
        self.current: T | None = None
        self.pages = 0
        self.max_pages = max_pages
        self._seen: set[T] = set()

    def get_next(self, page: Mapping[str, object]) -> T | None:
        """The token of the page after ``page``, or ``None`` at the end."""
        raise NotImplementedError

    def advance(self, page: Mapping[str, object]) -> T | None:
        """Move past ``page``; return the next token or ``None`` when finished.

        Raises:
            BadPayload: The platform repeated a token, or sent too many pages.
        """
        self.pages += 1
        token = self.get_next(page)
        if token is None:
            self.current = None
            return None
        if token in self._seen:
            raise BadPayload(f"the platform sent the same page twice (token {token}); "
                             "stopped paging to avoid a loop")
        if self.pages >= self.max_pages:
            raise BadPayload(f"more than {self.max_pages} pages; stopped paging")
        self._seen.add(token)
        self.current = token
        return token
