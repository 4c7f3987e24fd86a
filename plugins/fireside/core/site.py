"""The blog as one object: content read, URLs placed, visibility decided, listings built.

Engine-independent: the MkDocs plugin and ``fireside check`` both call ``load_site``.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from fireside.core.content import Content, Post, display_path, load_content
from fireside.core.errors import Problem
from fireside.core.listings import Listing, ListingPage, Routes, build_listings, newest_first
from fireside.core.safepaths import url_key
from fireside.core.schema import Author, parse_date
from fireside.core.urls import assign_urls
from fireside.discussions.platforms import Registry

#: Environment variable that fixes "now" for previews and tests (ISO date or datetime).
NOW_ENV = "FIRESIDE_NOW"


@dataclass(frozen=True)
class SiteOptions:
    """The plugin options that shape the blog (a plain mirror of the MkDocs config)."""

    timezone: ZoneInfo
    now: dt.datetime
    blog_dir: str = ""
    blog_title: str = "Blog"
    posts_dir: str = "posts"
    qa_dir: str = "qa"
    authors_file: str = ".authors.yml"
    post_url_format: str = "posts/{slug}"
    qa_url_format: str = "qa/{slug}"
    categories_allowed: frozenset[str] | None = None
    per_page: int = 10
    listing_per_page: int = 100
    archive: bool = True
    categories: bool = True
    tags: bool = True
    author_pages: bool = True
    words_per_minute: int = 265
    language: str | None = None
    """``theme.language``: Fireside's own text and dates follow it (``core/i18n.py``)."""
    registry: Registry = field(default_factory=Registry)
    """The discussion platforms, with the hosts of the configured self-hosted ones."""


@dataclass
class Site:
    """Everything the build renders, derived once per build."""

    options: SiteOptions
    content: Content
    posts: list[Post]
    """Visible posts, newest first (drafts and scheduled ones only when previewing)."""
    hidden: list[Post]
    """Drafts and scheduled posts left out of this build."""
    sessions: list[Post]
    listings: list[Listing]
    routes: Routes
    problems: list[Problem] = field(default_factory=list)
    by_src: dict[str, Post] = field(default_factory=dict)
    pages_by_src: dict[str, ListingPage] = field(default_factory=dict)
    _position: dict[int, int] = field(default_factory=dict, repr=False)

    @property
    def authors(self) -> dict[str, Author]:
        """Authors by key."""
        return self.content.authors

    def neighbours(self, post: Post) -> tuple[Post | None, Post | None]:
        """The newer and the older post next to ``post`` in date order."""
        if not self._position:
            self._position = {id(p): i for i, p in enumerate(self.posts)}
        index = self._position.get(id(post))
        if index is None:
            return None, None
        newer = self.posts[index - 1] if index > 0 else None
        older = self.posts[index + 1] if index + 1 < len(self.posts) else None
        return newer, older


def resolve_now(value: str | None, tz: ZoneInfo) -> dt.datetime:
    """Return "now": the ``now`` option, else ``$FIRESIDE_NOW``, else the clock."""
    raw = value or os.environ.get(NOW_ENV)
    if raw:
        parsed = parse_date(raw, tz)
        if parsed is None:
            source = "the 'now' option" if value else f"${NOW_ENV}"
            raise ValueError(f"{source} is {raw!r}; expected a date like 2025-03-14 or "
                             "2025-03-14 09:30")
        return parsed
    return dt.datetime.now(tz)


def is_hidden(post: Post, now: dt.datetime) -> bool:
    """Whether a build leaves the post out: a draft, or dated after ``now``."""
    return post.meta.draft or post.created > now


def load_site(docs_dir: Path, options: SiteOptions, *, preview: bool = False,
              display_root: Path | None = None) -> Site:
    """Read and arrange the blog under ``docs_dir``.

    Arguments:
        docs_dir: The content folder.
        options: How the blog is laid out.
        preview: Keep drafts and scheduled posts (``mkdocs serve``), marked by the templates.
        display_root: Paths in messages are shown relative to this folder.
    """
    content = load_content(
        docs_dir, timezone=options.timezone, categories=options.categories_allowed,
        posts_dir=options.posts_dir, qa_dir=options.qa_dir, authors_file=options.authors_file,
        display_root=display_root, registry=options.registry,
    )
    problems = list(content.problems)
    prefix = display_path(docs_dir, display_root or docs_dir.parent)
    shown = {p.src_uri: f"{prefix}/{p.src_uri}" for p in [*content.posts, *content.sessions]}
    taken: dict[str, str] = {}
    # Oldest first: on a clash the older post keeps the URL people already link to.
    problems += assign_urls(newest_first(content.posts)[::-1], options.post_url_format,
                            options.blog_dir, taken=taken, shown=shown)
    problems += assign_urls(newest_first(content.sessions)[::-1], options.qa_url_format, "",
                            taken=taken, shown=shown)
    visible = [p for p in content.posts if preview or not is_hidden(p, options.now)]
    hidden = [p for p in content.posts if not preview and is_hidden(p, options.now)]
    sessions = [s for s in content.sessions if preview or not is_hidden(s, options.now)]
    routes = Routes(options.blog_dir)
    listings = build_listings(
        visible, content.authors, routes, per_page=options.per_page,
        listing_per_page=options.listing_per_page, blog_title=options.blog_title,
        archive=options.archive, categories=options.categories, tags=options.tags,
        author_pages=options.author_pages,
    )
    site = Site(options, content, newest_first(visible), hidden, newest_first(sessions),
                listings, routes, problems)
    site.by_src = {p.src_uri: p for p in [*content.posts, *content.sessions]}
    site.pages_by_src = {page.src_uri: page for listing in listings for page in listing.pages}
    problems += _listing_clashes(listings, shown)
    generated = {url_key(page.url): page.url for page in site.pages_by_src.values()}
    for key in sorted(generated.keys() & taken.keys()):
        problems.append(Problem(taken[key], "slug", f"the URL /{generated[key]} is also a "
                                "generated listing page; expected another slug or "
                                "post_url_format"))
    return site


def _listing_clashes(listings: list[Listing], shown: dict[str, str]) -> list[Problem]:
    """Two categories (or tags) whose names make one URL (``Q&A`` and ``Q-A``, say): an
    error on a post using the second, never one page silently replacing the other."""
    problems: list[Problem] = []
    first: dict[str, Listing] = {}
    for listing in listings:
        if listing.kind not in ("category", "tag"):
            continue
        other = first.setdefault(url_key(listing.url), listing)
        if other is listing:
            continue
        field = "categories" if listing.kind == "category" else "tags"
        post = listing.posts[0] if listing.posts else None
        problems.append(Problem(
            shown.get(post.src_uri, post.src_uri) if post else "(content)", field,
            f"{listing.key!r} and {other.key!r} both make the page /{listing.url}; expected "
            f"names that differ in letters or digits"))
    return problems
