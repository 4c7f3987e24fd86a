"""What insights read: visible posts and Q&A sessions, each with its moderated snapshot.

Engine-independent. Snapshots are read through ``discussions.panel.Discussions`` so moderation
and permalink resolution follow exactly the rules the site itself uses. A thread whose last
sync failed (``stale`` in the sync state) marks a gap.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from fireside.core.content import Post
from fireside.core.schema import Author
from fireside.core.settings import DiscussionSettings
from fireside.core.site import Site
from fireside.discussions.panel import Discussions, load_discussions
from fireside.discussions.snapshots import Reply, Thread
from fireside.insights.options import InsightsOptions

__all__ = ["Inputs", "Item", "collect"]


@dataclass(frozen=True)
class Item:
    """A post or Q&A session with its discussion threads (one per linked platform)."""

    post: Post
    threads: tuple[Thread, ...] = ()
    """The moderated snapshots; empty without a discussion or before the first sync."""
    ids: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    """Platform → leader key → user id, for the post's authors (a session's hosts)."""
    stale: bool = False
    """The last sync of a thread failed (the sync state says ``stale``)."""
    as_of: dt.datetime | None = None
    """When the snapshots were last known good (the oldest of them)."""

    @property
    def kind(self) -> str:
        """``post`` or ``qa``."""
        return self.post.kind

    @property
    def synced(self) -> bool:
        """Whether at least one thread has a snapshot."""
        return bool(self.threads)

    @property
    def leaders(self) -> tuple[str, ...]:
        """The post's authors (a session's hosts), as ``.authors.yml`` keys."""
        return self.post.meta.authors

    def leader_ids(self, platform: str) -> frozenset[str]:
        """The authors' user ids on ``platform``: their replies are not staff replies."""
        return frozenset(self.ids.get(platform, {}).values())

    def leader_id(self, key: str, platform: str) -> str | None:
        """Leader ``key``'s user id on ``platform``."""
        return self.ids.get(platform, {}).get(key)

    def replies(self) -> Iterator[tuple[Thread, Reply]]:
        """Every reply of every thread, with its thread."""
        for thread in self.threads:
            for reply in thread.replies:
                yield thread, reply

    def staff_replies(self) -> list[tuple[Thread, Reply]]:
        """Replies not written by an author or host of the item."""
        return [(t, r) for t, r in self.replies() if r.author_id not in
                self.leader_ids(t.platform)]


@dataclass(frozen=True)
class Inputs:
    """Everything the report and the inbox are computed from."""

    items: tuple[Item, ...]
    """Visible posts and sessions, oldest first."""
    authors: Mapping[str, Author]
    executive_ids: Mapping[str, frozenset[str]]
    """Platform → the user ids of every author in ``.authors.yml`` (never counted as staff)."""
    now: dt.datetime
    """The report's "as of": the explicit ``now`` if one is set, else the newest snapshot."""
    options: InsightsOptions
    site_name: str
    newest_snapshot: dt.datetime | None
    stale_threads: int
    stale_since: dt.datetime | None
    """The oldest "last known good" time of a stale thread: periods from then are incomplete."""


def collect(site: Site, settings: DiscussionSettings, options: InsightsOptions, *,
            hidden: frozenset[str], site_name: str = "Fireside",
            now: dt.datetime | None = None) -> Inputs:
    """Resolve every visible post's and session's snapshot.

    Arguments:
        site: The loaded blog (``core.site.load_site``).
        settings: The ``discussions`` options (snapshot folder, staleness).
        options: The ``insights`` options.
        hidden: Reply ids hidden by moderation.
        site_name: Shown in the report's header.
        now: A fixed "as of"; by default the newest snapshot's time, so the same snapshots give
            the same report whenever it is built.
    """
    found = load_discussions([], settings, now=now or site.options.now, authors=site.authors,
                             hidden=hidden, registry=site.options.registry)
    posts = sorted([*site.posts, *site.sessions], key=lambda p: (p.created, p.src_uri))
    resolved: list[tuple[Post, tuple[Thread, ...]]] = []
    for post in posts:
        linked: dict[tuple[str, str], Thread] = {}
        if settings.enabled and post.meta.comments:
            for reference in post.meta.discussion:
                snapshot = found.resolve(reference)[1]
                if snapshot is not None:
                    linked.setdefault(snapshot.key, snapshot)
        resolved.append((post, tuple(linked.values())))
    goods = [_last_good(found, t) for _, threads in resolved for t in threads]
    newest = max(goods, default=None)
    as_of = now or newest or site.options.now
    items: list[Item] = []
    stale_since: dt.datetime | None = None
    stale_keys: set[tuple[str, str]] = set()
    for post, threads in resolved:
        ids: dict[str, dict[str, str]] = {}
        stale, goods_of_post = False, []
        for thread in threads:
            for key in post.meta.authors:
                user = (site.authors.get(key) or Author(key, key)).platforms or {}
                if thread.platform in user:
                    ids.setdefault(thread.platform, {})[key] = str(user[thread.platform])
            good = _last_good(found, thread)
            goods_of_post.append(good)
            if _failed(found, thread):
                stale = True
                stale_keys.add(thread.key)
                stale_since = good if stale_since is None else min(stale_since, good)
        items.append(Item(post, threads, ids, stale, min(goods_of_post, default=None)))
    return Inputs(
        items=tuple(items), authors=site.authors,
        executive_ids={p: frozenset(ids) for p, ids in found.executives.items()},
        now=as_of, options=options, site_name=site_name, newest_snapshot=newest,
        stale_threads=len(stale_keys), stale_since=stale_since,
    )


def _failed(found: Discussions, thread: Thread) -> bool:
    """Whether the thread's last sync failed (its snapshot is the last good one).

    Age alone is no sign of a gap here: sync fetches old threads only weekly by default.
    """
    entry = found.state.threads.get(f"{thread.platform}:{thread.thread_id}")
    return entry is not None and entry.status == "stale"


def _last_good(found: Discussions, thread: Thread) -> dt.datetime:
    entry = found.state.threads.get(f"{thread.platform}:{thread.thread_id}")
    return entry.last_success_at if entry and entry.last_success_at else \
        thread.content_changed_at
