"""RSS 2.0, Atom 1.0 and JSON Feed 1.1 for the blog, each author and each category.

Engine-independent: the plugin plans the feeds with ``plan_feeds``, turns each visible post into
one ``FeedItem`` (its HTML made absolute once, then shared by every feed it appears in) and asks
``build_rss``, ``build_atom`` and ``build_json_feed`` for the bytes of each file.

Choices that keep feed readers calm:

- Ids: an item's RSS ``guid`` (``isPermaLink="true"``), Atom ``id`` and JSON ``id`` are its
  canonical absolute URL. A post's URL is already the stable contract of the site (changing it
  breaks every bookmark), and a permalink guid lets every reader open the post.
- Dates come from the content only: ``lastBuildDate``/``updated`` are the newest item's date,
  never the clock, so an unchanged blog rebuilds into byte-identical feeds.
- Order: we sort items ourselves (newest first, ties on the id) and add them with
  ``order="append"``; feedgen's own default order has flipped between releases.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urljoin, urlsplit
from xml.etree import ElementTree as ET

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from feedgen.util import xml_elem

from fireside.core.content import newest_first
from fireside.core.i18n import Translator
from fireside.core.links import anchor_to_root, quoteattr, rebase
from fireside.core.site import is_hidden
from fireside.core.urls import slugify

if TYPE_CHECKING:
    from fireside.core.content import Post
    from fireside.core.schema import Author
    from fireside.core.site import Site

#: Formats, their file name next to the feed's HTML page, and their MIME type.
FORMATS: dict[str, tuple[str, str]] = {
    "rss": ("rss.xml", "application/rss+xml"),
    "atom": ("atom.xml", "application/atom+xml"),
    "json": ("feed.json", "application/feed+json"),
}
FORMAT_NAMES = {"rss": "RSS", "atom": "Atom", "json": "JSON Feed"}
#: Where the XSL stylesheet and the OPML file live, relative to the site root / blog root.
STYLESHEET_PATH = "assets/fireside/feed.xsl"
OPML_NAME = "feeds.opml"
#: The Q&A feed beside the Q&A index (written by ``discussions.qa``).
QA_FEED_NAME = "rss.xml"
SUBSCRIBE_NAME = "subscribe/"

_DC = "http://purl.org/dc/elements/1.1/"
_SLASH = "http://purl.org/rss/1.0/modules/slash/"
_THR = "http://purl.org/syndication/thread/1.0"
_ATOM = "http://www.w3.org/2005/Atom"
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
# Characters XML 1.0 forbids; lxml refuses them, so one stray control character would stop a build.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Page furniture a feed reader would show as stray text: heading permalinks and the excerpt mark.
_PAGE_ONLY = re.compile(r'<a class="headerlink"[^>]*>.*?</a>|<!--\s*more\s*-->\n?', re.S)


@dataclass(frozen=True)
class FeedOptions:
    """Which feeds to build and what goes in them (a plain mirror of the plugin options)."""

    formats: tuple[str, ...] = ("rss", "atom", "json")
    blog: bool = True
    authors: bool = True
    categories: bool = True
    items: int = 20
    """Items per feed, newest first."""
    author_emails: bool = False
    """Publish an author's ``email`` from ``.authors.yml`` (where it has one)."""
    full_content: bool = True
    title: str = "Blog"
    description: str = ""
    language: str | None = None
    stylesheet: bool = True
    opml: bool = True
    subscribe: bool = True


@dataclass(frozen=True)
class FeedAuthor:
    """An item's author as feeds show it."""

    name: str
    email: str | None = None
    """Only when ``.authors.yml`` gives one and ``author_emails`` allows it."""
    url: str | None = None
    """The author's page on the blog (absolute), or their ``url``."""
    avatar: str | None = None


