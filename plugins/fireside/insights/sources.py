"""What insights read: visible posts and Q&A sessions, each with its moderated snapshot.

Engine-independent. Snapshots are read through ``discussions.panel.Discussions`` so moderation,
permalink resolution and freshness follow exactly the rules the site itself uses.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from fireside.core.content import Post
from fireside.core.schema import Author
from fireside.core.settings import DiscussionSettings
from fireside.core.site import Site
from fireside.discussions.panel import Discussions, load_discussions
from fireside.discussions.snapshots import Thread
from fireside.insights.options import InsightsOptions

__all__ = ["Inputs", "Item", "collect"]


@dataclass(frozen=True)
class Item:
    """A post or Q&A session with its discussion (if synced)."""

    post: Post
    thread: Thread | None
    """The moderated snapshot; ``None`` without a discussion or before the first sync."""
    ids: Mapping[str, str] = field(default_factory=dict)
    """Leader key → user id on the thread's platform, for the post's authors (session's hosts)."""
    stale: bool = False
    """The last sync of this thread failed, or it is older than ``stale_after_hours``."""
    as_of: dt.datetime | None = None
    """When the snapshot was last known good."""

    @property
    def kind(self) -> str:
        """``post`` or ``qa``."""
        return self.post.kind

    @property
    def leaders(self) -> tuple[str, ...]:
        """The post's authors (a session's hosts), as ``.authors.yml`` keys."""
        return self.post.meta.authors

    @property
    def leader_ids(self) -> frozenset[str]:
        """The authors' user ids on the thread's platform: their replies are not staff's."""
        return frozenset(self.ids.values())


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
                             hidden=hidden)
    posts = sorted([*site.posts, *site.sessions], key=lambda p: (p.created, p.src_uri))
    resolved: list[tuple[Post, Thread | None]] = []
    for post in posts:
        thread = None
        if settings.enabled and post.meta.discussion and post.meta.comments:
            thread = found.resolve(post.meta.discussion)[1]
        resolved.append((post, thread))
    goods = [_last_good(found, t) for _, t in resolved if t is not None]
    newest = max(goods, default=None)
    as_of = now or newest or site.options.now
    found.now = as_of
    items: list[Item] = []
    stale_since: dt.datetime | None = None
    stale_keys: set[tuple[str, str]] = set()
    for post, thread in resolved:
        ids: dict[str, str] = {}
        stale, good = False, None
        if thread is not None:
            for key in post.meta.authors:
                user = (site.authors.get(key) or Author(key, key)).platforms or {}
                if thread.platform in user:
                    ids[key] = str(user[thread.platform])
            good, reason = found.freshness(thread)
            stale = reason is not None
            if stale:
                stale_keys.add(thread.key)
                stale_since = good if stale_since is None else min(stale_since, good)
        items.append(Item(post, thread, ids, stale, good))
    return Inputs(
        items=tuple(items), authors=site.authors,
        executive_ids={p: frozenset(ids) for p, ids in found.executives.items()},
        now=as_of, options=options, site_name=site_name, newest_snapshot=newest,
        stale_threads=len(stale_keys), stale_since=stale_since,
    )


def _last_good(found: Discussions, thread: Thread) -> dt.datetime:
    entry = found.state.threads.get(f"{thread.platform}:{thread.thread_id}")
    return entry.last_success_at if entry and entry.last_success_at else \
        thread.content_changed_at
