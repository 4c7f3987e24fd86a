"""What templates see: helpers and filters over the ``Site`` (no MkDocs imports)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from fireside.core.content import Post
from fireside.core.i18n import Translator
from fireside.core.links import ROOT, rebase
from fireside.core.schema import Author
from fireside.core.site import Site
from fireside.discussions.pages import qa_index_url
from fireside.discussions.panel import Discussion, ShownReply, most_discussed
from fireside.discussions.qa import QASession, format_duration
from fireside.feeds.feedset import FeedSet
from fireside.feeds.subscribe import FollowEntry, follow_groups
from fireside.theme.replies import reply_html

if TYPE_CHECKING:
    from jinja2 import Environment


#: Template names that Jinja autoescapes: every template Fireside ships (and a user's override
#: of one). MkDocs' environment does not autoescape, so author-written text (titles,
#: descriptions, author names) would otherwise be raw HTML wherever a template forgets ``| e``.
#: Here the default is escaped, and real HTML (a page's content, a sanitized reply body, a
#: pre-rendered excerpt) opts in with ``| safe`` or arrives as ``markupsafe.Markup``.
AUTOESCAPED = ("fireside/", "partials/fireside/", "partials/comments.html")


def autoescaped(name: str | None) -> bool:
    """Whether the template ``name`` is one of Fireside's, which autoescape."""
    return bool(name) and str(name).replace("\\", "/").startswith(AUTOESCAPED)


def iso(value: dt.datetime | None) -> str:
    """RFC 3339 for ``<time datetime>``."""
    return value.isoformat() if value else ""


class Helpers:
    """Exposed to Jinja as ``fireside``: lookups and URLs for the current build."""

    def __init__(self, site: Site, env: Environment | None = None,
                 translator: Translator | None = None, feeds: FeedSet | None = None) -> None:
        self.site = site
        self.tz = site.options.timezone
        self.env = env
        self.translator = translator or Translator()
        self.feeds = feeds
        self._rendered: dict[tuple[str, int], str] = {}

    def prerendered(self, partial: str, post: Post) -> str:
        """``partials/fireside/<partial>.html`` for ``post``, rendered once per build.

        A post's card or row is the same on every listing page but for relative links, so it
        is rendered with ``root`` (the ``links.ROOT`` mark) before each site-relative URL and
        rebased per page (``fireside_html``). Listing pages then cost string work, not
        template work, however many listings a post appears in.
        """
        key = (partial, id(post))
        html = self._rendered.get(key)
        if html is None:
            if self.env is None:
                raise RuntimeError("Helpers.prerendered needs the Jinja environment")
            template = self.env.get_template(f"partials/fireside/{partial}.html")
            html = template.render(post=post, fireside=self, root=ROOT)
            self._rendered[key] = html
        return html

    def release(self) -> None:
        """Forget the pre-rendered cards (every page is built)."""
        self._rendered.clear()

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
        status = post.status(self.site.options.now)
        return None if status == "published" else self.t(status.capitalize())

    def date(self, value: dt.datetime | None) -> str:
        """A long date in the site's time zone and language."""
        return self.translator.date(value, self.tz)

    def t(self, text: str, **values: Any) -> str:
        """Fireside's own text in the site's language (``theme.language``)."""
        return self.translator.t(text, **values)

    def n(self, count: int, one: str, other: str | None = None) -> str:
        """A counted phrase in the site's language: ``n(3, "{n} reply", "{n} replies")``."""
        return self.translator.n(count, one, other)

    def iso(self, value: dt.datetime | None) -> str:
        """An RFC 3339 date."""
        return iso(value)

    def html(self, html: str, base_url: str) -> str:
        """Stored HTML with its root-relative links rebased for the current page."""
        return rebase(html, base_url)

    # -- following ---------------------------------------------------------------------------

    def follow_url(self, kind: str, key: str = "") -> str | None:
        """The Subscribe page entry of a feed (``subscribe/#feed-author-cfo``), if it exists."""
        return self.feeds.follow_url(kind, key) if self.feeds else None

    def follow_groups(self) -> list[tuple[str, list[FollowEntry]]]:
        """The Subscribe page's feeds: all posts, leaders, categories, Q&A."""
        if self.feeds is None:
            return []
        listed = [*self.feeds.feeds, self.feeds.qa] if self.feeds.qa else self.feeds.feeds
        return follow_groups(listed, dict(self.site.authors))

    def opml_url(self) -> str | None:
        """The OPML file, site-relative, when it is built."""
        return self.feeds.opml_path if self.feeds else None

    # -- discussions and Q&A -------------------------------------------------------------

    def discussion(self, post: Post) -> Discussion | None:
        """The post's discussion summary, when it has a ``discussion:`` and comments on."""
        return post.discussion if post.meta.comments else None

    def reply_html(self, reply: ShownReply) -> Markup:
        """One reply card (``<li class="fs-reply">``) and the executives' answers to it."""
        return reply_html(reply, self.translator, self.tz, iso)

    def qa(self, post: Post) -> QASession | None:
        """The Q&A data of a session page."""
        return post.qa

    def qa_sessions(self) -> list[QASession]:
        """Every visible Q&A session, newest first."""
        return [s for s in (self.qa(p) for p in self.site.sessions) if s is not None]

    def qa_index_url(self) -> str:
        """The Q&A index page."""
        return qa_index_url(self.site)

    def most_discussed(self, limit: int = 5) -> list[Post]:
        """Recent posts with the most replies, for the blog index."""
        return most_discussed(self.site.posts, limit=limit)

    def datetime(self, value: dt.datetime | None) -> str:
        """``14 March 2026, 09:15`` in the site's time zone and language."""
        return self.translator.datetime(value, self.tz)

    def duration(self, value: dt.timedelta | None) -> str:
        """``3 h 20 min`` (English), else Babel's words for it in the site's language."""
        if value is None or self.translator.english:
            return format_duration(value)
        return self.translator.duration(value)

    def plural(self, count: int, one: str, many: str | None = None) -> str:
        """``1 reply``, ``3 replies`` (``n`` with the count in front)."""
        return self.translator.n(count, "{n} " + one, "{n} " + (many or one + "s"))
