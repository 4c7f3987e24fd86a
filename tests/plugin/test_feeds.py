"""Feeds: RSS 2.0, Atom 1.0 and JSON Feed 1.1 for the blog, each author and each category.

One project is built once per module; the tests read its ``site/``. Raw XML is checked with
ElementTree, because feedparser resolves relative URLs and forgives bad dates (it would hide
the very bugs these tests look for).
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import feedparser
import pytest

from fireside.core.content import Post
from fireside.core.schema import Author, Dates, PostMeta
from fireside.feeds.feedset import (
    FeedAuthor,
    FeedItem,
    FeedSpec,
    build_atom,
    build_json_feed,
    build_rss,
    feed_item,
)
from tests.conftest import Project

SITE = "https://intranet.example.com/blog/"
ATOM = "{http://www.w3.org/2005/Atom}"
LONDON = dt.timezone(dt.timedelta(hours=0))
CEO_POSTS = 23  # more than the 20 items a feed holds
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")

FEEDS = {  # path -> (kind, key)
    "": ("blog", ""),
    "author/ceo/": ("author", "ceo"),
    "author/cfo/": ("author", "cfo"),
    "author/coo/": ("author", "coo"),
    "category/money-matters/": ("category", "Money & Matters"),
    "category/people/": ("category", "People"),
    "category/strategy/": ("category", "Strategy"),
}
FILES = ("rss.xml", "atom.xml", "feed.json")


def _write_content(project: Project) -> None:
    authors = {
        "ceo": {"name": "Dana Whitfield", "description": "Chief Executive Officer",
                "email": "dana@example.com"},
        "cfo": {"name": "Raj Patel", "description": "Chief Financial Officer"},
        "coo": {"name": "Mei Chen", "description": "Chief Operating Officer"},  # no posts yet
    }
    project.authors(authors)
    project.config_extra = {"markdown_extensions": [{"toc": {"permalink": True}}]}
    for day in range(1, CEO_POSTS + 1):
        project.post(f"ceo-{day:02d}", f"Update number {day}.\n",
                     date=f"2026-01-{day:02d} 09:00",
                     categories=["Strategy" if day % 2 else "People"])
    project.post("cfo-numbers", "Money talk.\n", title="Numbers & <results>",
                 date="2026-02-10 08:30", authors=["cfo"], categories=["Money & Matters"],
                 tags=["Q1", "Finance"], description="What the quarter looked like.")
    project.post("joint", (
        "Intro with a [relative link](ceo-01.md), an ![image](../images/chart.png) and a "
        "[fragment](#details).\n\n<!-- more -->\n\n## Details\n\nProfit & loss: x < y, "
        "and a CDATA end ]]> in text. [About](../about.md)\n"),
        title="Joint update", date={"created": "2026-03-01 10:00", "updated": "2026-03-05 16:45"},
        authors=["ceo", "cfo"], categories=["Strategy", "Money & Matters"], tags=["Q1"])
    project.post("secret-draft", "Not yet.\n", title="SECRETDRAFT plans",
                 date="2026-03-02 09:00", draft=True, categories=["Strategy"])
    project.post("future", "Later.\n", title="FUTUREPOST reveal", date="2026-07-01 09:00",
                 authors=["ceo", "coo"], categories=["Strategy", "Secret Category"])
    project.write("images/chart.png", "not really a png")
    project.write("about.md", "# About\n\nAbout the blog.\n")


@pytest.fixture(scope="module")
def site(module_project: Project) -> Iterator[Path]:
    """The shared project, built once."""
    _write_content(module_project)
    yield module_project.build()


def _feed_paths() -> list[str]:
    return [prefix + name for prefix in FEEDS for name in FILES]


def _raw(site: Path, path: str) -> bytes:
    return (site / path).read_bytes()


def _xml(site: Path, path: str) -> ET.Element:
    return ET.fromstring(_raw(site, path))


def _parsed(site: Path, path: str) -> Any:
    if path.endswith(".json"):  # feedparser 6 reads RSS and Atom, not JSON Feed
        return _json_feed(json.loads(_raw(site, path)))
    parsed = feedparser.parse(_raw(site, path))
    assert parsed.bozo == 0, (path, parsed.get("bozo_exception"))
    return parsed


def _json_feed(doc: dict[str, Any]) -> Any:
    """Map a JSON Feed onto the parts of feedparser's shape the tests read."""
    entries = []
    for item in doc["items"]:
        published = dt.datetime.fromisoformat(item["date_published"])
        assert published.tzinfo is not None
        entries.append(feedparser.FeedParserDict(
            title=item["title"], published_parsed=published.utctimetuple(),
            content=[feedparser.FeedParserDict(value=item["content_html"])]))
    return feedparser.FeedParserDict(version="json11", entries=entries)


