"""Discussion summaries for posts, from the snapshots ``fireside sync`` writes.

Engine-independent: no MkDocs, no network. ``load_discussions`` reads every referenced snapshot
once per build, applies moderation, and sets each post's ``discussion`` (which the panel, the
listings and the feeds read). Bodies are sanitized once per reply, and only for the replies a
page shows.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from fireside.core.content import Post, authors_by_platform, newest_first
from fireside.core.schema import Author
from fireside.core.settings import DiscussionSettings
from fireside.discussions.platforms import (
    PLATFORMS,
    ReferenceProblem,
    Registry,
    ThreadRef,
    display_name,
)
from fireside.discussions.sanitize import initials, initials_hue, redact_emails, render_body
from fireside.discussions.snapshots import (
    Reply,
    SnapshotError,
    SnapshotStore,
    SyncState,
    Thread,
    Totals,
)

if TYPE_CHECKING:
    from fireside.discussions.summary_cache import SummaryCache

__all__ = ["Discussion", "Discussions", "ShownReply", "Source", "ThreadSummary",
           "load_discussions",
           "most_discussed", "rank_replies"]


@dataclass(frozen=True)
class ShownReply:
    """A reply as a page shows it: safe body, display name, locally drawn initials."""

    id: str
    author_name: str
    initials: str
    hue: int
    created: dt.datetime
    body: str
    """Safe HTML."""
    likes: int
    executive: str | None
    """The executive's role (or ``Executive``) when an author of ``.authors.yml`` wrote it."""
    answers: tuple[ShownReply, ...] = ()
    """Executives' replies beneath this one."""
    platform: str = ""
    """Where the reply was written, when the post is discussed in several places."""

    @property
    def platform_name(self) -> str:
        """The platform's name as staff know it (empty for a single discussion)."""
        return display_name(self.platform) if self.platform else ""


@dataclass(frozen=True)
class Source:
    """One thread of a post's discussion: where it is, how fresh, and its counts."""

    platform: str
    url: str | None
    """The live thread, where staff join the discussion."""
    as_of: dt.datetime | None = None
    stale: str | None = None
    counts: Totals | None = None

    @property
    def platform_name(self) -> str:
        """The platform's name as staff know it (``Viva Engage``)."""
        return display_name(self.platform)


@dataclass(frozen=True)
class ThreadSummary:
    """What a post needs of one moderated thread: its link, counts and top replies.

    A function of the snapshot and the build's settings (not of the clock), so it can be kept
    between builds (``summary_cache``).
    """

    platform: str
    thread_id: str
    url: str
    """As the snapshot has it (checked before it becomes a link)."""
    content_changed_at: dt.datetime
    totals: Totals
    top: tuple[ShownReply, ...]
    """The ``top_replies`` best replies, ranked, each with its executives' answers."""


@dataclass(frozen=True)
class Discussion:
    """What a post's discussion panel, cards and feeds show."""

    platform: str
    url: str | None
    """The live thread, where staff join the discussion."""
    thread: Thread | None = None
    """The moderated snapshot, kept for Q&A sessions only (posts need just counts and top)."""
    top: tuple[ShownReply, ...] = ()
    as_of: dt.datetime | None = None
    stale: str | None = None
    """Why the snapshot may be out of date, when it may be."""
    counts: Totals | None = None
    """Reply, like and participant counts; ``None`` until the first sync."""
    sources: tuple[Source, ...] = ()
    """Every thread of the discussion (one, or one per platform); the fields above combine
    them: counts are summed, ``as_of`` is the oldest and ``stale`` the first reason."""

    @property
    def synced(self) -> bool:
        """Whether a snapshot exists (else the panel shows the link only)."""
        return self.counts is not None

    @property
    def platform_name(self) -> str:
        """The platform's name as staff know it (``Viva Engage``)."""
        return display_name(self.platform)

    @property
    def totals(self) -> Totals:
        """Reply, like and participant counts (zero before the first sync)."""
        return self.counts or Totals(0, 0, 0)

    @property
    def replies(self) -> int:
        """The number of visible replies."""
        return self.totals.replies

    @property
    def count_label(self) -> str:
        """``1 reply``, ``7 replies``."""
        count = self.totals.replies
        return f"{count} {'reply' if count == 1 else 'replies'}"