@dataclass(frozen=True)
class FeedItem:
    """One post as every feed carries it; built once per post and shared between feeds."""

    id: str
    """The canonical absolute URL, also used as guid (``isPermaLink="true"``) and Atom id."""
    url: str
    title: str
    authors: tuple[FeedAuthor, ...]
    categories: tuple[str, ...]
    tags: tuple[str, ...]
    published: dt.datetime
    updated: dt.datetime
    """``updated`` from front matter, else ``published``."""
    summary_html: str
    """The description (escaped), else the excerpt, with absolute URLs."""
    content_html: str | None
    """The full post body with absolute URLs; ``None`` when not published in feeds."""
    comments_url: str | None = None
    """Where the discussion is (from the post's ``discussion``)."""
    comment_count: int | None = None


#: Whose posts a feed holds.
FeedKind = Literal["blog", "author", "category", "qa"]


@dataclass(frozen=True)
class FeedSpec:
    """One feed (in every enabled format): what it is called, where it lives, what it holds."""

    kind: FeedKind
    key: str
    """The author key or category name; empty for the blog."""
    name: str
    """A short label: ``All posts``, the author's name or the category."""
    title: str
    description: str
    home_url: str
    """The absolute URL of the HTML page the feed mirrors."""
    paths: Mapping[str, str]
    """Format -> site-relative path of the file (``author/ceo/rss.xml``)."""
    urls: Mapping[str, str]
    """Format -> absolute URL of the file."""
    posts: tuple[Post, ...] = field(default=(), compare=False, repr=False)
    """The posts it holds, newest first, already limited to ``items``."""
    language: str | None = None
    blog_url: str = ""
    """The absolute URL of the blog index (category and tag schemes hang off it)."""
    author: FeedAuthor | None = None
    """The feed-level author (author feeds only)."""
    stylesheet: str | None = None
    """Root-relative URL of the XSL stylesheet, or ``None`` for none."""
    fallback_updated: dt.datetime = _EPOCH
    """The feed's date when it has no items (the blog's newest post, never the clock)."""


def feed_paths(prefix: str, formats: Iterable[str]) -> dict[str, str]:
    """Return format -> file path for a feed whose HTML page is at ``prefix`` (``author/ceo/``)."""
    return {fmt: prefix + FORMATS[fmt][0] for fmt in formats}


def plan_feeds(site: Site, options: FeedOptions, *, site_url: str,
               translator: Translator | None = None) -> list[FeedSpec]:
    """Decide which feeds to build and which posts each holds.

    Drafts and scheduled posts are filtered here again, even in a preview that shows them.

    Arguments:
        site: The blog.
        options: The feed options.
        site_url: The absolute site URL with a trailing slash.
        translator: The language of the feeds' own text (English by default).

    Returns:
        The feeds: the blog first, then authors (``.authors.yml`` order), then categories (A-Z).
    """
    t = (translator or Translator()).t
    now = site.options.now
    posts = newest_first([p for p in site.posts if p.kind == "post" and not is_hidden(p, now)])
    fallback = max((_item_date(p) for p in posts), default=_EPOCH)
    routes = site.routes
    stylesheet = (urlsplit(site_url).path or "/") + STYLESHEET_PATH if options.stylesheet else None

    def spec(kind: FeedKind, key: str, name: str, title: str, description: str, page: str,
             chosen: list[Post], author: FeedAuthor | None = None) -> FeedSpec:
        paths = feed_paths(page, options.formats)
        return FeedSpec(
            kind=kind, key=key, name=name, title=title, description=description,
            home_url=urljoin(site_url, page), paths=paths,
            urls={fmt: urljoin(site_url, path) for fmt, path in paths.items()},
            posts=tuple(chosen[: options.items]), language=options.language,
            blog_url=urljoin(site_url, routes.index()), author=author,
            stylesheet=stylesheet, fallback_updated=fallback,
        )

    base = options.title
    specs: list[FeedSpec] = []
    if options.blog:
        about = options.description or t("Posts from {blog}", blog=base)
        specs.append(spec("blog", "", t("All posts"), base, about, routes.index(), posts))
    if options.authors:
        for key, author in site.authors.items():
            mine = [p for p in posts if key in p.meta.authors]
            about = (t("Posts by {name}, {role}", name=author.name, role=author.description)
                     if author.description else t("Posts by {name}", name=author.name))
            person = FeedAuthor(name=author.name,
                                email=author.email if options.author_emails else None)
            specs.append(spec("author", key, author.name, f"{base}: {author.name}",
                              about, routes.author(key), mine, person))
    if options.categories:
        names = sorted({c for p in posts for c in p.meta.categories}, key=str.lower)
        for name in names:
            mine = [p for p in posts if name in p.meta.categories]
            specs.append(spec("category", name, name, f"{base}: {name}",
                              t("Posts in {category} from {blog}", category=name, blog=base),
                              routes.category(name), mine))
    return specs


