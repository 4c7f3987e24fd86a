"""The Subscribe page's data: one entry per feed people can follow, grouped, with anchors.

The page (``templates/fireside/subscribe.html``) offers the short choice first: all posts,
each leader (name, role, avatar or initials), each category and the Q&A sessions, each with
its feed address in a read-only field that can be selected and copied without JavaScript.
"Follow" controls on author, category and Q&A pages link to that entry (``subscribe/#feed-…``):
a browser no longer shows feeds readably (Chrome removes XSLT), so the Subscribe page is the
human entry point, and the feed files stay for apps.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from fireside.core.schema import Author
from fireside.discussions.sanitize import initials, initials_hue
from fireside.feeds.feedset import FORMAT_NAMES, FeedSpec, feed_anchor

#: The order of the groups on the page.
KINDS = ("blog", "author", "category", "qa")


@dataclass(frozen=True)
class FollowEntry:
    """One followable feed as the Subscribe page shows it."""

    kind: str
    """``blog``, ``author``, ``category`` or ``qa``."""
    key: str
    anchor: str
    """The element id on the Subscribe page (``feed-author-cfo``)."""
    name: str
    page_url: str
    """The absolute URL of the HTML page the feed mirrors."""
    url: str
    """The feed address to paste: RSS where built (every app reads it), else Atom, else JSON."""
    others: tuple[tuple[str, str], ...] = ()
    """The other formats: (format name, URL)."""
    role: str = ""
    avatar: str | None = None
    """Site-relative avatar path (authors)."""
    initials: str = ""
    hue: int = 0


def follow_entry(feed: FeedSpec, author: Author | None = None) -> FollowEntry:
    """The Subscribe page's view of ``feed`` (``author``: its ``.authors.yml`` entry)."""
    preferred = next(f for f in ("rss", "atom", "json") if f in feed.urls)
    others = tuple((FORMAT_NAMES[f], u) for f, u in feed.urls.items() if f != preferred)
    return FollowEntry(
        kind=feed.kind, key=feed.key, anchor=feed_anchor(feed.kind, feed.key), name=feed.name,
        page_url=feed.home_url, url=feed.urls[preferred], others=others,
        role=author.description or "" if author else "",
        avatar=author.avatar if author else None,
        initials=initials(feed.name) if author else "",
        hue=initials_hue(feed.key) if author else 0)


def follow_groups(feeds: Sequence[FeedSpec], authors: dict[str, Author]
                  ) -> list[tuple[str, list[FollowEntry]]]:
    """The entries, grouped by kind in page order; empty groups are left out."""
    groups: list[tuple[str, list[FollowEntry]]] = []
    for kind in KINDS:
        entries = [follow_entry(f, authors.get(f.key) if kind == "author" else None)
                   for f in feeds if f.kind == kind]
        if entries:
            groups.append((kind, entries))
    return groups