@dataclass
class Discussions:
    """Every snapshot the build needs, read once, with moderation applied."""

    settings: DiscussionSettings
    now: dt.datetime
    executives: Mapping[str, Mapping[str, Author]]
    """Platform → platform user id → author."""
    hidden: frozenset[str] = frozenset()
    registry: Registry = field(default_factory=Registry)
    state: SyncState = field(default_factory=SyncState)
    threads: dict[tuple[str, str], Thread | None] = field(default_factory=dict)
    notes: list[tuple[int, str]] = field(default_factory=list)
    """``(logging level, message)`` for the adapter to log."""
    cache: SummaryCache | None = None
    """Summaries kept from earlier builds, if the cache is on."""
    _bodies: dict[tuple[str, str, str], str] = field(default_factory=dict)
    _names: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)
    _keys: dict[str, tuple[ThreadRef | None, tuple[str, str] | None]] = field(
        default_factory=dict)
    _summaries: dict[tuple[str, str], ThreadSummary | None] = field(default_factory=dict)
    _store: SnapshotStore | None = None

    def thread_key(self, reference: str) -> tuple[ThreadRef | None, tuple[str, str] | None]:
        """The reference parsed and the ``(platform, thread id)`` of its snapshot, if known."""
        found = self._keys.get(reference)
        if found is None:
            try:
                ref = self.registry.parse(reference)
            except ReferenceProblem:
                found = (None, None)
            else:
                thread_id = ref.thread_id(self.state.resolved)
                found = (ref, None if thread_id is None else (ref.platform, thread_id))
            self._keys[reference] = found
        return found

    def resolve(self, reference: str) -> tuple[ThreadRef | None, Thread | None]:
        """The reference parsed and its moderated snapshot (``None`` when there is none)."""
        ref, key = self.thread_key(reference)
        if ref is None or key is None:
            return ref, None
        if key not in self.threads:
            self.threads[key] = self._load(*key)
        return ref, self.threads[key]

    def _load(self, platform: str, thread_id: str) -> Thread | None:
        store = SnapshotStore(self.settings.snapshots)
        try:
            thread = store.load(platform, thread_id)
        except SnapshotError as exc:
            self.notes.append((logging.WARNING, f"ignored invalid discussion snapshot {exc}; "
                                                "run 'fireside sync' again to replace it"))
            return None
        except ValueError:
            return None  # an id that cannot name a file has no snapshot
        return moderate(thread, self.hidden) if thread is not None else None

    def summary(self, key: tuple[str, str]) -> ThreadSummary | None:
        """The summary of a thread's moderated snapshot (``None`` when there is none)."""
        if key not in self._summaries:
            self._summaries[key] = self._summarise_file(*key)
        return self._summaries[key]

    def _summarise_file(self, platform: str, thread_id: str) -> ThreadSummary | None:
        store = self._store
        if store is None:
            store = self._store = SnapshotStore(self.settings.snapshots)
        try:
            path = store.path(platform, thread_id)
        except ValueError:
            return None  # an id that cannot name a file has no snapshot
        try:
            if self.cache is not None:
                return self.cache.get(path, self._summarise_bytes)
            data = store.read(path)
            return None if data is None else self._summarise_bytes(path, data)
        except SnapshotError as exc:
            self.notes.append((logging.WARNING, f"ignored invalid discussion snapshot {exc}; "
                                                "run 'fireside sync' again to replace it"))
            return None

    def _summarise_bytes(self, path: Path, data: bytes) -> ThreadSummary:
        return self.summarise(moderate(SnapshotStore.parse(path, data), self.hidden))

    def summarise(self, thread: Thread) -> ThreadSummary:
        """A moderated thread's summary: counts and the ``top_replies`` best replies."""
        exec_ids = set(self.executives.get(thread.platform, {}))
        children = children_of(thread)
        top = tuple(self.show(thread, reply, _answers(children, reply, exec_ids))
                    for reply in rank_replies(thread, exec_ids)[: self.settings.top_replies])
        self._names.pop(thread.key, None)
        return ThreadSummary(thread.platform, thread.thread_id, thread.url,
                             thread.content_changed_at, thread.totals, top)

    def freshness(self, thread: Thread | ThreadSummary) -> tuple[dt.datetime, str | None]:
        """When the snapshot was last known good, and why it may be stale."""
        entry = self.state.threads.get(f"{thread.platform}:{thread.thread_id}")
        as_of = (entry.last_success_at if entry and entry.last_success_at
                 else thread.content_changed_at)
        if entry is not None and entry.status == "stale":
            return as_of, "The last update from the platform failed"
        hours = self.settings.stale_after_hours
        if hours and self.now - as_of > dt.timedelta(hours=hours):
            return as_of, "This snapshot has not been updated recently"
        return as_of, None

    def executive(self, platform: str, reply: Reply) -> Author | None:
        """The author of ``.authors.yml`` who wrote ``reply``, if any."""
        return self.executives.get(platform, {}).get(reply.author_id)

    def show(self, thread: Thread, reply: Reply, answers: Sequence[Reply] = ()) -> ShownReply:
        """``reply`` ready for a template; its body is sanitized once per build."""
        key = (thread.platform, thread.thread_id, reply.id)
        body = self._bodies.get(key)
        if body is None:
            platform = PLATFORMS.get(thread.platform)
            body = render_body(reply.body, reply.body_format, self.names(thread),
                               platform.mention if platform else None)
            self._bodies[key] = body
        author = self.executive(thread.platform, reply)
        role = (author.description or "Executive") if author else (
            "Executive" if reply.is_host else None)
        name = redact_emails(author.name if author else reply.author_name) or "Unknown user"
        return ShownReply(reply.id, name, initials(name), initials_hue(reply.author_id),
                          reply.created, body, reply.likes, role,
                          tuple(self.show(thread, a) for a in answers))

    def forget_names(self) -> None:
        """Drop the per-thread name maps once the posts' summaries are built."""
        self._names.clear()

    def names(self, thread: Thread) -> dict[str, str]:
        """Platform user id → display name, for mentions."""
        key = thread.key
        if key not in self._names:
            names = {r.author_id: r.author_name for r in thread.replies}
            names.update({uid: a.name for uid, a in self.executives.get(thread.platform,
                                                                         {}).items()})
            self._names[key] = names
        return self._names[key]

    def discussion(self, post: Post) -> Discussion | None:
        """The summary for a post with a ``discussion:`` (``None`` without one).

        Several links (one per platform) make one discussion: counts are summed and the top
        replies are the best across all threads, each labelled with its platform.
        """
        sources: list[Source] = []
        ranked: list[tuple[tuple[int, float, tuple[int, int, str], int], ShownReply]] = []
        kept: Thread | None = None
        several = len(post.meta.discussion) > 1
        for index, reference in enumerate(post.meta.discussion):
            ref, key = self.thread_key(reference)
            if ref is None:
                continue  # never label a link with a platform it does not belong to
            live = self.registry.live_url(ref, reference)
            if post.kind == "qa":  # a Q&A session needs the whole thread: read it once
                thread = self.resolve(reference)[1]
                if kept is None:  # 1,000s of posts: keep reply bodies for Q&A sessions only
                    kept = thread
                summary = None if thread is None else self.summarise(thread)
            else:
                summary = None if key is None else self.summary(key)
            if summary is None:
                self.notes.append((logging.INFO, f"no discussion snapshot yet for "
                                                 f"{post.src_uri} ({reference}); showing the "
                                                 "link only"))
                sources.append(Source(ref.platform, live))
                continue
            as_of, stale = self.freshness(summary)
            url = summary.url if summary.url.lower().startswith(("https://", "http://")) \
                else None
            sources.append(Source(ref.platform, url or live, as_of, stale, summary.totals))
            for shown in summary.top:
                ranked.append(((-shown.likes, -shown.created.timestamp(), _id_key(shown.id),
                                index), replace(shown, platform=summary.platform) if several
                               else shown))
        if not sources:
            return None
        ranked.sort(key=lambda item: item[0])
        synced = [s for s in sources if s.counts is not None]
        counts = Totals(*(sum(getattr(s.counts, f) for s in synced)
                          for f in ("replies", "likes", "participants"))) if synced else None
        first = sources[0]
        return Discussion(
            first.platform, first.url, kept,
            tuple(shown for _, shown in ranked[: self.settings.top_replies]),
            min((s.as_of for s in synced if s.as_of), default=None),
            next((s.stale for s in sources if s.stale), None), counts, tuple(sources))