def feed_item(post: Post, *, authors: Mapping[str, Author], site_url: str,
              page_url: str | None = None, author_url: Mapping[str, str] | None = None,
              emails: bool = False, full_content: bool = True) -> FeedItem:
    """Return the feed view of a post, with every relative link and image made absolute.

    Arguments:
        post: A rendered post (``post.html`` set).
        authors: ``.authors.yml`` entries by key.
        site_url: The absolute site URL with a trailing slash.
        page_url: The post's site-relative URL as built (default ``post.url``).
        author_url: Author key -> absolute URL of their page.
        emails: Whether to publish authors' emails.
        full_content: Whether to carry the whole body.
    """
    page = post.url if page_url is None else page_url
    url = urljoin(site_url, page)
    people = []
    for key in post.meta.authors:
        author = authors.get(key)
        if author is None:
            continue
        avatar = author.avatar
        people.append(FeedAuthor(
            name=author.name, email=author.email if emails else None,
            url=(author_url or {}).get(key) or author.url,
            avatar=urljoin(site_url, avatar) if avatar else None))
    if post.meta.description:
        summary = html.escape(post.meta.description, quote=False)
    elif post.excerpt:
        summary = rebase(post.excerpt, site_url)
    else:
        summary = html.escape(post.title, quote=False)
    content = (rebase(anchor_to_root(post.html, page), site_url)
               if full_content and post.html else None)
    discussion = post.discussion
    comments_url = comment_count = None
    if discussion is not None and discussion.url:  # before the first sync: the link only
        comments_url = discussion.url
        comment_count = discussion.replies if discussion.synced else None
    return FeedItem(
        id=url, url=url, title=post.title, authors=tuple(people),
        categories=tuple(post.meta.categories), tags=tuple(post.meta.tags),
        published=post.created, updated=post.updated or post.created,
        summary_html=_xml_safe(summary), content_html=_xml_safe(content) if content else None,
        comments_url=comments_url, comment_count=comment_count,
    )


def feed_updated(feed: FeedSpec, items: Sequence[FeedItem]) -> dt.datetime:
    """The feed's date: its newest item's ``updated``, else the fallback (never the clock)."""
    return max((i.updated for i in items), default=feed.fallback_updated)


def build_rss(feed: FeedSpec, items: Sequence[FeedItem]) -> bytes:
    """Return the RSS 2.0 document of ``feed`` (UTF-8 bytes, XSL processing instruction first)."""
    fg = _generator(feed, items, "rss")
    for item in _sorted(items):
        entry = fg.add_entry(order="append")
        _fill_entry(entry, item, feed)
        entry.guid(item.id, permalink=True)  # the canonical URL: stable and openable
        if item.comments_url:
            entry.comments(item.comments_url)
        for name in item.tags:
            entry.category(term=name, scheme=urljoin(feed.blog_url, "tag/"))
    return _with_stylesheet(fg.rss_str(pretty=True), feed.stylesheet)