def _titles(site: Path, path: str) -> list[str]:
    return [e.title for e in _parsed(site, path).entries]


# -- files and parsing -----------------------------------------------------------------------


def test_every_documented_feed_file_is_built(site: Path) -> None:
    missing = [p for p in [*_feed_paths(), "feeds.opml", "subscribe/index.html"]
               if not (site / p).is_file()]
    assert not missing
    # No XSL by default: Chrome is removing XSLT; the Subscribe page is the human view.
    assert not (site / "assets/fireside/feed.xsl").exists()
    assert b"xml-stylesheet" not in _raw(site, "rss.xml")
    assert not (site / "category/secret-category").exists()  # only a scheduled post uses it


def test_every_feed_parses_cleanly_and_every_date_parses(site: Path) -> None:
    for path in _feed_paths():
        parsed = _parsed(site, path)
        assert parsed.version in {"rss20", "atom10", "json11"}, path
        for entry in parsed.entries:
            assert entry.published_parsed is not None, (path, entry.title)
            if path.endswith("atom.xml"):
                assert dict.__contains__(entry, "updated_parsed"), (path, entry.title)


def test_blog_feed_holds_the_newest_twenty_newest_first(site: Path) -> None:
    expected = ["Joint update", "Numbers & <results>",
                *[f"Ceo {d:02d}" for d in range(CEO_POSTS, CEO_POSTS - 18, -1)]]
    for name in FILES:
        assert _titles(site, name) == expected, name


def test_author_and_category_feeds_hold_only_their_posts(site: Path) -> None:
    ceo = _titles(site, "author/ceo/rss.xml")
    assert len(ceo) == 20 and ceo[0] == "Joint update" and "Numbers & <results>" not in ceo
    assert _titles(site, "author/cfo/atom.xml") == ["Joint update", "Numbers & <results>"]
    assert _titles(site, "author/coo/rss.xml") == []
    assert _titles(site, "category/money-matters/feed.json") == ["Joint update",
                                                                 "Numbers & <results>"]
    people = _titles(site, "category/people/rss.xml")
    assert people == [f"Ceo {d:02d}" for d in range(22, 0, -2)]
    strategy = _titles(site, "category/strategy/atom.xml")
    assert strategy[:2] == ["Joint update", "Ceo 23"] and "Ceo 22" not in strategy


def test_no_draft_or_scheduled_post_anywhere(site: Path) -> None:
    for path in [*_feed_paths(), "feeds.opml", "subscribe/index.html"]:
        text = _raw(site, path).decode()
        assert "SECRETDRAFT" not in text and "secret-draft" not in text, path
        assert "FUTUREPOST" not in text and "Secret Category" not in text, path


def test_items_carry_authors_categories_tags_dates_and_summary(site: Path) -> None:
    entries = {e.title: e for e in _parsed(site, "atom.xml").entries}
    joint = entries["Joint update"]
    assert [a.name for a in joint.authors] == ["Dana Whitfield", "Raj Patel"]
    assert {t.term for t in joint.tags} == {"Strategy", "Money & Matters", "Q1"}
    assert joint.published == "2026-03-01T10:00:00+00:00"
    assert joint.updated == "2026-03-05T16:45:00+00:00"
    assert "Intro with a" in joint.summary and "Details" not in joint.summary
    numbers = entries["Numbers & <results>"]
    assert numbers.summary == "What the quarter looked like."
    rss = {e.title: e for e in _parsed(site, "rss.xml").entries}
    assert rss["Joint update"].get("authors") and "dana@example.com" not in str(rss)
    categories = {t.term for t in rss["Numbers & <results>"].tags}
    assert categories == {"Money & Matters", "Q1", "Finance"}


