"""The plugin's typed MkDocs configuration (adapter side)."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class FiresideConfig(Config):
    """Options of the ``fireside`` plugin in ``mkdocs.yml``."""

    enabled = c.Type(bool, default=True)
    """Set to ``false`` to build the site without the blog."""
    timezone = c.Type(str, default="UTC")
    """IANA time zone for naive dates in front matter (``Europe/London``)."""
    now = c.Optional(c.Type(str))
    """Pretend the build runs at this date (previews, tests); ``$FIRESIDE_NOW`` also works."""

    blog_dir = c.Type(str, default="")
    """URL prefix of every blog page; empty puts the blog index at the site root."""
    blog_title = c.Type(str, default="Blog")
    """Title of the blog index."""

    posts_dir = c.Type(str, default="posts")
    """Folder of posts inside ``docs_dir``."""
    post_url_format = c.Type(str, default="posts/{slug}")
    """A post's URL: placeholders ``{slug}``, ``{yyyy}``, ``{mm}``, ``{dd}``, ``{file}``."""
    post_readtime_words_per_minute = c.Type(int, default=265)
    """Reading speed used for the computed reading time."""

    pagination_per_page = c.Type(int, default=10)
    """Posts per page of the blog index (cards with excerpts)."""
    listing_per_page = c.Type(int, default=50)
    """Posts per page of archive, category, tag and author pages (compact rows)."""
    archive = c.Type(bool, default=True)
    """Build yearly archive pages."""
    categories = c.Type(bool, default=True)
    """Build category pages."""
    categories_allowed = c.Optional(c.ListOfItems(c.Type(str)))
    """When set, a post's categories must come from this list."""
    tags = c.Type(bool, default=True)
    """Build tag pages."""
    authors_file = c.Type(str, default=".authors.yml")
    """Authors file inside ``docs_dir`` (mkdocs-material's format)."""
    authors_profiles = c.Type(bool, default=True)
    """Build one page per author."""

    qa_dir = c.Type(str, default="qa")
    """Folder of Q&A sessions inside ``docs_dir``."""
    qa_url_format = c.Type(str, default="qa/{slug}")
    """A Q&A session's URL (same placeholders as ``post_url_format``)."""

    feeds = c.Type(dict, default={})
    """Feed options (see the README)."""
    discussions = c.Type(dict, default={})
    """Discussion panel options, shared with ``fireside sync`` (see the README)."""
    sync = c.Type(dict, default={})
    """Sync schedule, read by ``fireside sync``."""
    platforms = c.Type(dict, default={})
    """Platform endpoints and token variables, read by ``fireside sync``."""
    editor = c.Type(dict, default={})
    """Web editor options (see the README)."""
