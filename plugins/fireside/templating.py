"""What templates see: helpers and filters over the ``Site`` (no MkDocs imports)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fireside.content import Post
from fireside.links import rebase
from fireside.schema import Author
from fireside.site import Site, is_hidden


def format_date(value: dt.datetime | None, tz: dt.tzinfo | None = None) -> str:
    """``14 March 2026`` in the site's time zone (no locale data needed)."""
    if value is None:
        return ""
    local = value.astimezone(tz) if tz else value
    return f"{local.day} {local:%B %Y}"


def iso(value: dt.datetime | None) -> str:
    """RFC 3339 for ``<time datetime>``."""
    return value.isoformat() if value else ""


class Helpers:
    """Exposed to Jinja as ``fireside``: lookups and URLs for the current build."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.tz = site.options.timezone

    @property
    def index_url(self) -> str:
        """The blog index URL."""
        return self.site.routes.index()

    def post(self, src_uri: str) -> Post | None:
        """The post (or Q&A session) rendered from ``src_uri``."""
        return self.site.by_src.get(src_uri)

    def authors_of(self, post: Post) -> list[Author]:
        """The post's authors (hosts, for a Q&A session)."""
        return [self.site.authors[k] for k in post.meta.authors if k in self.site.authors]

    def author_url(self, key: str) -> str | None:
        """An author's page, when author pages are built."""
        return self.site.routes.author(key) if self.site.options.author_pages else None

    def category_url(self, name: str) -> str | None:
        """A category's page, when category pages are built."""
        return self.site.routes.category(name) if self.site.options.categories else None

    def tag_url(self, name: str) -> str | None:
        """A tag's page, when tag pages are built."""
        return self.site.routes.tag(name) if self.site.options.tags else None

    def neighbours(self, post: Post) -> tuple[Post | None, Post | None]:
        """The newer and older posts."""
        return self.site.neighbours(post)

    def status(self, post: Post) -> str | None:
        """``Draft`` or ``Scheduled`` when a preview shows a post a build would hide."""
        if post.meta.draft:
            return "Draft"
        if is_hidden(post, self.site.options.now):
            return "Scheduled"
        return None

    def date(self, value: dt.datetime | None) -> str:
        """A human date in the site's time zone."""
        return format_date(value, self.tz)

    def iso(self, value: dt.datetime | None) -> str:
        """An RFC 3339 date."""
        return iso(value)

    def html(self, html: str, base_url: str) -> str:
        """Stored HTML with its root-relative links rebased for the current page."""
        return rebase(html, base_url)

    def extra(self, post: Post, key: str, default: Any = None) -> Any:
        """Data a later stage attached to a post (discussion summary, say)."""
        return post.extra.get(key, default)