def test_full_html_survives_special_characters(site: Path) -> None:
    for name in ("rss.xml", "atom.xml", "feed.json"):
        joint = next(e for e in _parsed(site, name).entries if e.title == "Joint update")
        body = joint.content[0].value
        assert "Profit &amp; loss: x &lt; y" in body, name
        assert "]]&gt;" in body or "]]>" in body, name
        assert "<!-- more -->" not in body and "headerlink" not in body, name


def test_every_link_and_image_in_item_html_is_absolute(site: Path) -> None:
    found: list[str] = []
    for path in _feed_paths():
        raw = _raw(site, path).decode()
        if path.endswith(".json"):
            items = json.loads(raw)["items"]
            html = " ".join(i.get("content_html", "") + i.get("summary", "") for i in items)
        else:
            root = ET.fromstring(raw)
            html = " ".join(el.text or "" for el in root.iter() if el.tag in {
                "description", "{http://purl.org/rss/1.0/modules/content/}encoded",
                f"{ATOM}summary", f"{ATOM}content"})
        for url in re.findall(r'(?:href|src)="([^"]*)"', html):
            assert urlsplit(url).scheme in {"http", "https"}, (path, url)
            found.append(url)
    assert f"{SITE}images/chart.png" in found
    assert f"{SITE}posts/ceo-01/" in found
    assert f"{SITE}posts/joint-update/#details" in found
    assert f"{SITE}about/" in found


# -- RSS 2.0 and Atom 1.0 structure ----------------------------------------------------------


def test_rss_structure_follows_rss_2(site: Path) -> None:
    for prefix in FEEDS:
        root = _xml(site, prefix + "rss.xml")
        assert root.tag == "rss" and root.get("version") == "2.0"
        channel = root.find("channel")
        assert channel is not None
        for required in ("title", "link", "description"):
            assert (channel.findtext(required) or "").strip(), (prefix, required)
        assert channel.findtext("link") == SITE + prefix
        selves = channel.findall(f"{ATOM}link[@rel='self']")
        assert [s.get("href") for s in selves] == [SITE + prefix + "rss.xml"]
        dates = []
        for item in channel.findall("item"):
            guid = item.find("guid")
            assert guid is not None and guid.get("isPermaLink") == "true"
            assert guid.text == item.findtext("link")
            assert urlsplit(guid.text or "").scheme == "https"
            assert item.find("author") is None  # emails are off by default
            dates.append(email.utils.parsedate_to_datetime(item.findtext("pubDate") or ""))
        assert dates == sorted(dates, reverse=True)
        assert all(d.tzinfo is not None for d in dates)
        built = email.utils.parsedate_to_datetime(channel.findtext("lastBuildDate") or "")
        if dates:
            assert built >= dates[0]
            assert len(set(dates)) > 1 or len(dates) == 1


def test_rss_dates_are_rfc_822_and_match_front_matter(site: Path) -> None:
    channel = _xml(site, "rss.xml").find("channel")
    assert channel is not None
    item = channel.find("item")
    assert item is not None
    assert item.findtext("pubDate") == "Sun, 01 Mar 2026 10:00:00 +0000"
    assert channel.findtext("lastBuildDate") == "Thu, 05 Mar 2026 16:45:00 +0000"


def test_atom_structure_follows_rfc_4287(site: Path) -> None:
    for prefix in FEEDS:
        root = _xml(site, prefix + "atom.xml")
        assert root.tag == f"{ATOM}feed"
        for required in ("id", "title", "updated"):
            assert (root.findtext(f"{ATOM}{required}") or "").strip(), (prefix, required)
        assert RFC3339.match(root.findtext(f"{ATOM}updated") or "")
        selves = root.findall(f"{ATOM}link[@rel='self']")
        assert [s.get("href") for s in selves] == [SITE + prefix + "atom.xml"]
        ids = []
        for entry in root.findall(f"{ATOM}entry"):
            for required in ("id", "title", "updated", "published"):
                assert entry.findtext(f"{ATOM}{required}"), (prefix, required)
            assert RFC3339.match(entry.findtext(f"{ATOM}updated") or "")
            assert RFC3339.match(entry.findtext(f"{ATOM}published") or "")
            assert entry.find(f"{ATOM}author/{ATOM}name") is not None
            assert entry.find(f"{ATOM}content[@type='html']") is not None
            ids.append(entry.findtext(f"{ATOM}id"))
        assert len(ids) == len(set(ids))
    assert _xml(site, "atom.xml").findtext(f"{ATOM}updated") == "2026-03-05T16:45:00+00:00"