def build_atom(feed: FeedSpec, items: Sequence[FeedItem]) -> bytes:
    """Return the Atom 1.0 document of ``feed`` (UTF-8 bytes, XSL processing instruction first)."""
    fg = _generator(feed, items, "atom")
    for item in _sorted(items):
        entry = fg.add_entry(order="append")
        _fill_entry(entry, item, feed)
        entry.id(item.id)
        for name in item.tags:
            entry.category(term=name, label=name, scheme=urljoin(feed.blog_url, "tag/"))
    return _with_stylesheet(fg.atom_str(pretty=True), feed.stylesheet)


def build_json_feed(feed: FeedSpec, items: Sequence[FeedItem]) -> bytes:
    """Return the JSON Feed 1.1 document of ``feed`` (UTF-8 bytes; ``null`` values omitted)."""
    doc: dict[str, Any] = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": feed.title,
        "home_page_url": feed.home_url,
        "feed_url": feed.urls.get("json"),
        "description": feed.description,
        "language": feed.language,
        "items": [],
    }
    for item in _sorted(items):
        entry: dict[str, Any] = {
            "id": item.id,
            "url": item.url,
            "title": item.title,
            "content_html": item.content_html if item.content_html is not None
            else item.summary_html,
            "summary": item.summary_html,
            "date_published": _rfc3339(item.published),
            "date_modified": _rfc3339(item.updated) if item.updated != item.published else None,
            "authors": [_drop_none({"name": a.name, "url": a.url, "avatar": a.avatar})
                        for a in item.authors],
            "tags": list(dict.fromkeys([*item.categories, *item.tags])) or None,
        }
        if item.comments_url or item.comment_count is not None:
            entry["_fireside"] = _drop_none({"comments_url": item.comments_url,
                                             "comment_count": item.comment_count})
        doc["items"].append(_drop_none(entry))
    text = json.dumps(_drop_none(doc), ensure_ascii=False, indent=2) + "\n"
    return text.encode("utf-8")


BUILDERS = {"rss": build_rss, "atom": build_atom, "json": build_json_feed}


def build_opml(feeds: Sequence[FeedSpec], *, title: str) -> bytes:
    """Return an OPML 2.0 subscription list: one outline per feed, in its preferred format.

    Each feed is listed once (RSS when built, else Atom, else JSON) so that importing the file
    does not subscribe a reader to the same posts twice.
    """
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    body = ET.SubElement(root, "body")
    for feed in feeds:
        fmt = next((f for f in ("rss", "atom", "json") if f in feed.urls), None)
        if fmt is None:
            continue
        ET.SubElement(body, "outline", type="rss", text=feed.title, title=feed.title,
                      xmlUrl=feed.urls[fmt], htmlUrl=feed.home_url)
    ET.indent(root)
    document: bytes = ET.tostring(root, xml_declaration=True, encoding="UTF-8")
    return document + b"\n"


def feed_anchor(kind: str, key: str = "") -> str:
    """The id of a feed's entry on the Subscribe page: ``feed-blog``, ``feed-author-cfo`` …"""
    return f"feed-{kind}-{slugify(key)}" if key else f"feed-{kind}"


def discovery_links(feed: FeedSpec) -> str:
    """Return the ``<link rel="alternate">`` tags that announce ``feed`` in a page's ``<head>``."""
    return "".join(
        f'<link rel="alternate" type="{FORMATS[fmt][1]}" '
        f"title={quoteattr(f'{feed.title} ({FORMAT_NAMES[fmt]})')} href={quoteattr(url)}>"
        for fmt, url in feed.urls.items())


