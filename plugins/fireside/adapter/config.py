"""The plugin's typed MkDocs configuration (adapter side)."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class FeedsConfig(Config):
    """Options under ``feeds:``: which RSS, Atom and JSON feeds are built and what they carry."""

    enabled = c.Type(bool, default=True)
    """Set to ``false`` to build no feeds, OPML file or Subscribe page."""
    formats = c.ListOfItems(c.Choice(("rss", "atom", "json")), default=["rss", "atom", "json"])
    """Formats of every feed: ``rss`` (RSS 2.0), ``atom`` (Atom 1.0), ``json`` (JSON Feed 1.1)."""
    blog = c.Type(bool, default=True)
    """Build the whole blog's feed."""
    authors = c.Type(bool, default=True)
    """Build one feed per author in ``.authors.yml``."""
    categories = c.Type(bool, default=True)
    """Build one feed per category that has posts."""
    max_items = c.Type(int, default=20)
    """Items per feed, newest first."""
    author_emails = c.Type(bool, default=False)
    """Publish an author's ``email`` from ``.authors.yml`` in feeds (where it has one)."""
    full_content = c.Type(bool, default=True)
    """Carry each post's full HTML, not only its summary."""
    title = c.Optional(c.Type(str))
    """Title of the blog feed and prefix of the others (default: ``site_name``)."""
    description = c.Optional(c.Type(str))
    """Description of the blog feed (default: ``site_description``)."""
    stylesheet = c.Type(bool, default=False)
    """Add an XSL stylesheet to RSS and Atom feeds for browsers (off: Chrome is removing XSLT and
    shows a warning banner over it; the Subscribe page is the human view of the feeds)."""
    opml = c.Type(bool, default=True)
    """Write ``feeds.opml``, listing every feed for a one-step import."""
    subscribe_page = c.Type(bool, default=True)
    """Generate the ``subscribe/`` page listing every feed and how to follow it."""


class EditorConfig(Config):
    """Options of the web editor (``editor:``), served under ``/admin/`` when enabled."""

    enabled = c.Type(bool, default=False)
    """Serve the editor; needs ``npm ci`` first. ``$FIRESIDE_EDITOR=local`` also enables it."""
    local_backend = c.Type(bool, default=False)
    """Save through ``decap-server`` on this machine (``fireside edit`` sets this)."""
    local_proxy_port = c.Type(int, default=8081)
    """The port of ``decap-server`` in local mode."""
    backend = c.Type(dict, default={"name": "git-gateway", "branch": "main"})
    """Decap's ``backend`` block for team mode: ``name`` (gitlab, github, azure, gitea …),
    ``repo``, ``branch`` and the host's auth options."""
    editorial_workflow = c.Type(bool, default=True)
    """Team mode: posts go through Draft, In review and Ready before they are merged (not with
    the ``gitea`` backend, which Decap supports only in simple mode)."""
    path = c.Type(str, default="admin")
    """The editor's folder in the site (``/admin/``)."""
    npm_dir = c.Dir(exists=False, default=".")
    """The folder holding ``package.json`` and ``node_modules`` (relative to ``mkdocs.yml``)."""


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
    listing_per_page = c.Type(int, default=100)
    """Posts per page of archive, category, tag and author pages (compact rows, so a long
    page reads well, and every generated page costs a whole theme render)."""
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

    feeds = c.SubConfig(FeedsConfig)
    """RSS, Atom and JSON feeds, the OPML file and the Subscribe page."""
    discussions = c.Type(dict, default={})
    """Discussion panel options, shared with ``fireside sync`` (see the README)."""
    sync = c.Type(dict, default={})
    """Sync schedule, read by ``fireside sync``."""
    platforms = c.Type(dict, default={})
    """Platform endpoints and token variables, read by ``fireside sync``."""
    editor = c.SubConfig(EditorConfig)
    """The web editor (Decap CMS) under ``/admin/``; see ``EditorConfig``."""
    cache = c.Type(bool, default=True)
    """Reuse each unchanged page's converted HTML from ``.cache/fireside/`` beside
    ``mkdocs.yml``; ``fireside cache clear`` empties it."""