def test_an_author_without_posts_still_has_a_valid_dated_feed(site: Path) -> None:
    root = _xml(site, "author/coo/atom.xml")
    assert root.findall(f"{ATOM}entry") == []
    assert root.findtext(f"{ATOM}updated") == "2026-03-05T16:45:00+00:00"  # blog's newest
    assert root.findtext(f"{ATOM}author/{ATOM}name") == "Mei Chen"


def test_json_feed_is_version_1_1_without_nulls(site: Path) -> None:
    doc = json.loads(_raw(site, "feed.json"))
    assert doc["version"] == "https://jsonfeed.org/version/1.1"
    assert doc["feed_url"] == SITE + "feed.json" and doc["home_page_url"] == SITE
    assert "null" not in _raw(site, "feed.json").decode()
    first = doc["items"][0]
    assert first["id"] == first["url"] == SITE + "posts/joint-update/"
    assert first["date_modified"] == "2026-03-05T16:45:00+00:00"


def test_rebuilding_gives_byte_identical_feeds(site: Path, module_project: Project) -> None:
    paths = [*_feed_paths(), "feeds.opml"]
    before = {p: _raw(site, p) for p in paths}
    module_project.build()
    assert {p: _raw(site, p) for p in paths} == before


# -- discovery -------------------------------------------------------------------------------


def _alternates(html: str) -> list[tuple[str, str]]:
    head = html.split("</head>", 1)[0]
    return [(m.group(1), m.group(2)) for m in re.finditer(
        r'<link rel="alternate" type="([^"]+)" title="[^"]*" href="([^"]+)">', head)]


BLOG_LINKS = [("application/rss+xml", SITE + "rss.xml"),
              ("application/atom+xml", SITE + "atom.xml"),
              ("application/feed+json", SITE + "feed.json")]


@pytest.mark.parametrize("url", ["", "posts/joint-update/", "about/", "archive/", "tag/q1/",
                                 "subscribe/", "page/2/"])
def test_every_page_links_the_blog_feeds(site: Path, module_project: Project, url: str) -> None:
    assert _alternates(module_project.html(url)) == BLOG_LINKS


@pytest.mark.parametrize("url", ["author/cfo/", "category/money-matters/"])
def test_author_and_category_pages_also_link_their_own(site: Path, module_project: Project,
                                                       url: str) -> None:
    own = url
    assert _alternates(module_project.html(url)) == [
        *BLOG_LINKS, ("application/rss+xml", SITE + own + "rss.xml"),
        ("application/atom+xml", SITE + own + "atom.xml"),
        ("application/feed+json", SITE + own + "feed.json")]


def test_opml_lists_every_feed_once(site: Path) -> None:
    root = _xml(site, "feeds.opml")
    assert root.get("version") == "2.0"
    outlines = root.findall("body/outline")
    assert [o.get("xmlUrl") for o in outlines] == [SITE + p + "rss.xml" for p in FEEDS]
    assert all(o.get("type") == "rss" and o.get("text") for o in outlines)
    assert outlines[1].get("htmlUrl") == SITE + "author/ceo/"


def test_subscribe_page_offers_every_feed_to_copy_and_the_steps(site: Path,
                                                                module_project: Project) -> None:
    html = module_project.html("subscribe/")
    for prefix, (kind, key) in FEEDS.items():
        anchor = f"feed-{kind}-{key.lower().replace(' & ', '-')}" if key else f"feed-{kind}"
        field = re.search(rf'<div class="fs-copy" id="{anchor}">.*?</div>', html, re.S)
        assert field is not None, anchor
        # The address to paste is the RSS one, in a read-only field anyone can select.
        assert re.search(rf'<input class="fs-copy__field" id="{anchor}-address" type="text" '
                         rf'readonly value="{re.escape(SITE + prefix)}rss.xml"', field.group(0))
        assert f'href="{SITE}{prefix}atom.xml"' in field.group(0)
        assert f'href="{SITE}{prefix}feed.json"' in field.group(0)
    # Leaders come with their role; the copy button waits for JavaScript (hidden without it).
    assert "Chief Financial Officer" in html
    assert html.count(">Copy feed address</button>") == len(FEEDS)
    assert re.search(r'<button class="md-button fs-copy__button"[^>]* hidden>', html)
    assert 'href="../feeds.opml" download' in html
    for word in ("Outlook", "Teams", "feed reader", "OPML"):
        assert word in html
    # The choice comes first, the instructions last.
    assert html.index("feed-blog") < html.index("feed-author-ceo") < html.index(
        "feed-category-strategy") < html.index("How to subscribe")


