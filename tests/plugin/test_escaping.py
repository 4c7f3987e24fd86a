"""Author-written fields are text everywhere (issue 16, item 2).

One real build puts markup in every author-written field (post title and description, author
name and description, category, tag, Q&A title) and then reads every page, feed and generated
file: the markup must appear only escaped, exactly once, and the text must survive intact in
the feeds, the editor's configuration and the Subscribe page.
"""

from __future__ import annotations

import json
from pathlib import Path

import feedparser
import pytest
import yaml

from tests.conftest import AUTHORS, Project, make_reply, save_thread

IMG = "<img src=x onerror=alert(1)>"
ATTR = '"><svg onload=alert(2)>'
TITLE = f"Results {IMG} R&D"
DESCRIPTION = f"Short {ATTR} summary"
NAME = f"Dana {IMG}"
ROLE = f"CEO {ATTR}"
RAW = ("<img src=x", "<svg onload", "onerror=alert(1)>")


@pytest.fixture(scope="module")
def site(module_project: Project) -> Path:
    project = module_project
    project.authors({**AUTHORS, "ceo": {**AUTHORS["ceo"], "name": NAME, "description": ROLE}})
    project.post("hello", title=TITLE, slug="hello", description=DESCRIPTION,
                 categories=[f"Cat {IMG}"], tags=[f"tag {IMG}"], discussion="yammer:2000000001")
    project.post("other", title="Plain", date="2026-01-10 09:00")
    project.write("qa/ama.md", f"---\ntitle: 'AMA {IMG}'\ndate: 2026-05-01 09:00\n"
                  f"hosts: [ceo]\ndescription: '{DESCRIPTION}'\ndiscussion: yammer:2100000001\n"
                  "---\n\nAsk.\n")
    snapshots = project.root / "data" / "discussions"
    save_thread(snapshots, "2000000001", [
        make_reply("1", name=f"Sam {IMG}", body=f"<p>hi {IMG}</p>", author="1500000001",
                   host=True, likes=3)])
    save_thread(snapshots, "2100000001", [make_reply("2", name=f"Kim {IMG}", body="<p>Q?</p>")])
    return project.build(feeds={"authors": True, "categories": True})


def pages(site: Path) -> dict[str, str]:
    """Every HTML and XML file: JSON Feeds and the search index hold plain text (checked
    below), so their titles rightly contain the characters themselves."""
    return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8")
            for p in site.rglob("*") if p.suffix in (".html", ".xml", ".opml")}


def test_no_page_or_feed_contains_the_markup_raw(site: Path) -> None:
    found = {name: [r for r in RAW if r in text] for name, text in pages(site).items()}
    assert {k: v for k, v in found.items() if v} == {}
    assert len(found) > 14  # posts, listings, authors, categories, tags, Q&A, feeds, search


def test_every_field_is_shown_escaped_once(site: Path) -> None:
    post = (site / "posts/hello/index.html").read_text(encoding="utf-8")
    escaped = "Results &lt;img src=x onerror=alert(1)&gt; R&amp;D"
    assert f"<title>{escaped} - Test blog</title>" in post  # Material's own template
    assert f'<h1 id="fs-post-title">{escaped}</h1>' in post
    assert 'content="Short &#34;&gt;&lt;svg onload=alert(2)&gt; summary"' in post \
        or 'content="Short &quot;&gt;&lt;svg onload=alert(2)&gt; summary"' in post
    assert "Dana &lt;img src=x onerror=alert(1)&gt;" in post
    assert "CEO &#34;&gt;&lt;svg onload=alert(2)&gt;" in post
    assert "&amp;lt;" not in post and "&amp;amp;" not in post  # never twice
    assert "<p>hi </p>" in post or "<p>hi" in post  # the reply body is sanitized HTML
    author = (site / "author/ceo/index.html").read_text(encoding="utf-8")
    assert "<h1>Dana &lt;img src=x onerror=alert(1)&gt;</h1>" in author
    assert "<title>Dana &lt;img src=x onerror=alert(1)&gt; - Test blog</title>" in author
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "Dana &lt;img src=x onerror=alert(1)&gt;" in index  # the card's byline


def test_feeds_keep_the_text(site: Path) -> None:
    rss = feedparser.parse((site / "rss.xml").read_bytes())
    assert rss.bozo == 0
    assert TITLE in [e.title for e in rss.entries]
    data = json.loads((site / "feed.json").read_text(encoding="utf-8"))
    assert TITLE in [item["title"] for item in data["items"]]


def test_subscribe_page_and_search_index(site: Path) -> None:
    subscribe = (site / "subscribe/index.html").read_text(encoding="utf-8")
    assert "Dana &lt;img src=x onerror=alert(1)&gt;" in subscribe
    search = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))
    titles = [d["title"] for d in search["docs"] if d["location"] == "posts/hello/"]
    assert titles == ["Results &lt;img src=x onerror=alert(1)&gt; R&amp;D"]  # shown as HTML
    assert all("<img" not in d["title"] + d["text"] + "".join(d.get("tags", []))
               for d in search["docs"])


def test_editor_config_holds_the_name_as_data(tmp_path: Path) -> None:
    from fireside.core.schema import Author
    from fireside.editor.decap_config import EditorSettings, build_config, render_config

    authors = {"ceo": Author("ceo", NAME, ROLE)}
    config = build_config(project_dir=tmp_path, docs_dir=tmp_path / "content",
                          posts_dir="posts", authors=authors, categories=None,
                          settings=EditorSettings())
    loaded = yaml.safe_load(render_config(config))
    widget = next(f for f in loaded["collections"][0]["fields"] if f["name"] == "authors")
    assert widget["options"] == [{"label": f"{NAME} ({ROLE})", "value": "ceo"}]


def test_every_shipped_template_autoescapes() -> None:
    from fireside.theme.helpers import AUTOESCAPED, autoescaped

    templates = Path(__import__("fireside.adapter.plugin").adapter.plugin.TEMPLATES)
    names = [p.relative_to(templates).as_posix() for p in templates.rglob("*.html")]
    # partials/nav.html stands in for Material's and prints only its Markup: autoescaping it by
    # name would also escape a user's own partials/nav.html in custom_dir.
    names.remove("partials/nav.html")
    assert len(names) >= 14 and all(autoescaped(n) for n in names), names
    assert not autoescaped("base.html") and not autoescaped("partials/header.html")
    assert not autoescaped("partials/nav.html") and not autoescaped("fireside-next/base.html")
    assert AUTOESCAPED[0] == "fireside/"


def test_publish_report_lines_hold_no_line_breaks_or_escapes(tmp_path: Path) -> None:
    import datetime as dt

    from fireside.publish.report import PostEntry, PublishReport

    when = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    title = "Fake\nerror: forged line \x1b[31mred\x1b[0m \ud83d"
    report = PublishReport(started_at=when, first_run=False,
                           went_live=[PostEntry("posts/x.md", title, "posts/x/", when)])
    lines = report.lines()
    assert not any(line.startswith("error:") for line in lines)
    assert "  went live: Fake error: forged line  [31mred [0m \ud83d (/posts/x/)" in lines
    text = report.write(tmp_path / "report.json").read_bytes()
    assert b"\x1b" not in text and b"\nerror:" not in text