class FeedSet:
    """Every feed of one build: the files to create, their bytes and the ``<head>`` links.

    The plugin creates the files once the content is read (``paths``), and fills them in with
    ``render`` once every post is rendered. Each post becomes one ``FeedItem``, shared by the
    blog, author and category feeds it appears in, so its HTML is made absolute only once.
    """

    def __init__(self, site: Site, options: FeedOptions, *, site_url: str,
                 translator: Translator | None = None) -> None:
        self.site = site
        self.options = options
        self.site_url = site_url.rstrip("/") + "/"
        self.feeds = plan_feeds(site, options, site_url=self.site_url, translator=translator)
        index = site.routes.index()
        self.opml_path = index + OPML_NAME if options.opml else None
        self.subscribe_path = index + SUBSCRIBE_NAME + "index.md" if options.subscribe else None
        self.subscribe_url = index + SUBSCRIBE_NAME if options.subscribe else None
        self.qa: FeedSpec | None = None
        """The Q&A feed, built by the Q&A stage (``add_qa``); listed, never rendered here."""
        self._blog_links = "".join(discovery_links(f) for f in self.feeds if f.kind == "blog")
        self._own_links: dict[tuple[str, str], str] = {
            (f.kind, f.key): discovery_links(f) for f in self.feeds if f.kind != "blog"}

    def feed_paths(self) -> list[str]:
        """Site-relative paths of every feed file (the OPML file included)."""
        paths = [path for feed in self.feeds for path in feed.paths.values()]
        return [*paths, self.opml_path] if self.opml_path else paths

    def render(self, page_urls: Mapping[str, str] | None = None) -> dict[str, bytes]:
        """Return path -> bytes for every feed file.

        Arguments:
            page_urls: ``src_uri`` -> the URL a post was built at (default ``post.url``).
        """
        page_urls = page_urls or {}
        author_urls = ({k: urljoin(self.site_url, self.site.routes.author(k))
                        for k in self.site.authors} if self.site.options.author_pages else {})
        cache: dict[str, FeedItem] = {}

        def item(post: Post) -> FeedItem:
            found = cache.get(post.src_uri)
            if found is None:
                found = cache[post.src_uri] = feed_item(
                    post, authors=self.site.authors, site_url=self.site_url,
                    page_url=page_urls.get(post.src_uri), author_url=author_urls,
                    emails=self.options.author_emails, full_content=self.options.full_content)
            return found

        out: dict[str, bytes] = {}
        for feed in self.feeds:
            items = [item(p) for p in feed.posts]
            for fmt, path in feed.paths.items():
                out[path] = BUILDERS[fmt](feed, items)
        if self.opml_path:
            listed = [*self.feeds, self.qa] if self.qa else self.feeds
            out[self.opml_path] = build_opml(listed, title=self.options.title)
        return out

    @staticmethod
    def subscribe_markdown(title: str) -> str:
        """The Subscribe page's source: front matter only; its template lists the feeds."""
        return (f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\n"
                "template: fireside/subscribe.html\nhide: [navigation, toc]\n"
                "search: {exclude: true}\n---\n")

    def add_qa(self, index_url: str, *, name: str, title: str) -> None:
        """Announce the Q&A feed (``<index_url>rss.xml``) here: Subscribe page, OPML, ``<head>``."""
        path = index_url + QA_FEED_NAME
        self.qa = FeedSpec(kind="qa", key="", name=name, title=title, description="",
                           home_url=urljoin(self.site_url, index_url), paths={"rss": path},
                           urls={"rss": urljoin(self.site_url, path)})

    def qa_link(self) -> str:
        """The autodiscovery link of the Q&A feed, or nothing when there is none."""
        return discovery_links(self.qa) if self.qa else ""

    def follow_url(self, kind: str, key: str = "") -> str | None:
        """Where a "Follow" control leads: the feed's entry on the Subscribe page."""
        if self.subscribe_url is None:
            return None
        if kind != "qa" and not any(f.kind == kind and f.key == key for f in self.feeds):
            return None
        if kind == "qa" and self.qa is None:
            return None
        return f"{self.subscribe_url}#{feed_anchor(kind, key)}"

    def head_links(self, kind: str | None = None, key: str = "") -> str:
        """The autodiscovery links of a page: the blog's feeds, plus its own author/category."""
        own = self._own_links.get((kind, key), "") if kind else ""
        return self._blog_links + own


# -- feedgen plumbing ------------------------------------------------------------------------