@pytest.mark.parametrize(("url", "anchor", "name"), [
    ("author/cfo/", "feed-author-cfo", "Raj Patel"),
    ("category/money-matters/", "feed-category-money-matters", "Money &amp; Matters"),
])
def test_author_and_category_pages_have_a_follow_control(site: Path, module_project: Project,
                                                         url: str, anchor: str,
                                                         name: str) -> None:
    html = module_project.html(url)
    link = re.search(r'<a class="md-button fs-follow__button" href="([^"]+)">(.*?)</a>', html,
                     re.S)
    assert link is not None
    assert link.group(1) == f"../../subscribe/#{anchor}"
    assert link.group(2).endswith(f"Follow {name}")


def _stylesheet_project(project: Project) -> Path:
    _write_content(project)
    return project.build(feeds={"stylesheet": True})


def test_rss_and_atom_point_at_the_xsl_stylesheet_when_asked(project: Project) -> None:
    site = _stylesheet_project(project)
    pi = b'<?xml-stylesheet type="text/xsl" href="/blog/assets/fireside/feed.xsl"?>'
    for prefix in FEEDS:
        for name in ("rss.xml", "atom.xml"):
            lines = _raw(site, prefix + name).split(b"\n")
            assert lines[0].startswith(b"<?xml ") and lines[1] == pi, prefix + name
    xsl = _raw(site, "assets/fireside/feed.xsl")
    assert b"<xsl:stylesheet" in xsl
    assert not re.search(rb'(?:href|src)="(?:https?:)?//', xsl)  # nothing from elsewhere


def test_the_stylesheet_renders_rss_and_atom_as_readable_html(project: Project) -> None:
    etree = pytest.importorskip("lxml.etree")
    site = _stylesheet_project(project)
    transform = etree.XSLT(etree.parse(str(site / "assets/fireside/feed.xsl")))
    for name in ("rss.xml", "atom.xml"):
        page = str(transform(etree.parse(str(site / name))))
        assert "<h1>" in page and "Joint update" in page and "This is a news feed" in page
        assert f"{SITE}{name}" in page


# -- options ---------------------------------------------------------------------------------


def test_options_choose_formats_feeds_length_and_emails(project: Project) -> None:
    project.post("one", date="2026-01-01 09:00", categories=["Strategy"])
    project.post("two", date="2026-01-02 09:00", categories=["Strategy"])
    site = project.build(feeds={"formats": ["rss"], "categories": False, "max_items": 1,
                                "author_emails": True, "stylesheet": False,
                                "subscribe_page": False, "title": "Exec news"})
    assert (site / "rss.xml").is_file() and (site / "author/ceo/rss.xml").is_file()
    assert not (site / "atom.xml").exists() and not (site / "category/strategy/rss.xml").exists()
    assert not (site / "assets/fireside/feed.xsl").exists() and not (site / "subscribe").exists()
    raw = (site / "rss.xml").read_bytes()
    assert b"xml-stylesheet" not in raw
    parsed = feedparser.parse(raw)
    assert parsed.feed.title == "Exec news" and [e.title for e in parsed.entries] == ["Two"]
    item = ET.fromstring(raw).find("channel/item")
    assert item is not None and item.findtext("author") == "dana@example.com (Dana Whitfield)"


def test_a_preview_showing_drafts_still_keeps_them_out_of_feeds(project: Project) -> None:
    project.post("shown", title="Shown", date="2026-01-01 09:00")
    project.post("draft", title="SECRETDRAFT", date="2026-01-02 09:00", draft=True)
    project.post("later", title="FUTUREPOST", date="2026-12-01 09:00")
    site = project.build(command="serve")
    assert "SECRETDRAFT" in project.html("posts/secretdraft/")  # the preview shows it …
    for path in ("rss.xml", "atom.xml", "feed.json", "author/ceo/rss.xml", "feeds.opml"):
        text = (site / path).read_text(encoding="utf-8")  # … but no feed carries it
        assert "Shown" in text or path == "feeds.opml"
        assert "SECRETDRAFT" not in text and "FUTUREPOST" not in text, path