def moderate(thread: Thread, hidden: frozenset[str]) -> Thread:
    """``thread`` without the hidden replies and the replies beneath them, recounted."""
    if not hidden or not any(r.id in hidden for r in thread.replies):
        return thread
    removed: set[str] = set()
    for reply in thread.replies:  # ordered by time: a parent comes before its replies
        if reply.id in hidden or reply.parent_id in removed:
            removed.add(reply.id)
    kept = tuple(r for r in thread.replies if r.id not in removed)
    totals = Totals(replies=max(thread.totals.replies - len(removed), len(kept)),
                    likes=thread.totals.likes,
                    participants=len({r.author_id for r in kept}))
    return replace(thread, replies=kept, totals=totals)


def children_of(thread: Thread) -> dict[str | None, list[Reply]]:
    """Replies grouped by their parent id, each group in time order."""
    children: dict[str | None, list[Reply]] = {}
    for reply in thread.replies:
        children.setdefault(reply.parent_id, []).append(reply)
    return children


def descendants(children: Mapping[str | None, list[Reply]], reply: Reply) -> Iterator[Reply]:
    """Every reply beneath ``reply``."""
    stack = list(reversed(children.get(reply.id, [])))
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(children.get(current.id, [])))


def _answers(children: Mapping[str | None, list[Reply]], reply: Reply,
             exec_ids: set[str]) -> list[Reply]:
    return sorted((r for r in descendants(children, reply)
                   if r.is_host or r.author_id in exec_ids), key=lambda r: (r.created, r.id))