class _FiresideFeedExtension(BaseExtension):  # type: ignore[misc]
    """Declares the namespaces the entry extension uses."""

    def extend_ns(self) -> dict[str, str]:
        return {"dc": _DC, "slash": _SLASH, "thr": _THR}


class _FiresideEntryExtension(BaseEntryExtension):  # type: ignore[misc]
    """Adds what feedgen lacks: ``dc:creator``, ``slash:comments`` and Atom ``replies`` links."""

    def __init__(self) -> None:
        self.item: FeedItem | None = None

    def extend_rss(self, entry: Any) -> Any:
        if self.item is None:
            return entry
        for author in self.item.authors:  # RSS <author> must be an email; dc:creator is a name
            xml_elem(f"{{{_DC}}}creator", entry).text = author.name
        if self.item.comment_count is not None:
            xml_elem(f"{{{_SLASH}}}comments", entry).text = str(self.item.comment_count)
        return entry

    def extend_atom(self, entry: Any) -> Any:
        if self.item is None or not self.item.comments_url:
            return entry
        link = xml_elem(f"{{{_ATOM}}}link", entry, rel="replies", type="text/html",
                        href=self.item.comments_url)
        if self.item.comment_count is not None:
            link.set(f"{{{_THR}}}count", str(self.item.comment_count))
        return entry


def _generator(feed: FeedSpec, items: Sequence[FeedItem], fmt: str) -> FeedGenerator:
    fg = FeedGenerator()
    fg.register_extension("fireside", _FiresideFeedExtension, _FiresideEntryExtension)
    fg.id(feed.urls.get(fmt, feed.home_url))
    fg.title(feed.title)
    fg.subtitle(feed.description)  # also the RSS <description>
    # Self first, alternate last: feedgen's RSS <channel><link> keeps the last link it is given.
    fg.link(href=feed.urls[fmt], rel="self", type=FORMATS[fmt][1])
    fg.link(href=feed.home_url, rel="alternate", type="text/html")
    if feed.language:
        fg.language(feed.language)
    fg.generator("Fireside", uri=None, version=None)
    fg.docs("")  # feedgen adds the RSS spec URL by default; keep the channel to our data
    if feed.author is not None:
        fg.author(_drop_none({"name": feed.author.name, "email": feed.author.email}))
    fg.updated(feed_updated(feed, items))
    return fg


def _fill_entry(entry: Any, item: FeedItem, feed: FeedSpec) -> None:
    entry.fireside.item = item
    entry.title(item.title)
    entry.link(href=item.url, rel="alternate", type="text/html")
    entry.published(item.published)
    entry.updated(item.updated)
    for author in item.authors:
        entry.author(_drop_none({"name": author.name, "email": author.email, "uri": author.url}))
    for name in item.categories:
        entry.category(term=name, label=name, scheme=urljoin(feed.blog_url, "category/"))
    if item.content_html is not None:
        entry.content(item.content_html, type="html")  # escaped, never CDATA (``]]>`` is safe)
    # Atom <summary>, and RSS <description> (``description()`` would overwrite Atom content)
    entry.summary(item.summary_html, type="html")


def _with_stylesheet(document: bytes, href: str | None) -> bytes:
    if not href:
        return document
    declaration, newline, rest = document.partition(b"\n")
    pi = f'<?xml-stylesheet type="text/xsl" href={quoteattr(href)}?>'.encode()
    return declaration + newline + pi + b"\n" + rest


def _sorted(items: Iterable[FeedItem]) -> list[FeedItem]:
    return sorted(items, key=lambda i: (-i.published.timestamp(), i.id))



def _item_date(post: Post) -> dt.datetime:
    return post.updated or post.created


def _rfc3339(value: dt.datetime) -> str:
    return value.isoformat()


def _drop_none(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v is not None}


def _xml_safe(text: str) -> str:
    return _NOT_XML.sub("", _PAGE_ONLY.sub("", text))