def test_feeds_can_be_turned_off(project: Project) -> None:
    project.post("one")
    site = project.build(feeds={"enabled": False})
    assert not (site / "rss.xml").exists() and not (site / "feeds.opml").exists()
    assert "application/rss+xml" not in project.html("")


def test_an_unusable_item_count_is_a_clear_error(project: Project,
                                                 caplog: pytest.LogCaptureFixture) -> None:
    from mkdocs.exceptions import Abort

    project.post("one")
    with pytest.raises(Abort):
        project.build(feeds={"max_items": 0})
    assert "option 'feeds.max_items' is 0; expected a number above 0" in caplog.text


# -- the discussion hook (engine level) ------------------------------------------------------


def _spec() -> FeedSpec:
    urls = {"rss": SITE + "rss.xml", "atom": SITE + "atom.xml", "json": SITE + "feed.json"}
    return FeedSpec(kind="blog", key="", name="All posts", title="Blog", description="Posts",
                    home_url=SITE, paths={}, urls=urls, blog_url=SITE)


def _post(**extra: Any) -> Post:
    when = dt.datetime(2026, 1, 2, 9, 0, tzinfo=dt.UTC)
    meta = PostMeta(title="Hello", dates=Dates(when), authors=("ceo",))
    post = Post(src_uri="posts/hello.md", meta=meta, title="Hello", slug="hello",
                url="posts/hello/", html='<p><img src="../../img/a.png"></p>', extra=extra)
    return post


def test_items_carry_comments_link_and_count_when_discussions_fill_them() -> None:
    authors = {"ceo": Author(key="ceo", name="Dana", email="dana@example.com")}
    item = feed_item(_post(feed_comments={"url": "https://engage.example.com/t/1",
                                          "count": 7}), authors=authors, site_url=SITE)
    assert item.content_html == f'<p><img src="{SITE}img/a.png"></p>'
    assert item.authors == (FeedAuthor(name="Dana"),)  # no email unless allowed
    rss = ET.fromstring(build_rss(_spec(), [item])).find("channel/item")
    assert rss is not None
    assert rss.findtext("comments") == "https://engage.example.com/t/1"
    assert rss.findtext("{http://purl.org/rss/1.0/modules/slash/}comments") == "7"
    atom = ET.fromstring(build_atom(_spec(), [item])).find(
        f"{ATOM}entry/{ATOM}link[@rel='replies']")
    assert atom is not None and atom.get("href") == "https://engage.example.com/t/1"
    assert atom.get("{http://purl.org/syndication/thread/1.0}count") == "7"
    extra = json.loads(build_json_feed(_spec(), [item]))["items"][0]["_fireside"]
    assert extra == {"comments_url": "https://engage.example.com/t/1", "comment_count": 7}


def test_items_without_a_discussion_have_no_comments_elements() -> None:
    item = feed_item(_post(), authors={}, site_url=SITE)
    raw = build_rss(_spec(), [item]) + build_atom(_spec(), [item])
    assert b"<comments>" not in raw and b"slash:comments" not in raw and b"replies" not in raw


def test_builders_sort_items_themselves() -> None:
    def item(day: int) -> FeedItem:
        when = dt.datetime(2026, 1, day, tzinfo=dt.UTC)
        return FeedItem(id=f"{SITE}p{day}/", url=f"{SITE}p{day}/", title=f"P{day}", authors=(),
                        categories=(), tags=(), published=when, updated=when,
                        summary_html="s", content_html=None)

    shuffled = [item(2), item(5), item(1)]
    for build in (build_rss, build_atom):
        titles = [e.title for e in feedparser.parse(build(_spec(), shuffled)).entries]
        assert titles == ["P5", "P2", "P1"], build.__name__
    items = json.loads(build_json_feed(_spec(), shuffled))["items"]
    assert [i["title"] for i in items] == ["P5", "P2", "P1"]