def rank_replies(thread: Thread, exec_ids: Iterable[str] = ()) -> list[Reply]:
    """Replies by likes, then the newest first (then id); executives' answers excluded.

    An executive's reply to another reply is shown beneath that reply, not on its own.
    """
    execs = set(exec_ids)
    candidates = [r for r in thread.replies
                  if not (r.parent_id is not None and (r.is_host or r.author_id in execs))]
    return sorted(candidates, key=lambda r: (-r.likes, -r.created.timestamp(), _id_key(r.id)))


def _id_key(ident: str) -> tuple[int, int, str]:
    # Newer platform ids are larger: sort them first, numerically when they are numbers.
    return (0, -int(ident), "") if ident.isdigit() else (1, 0, ident)


def most_discussed(posts: Sequence[Post], *, limit: int = 5, recent: int = 20) -> list[Post]:
    """Among the ``recent`` newest posts, the ``limit`` with the most replies (ties: newer)."""
    newest = newest_first(posts)[:recent]
    counted = [(p, _reply_count(p)) for p in newest]
    ranked = sorted((pc for pc in counted if pc[1] > 0), key=lambda pc: -pc[1])
    return [p for p, _ in ranked[:limit]]


def _reply_count(post: Post) -> int:
    return post.discussion.replies if post.discussion is not None else 0


def load_discussions(posts: Iterable[Post], settings: DiscussionSettings, *, now: dt.datetime,
                     authors: Mapping[str, Author], hidden: frozenset[str],
                     registry: Registry | None = None,
                     cache: SummaryCache | None = None) -> Discussions:
    """Read the snapshots of ``posts`` and attach their discussion summaries.

    Sets ``post.discussion``, which the panel, the listings and the feeds read.
    Never raises for a missing or invalid snapshot; see ``Discussions.notes``.
    ``cache`` supplies (and keeps) thread summaries; the caller saves it.
    """
    found = Discussions(settings, now, authors_by_platform(authors), hidden,
                        registry or Registry(), cache=cache)
    try:
        found.state = SnapshotStore(settings.snapshots).load_state()
    except SnapshotError as exc:
        found.notes.append((logging.WARNING, f"ignored invalid sync state {exc}"))
    if not Path(settings.snapshots).is_dir():
        found.notes.append((logging.INFO, f"no discussion snapshots in {settings.snapshots} "
                                          "yet; run 'fireside sync' to fetch them"))
    # Each thread is read once, and only its summary is kept: 1,000s of snapshots are never
    # all in memory at once.
    for post in posts:
        if not post.meta.comments:
            continue
        discussion = found.discussion(post)
        if discussion is not None:
            post.discussion = discussion
    found.threads.clear()  # summaries are attached; Q&A sessions reload the few they need
    found.forget_names()
    return found
