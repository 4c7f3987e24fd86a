"""End-to-end builds of the blog: listings, post pages, drafts, scheduling, nav, determinism."""

from __future__ import annotations

import filecmp
import posixpath
import re
from pathlib import Path

import pytest

from tests.conftest import Project


def _titles(html: str) -> list[str]:
    """Post titles in listing order (cards and rows)."""
    return re.findall(r'class="(?:fs-card__title|fs-row__title)"[^>]*>(?:<a [^>]*>)?([^<]+)<', html)


@pytest.fixture
def blog(project: Project) -> Project:
    for i in range(1, 13):
        project.post(f"post-{i:02d}", f"Opening {i}.\n\n<!-- more -->\n\nRest of post {i}.\n",
                     date=f"2026-01-{i:02d} 09:00", categories=["Strategy" if i % 2 else "People"],
                     tags=["q1"] if i % 3 == 0 else [])
    project.post("pinned-news", "Pinned body.\n", date="2025-12-01", pin=True,
                 authors=["ceo", "cfo"], categories=["Results"])
    project.post("a-draft", "Secret draft.\n", date="2026-01-20", draft=True)
    project.post("the-future", "Not yet.\n", date="2026-09-01")
    return project


def test_index_lists_pinned_first_then_newest_with_pagination(blog: Project) -> None:
    blog.build(pagination_per_page=5)
    first = blog.html("")
    assert _titles(first) == ["Pinned News", "Post 12", "Post 11", "Post 10", "Post 09"]
    assert 'href="page/2/"' in first and 'rel="next"' in first and 'rel="prev"' not in first
    second = blog.html("page/2/")
    assert _titles(second) == ["Post 08", "Post 07", "Post 06", "Post 05", "Post 04"]
    assert 'rel="prev" href="../.."' in second or 'rel="prev" href="../../"' in second
    third = blog.html("page/3/")
    assert _titles(third) == ["Post 03", "Post 02", "Post 01"]
    assert 'rel="next"' not in third
    assert not (blog.site_dir / "page" / "4").exists()


def test_cards_show_excerpt_authors_date_readtime_and_categories(blog: Project) -> None:
    blog.build()
    card = blog.html("").split('class="md-post md-post--excerpt fs-card"')[2]  # Post 12
    assert "Opening 12." in card and "Rest of post 12" not in card
    assert 'src="authors/ceo.svg"' in card and "Dana Whitfield" in card
    assert '<time datetime="2026-01-12T09:00:00+00:00">12 January 2026</time>' in card
    assert "1 min read" in card
    assert '<a class="md-meta__link" href="category/people/">People</a>' in card


def test_excerpt_without_marker_is_the_first_paragraph(project: Project) -> None:
    long_body = "First paragraph only.\n\n" + "\n\n".join(f"Paragraph {i}." for i in range(40))
    project.post("no-marker", long_body)
    project.build()
    card = project.html("").split('class="md-post md-post--excerpt fs-card"')[1]
    assert "First paragraph only." in card
    assert "Paragraph 0." not in card and "Paragraph 39." not in card
    assert "Continue reading" in card


def test_a_post_that_fits_its_card_has_no_continue_link(project: Project) -> None:
    project.post("short-note", "Just one paragraph.\n")
    project.build()
    card = project.html("").split('class="md-post md-post--excerpt fs-card"')[1]
    assert "Just one paragraph." in card and "Continue reading" not in card


def test_post_page_byline_meta_tags_and_neighbours(blog: Project) -> None:
    blog.post("post-05", "Body five.\n", date={"created": "2026-01-05 09:00",
                                             "updated": "2026-02-01 10:30"},
              categories=["Strategy"], tags=["q1", "growth"])
    blog.build()
    page = blog.html("posts/post-05/")
    assert '<h1 id="fs-post-title">Post 05</h1>' in page
    assert 'href="../../author/ceo/">Dana Whitfield</a>' in page
    assert "Chief Executive Officer" in page and 'src="../../authors/ceo.svg"' in page
    assert 'datetime="2026-01-05T09:00:00+00:00">5 January 2026' in page
    assert 'Updated <time datetime="2026-02-01T10:30:00+00:00">1 February 2026' in page
    assert 'href="../../category/strategy/">Strategy</a>' in page
    assert 'href="../../tag/growth/">#growth</a>' in page
    assert 'rel="prev" href="../post-04/"' in page and 'rel="next" href="../post-06/"' in page
    assert 'class="fs-back" href="../.."' in page


def test_archive_category_tag_and_author_pages(blog: Project) -> None:
    blog.build()
    assert _titles(blog.html("archive/2025/")) == ["Pinned News"]
    assert _titles(blog.html("archive/2026/"))[:2] == ["Post 12", "Post 11"]
    assert _titles(blog.html("category/people/")) == [f"Post {i:02d}" for i in (12, 10, 8, 6, 4, 2)]
    assert _titles(blog.html("tag/q1/")) == ["Post 12", "Post 09", "Post 06", "Post 03"]
    cfo = blog.html("author/cfo/")
    assert "Raj Patel" in cfo and "Chief Financial Officer" in cfo
    assert _titles(cfo) == ["Pinned News"]
    overview = blog.html("category/")
    assert 'href="people/">People</a> <span class="fs-count">6 posts' in overview


def test_author_pages_paginate(blog: Project) -> None:
    blog.build(listing_per_page=5)
    assert _titles(blog.html("author/ceo/page/2/")) == [f"Post {i:02d}" for i in (7, 6, 5, 4, 3)]
    assert _titles(blog.html("author/ceo/page/3/")) == ["Post 02", "Post 01", "Pinned News"]


def test_drafts_and_scheduled_posts_are_absent_from_a_build(blog: Project) -> None:
    site = blog.build()
    text = "\n".join(p.read_text(encoding="utf-8", errors="replace")
                     for p in site.rglob("*") if p.is_file() and p.suffix in {".html", ".xml",
                                                                               ".json", ".txt"})
    for leaked in ("A Draft", "Secret draft", "The Future", "Not yet.", "a-draft", "the-future"):
        assert leaked not in text
    assert not (site / "posts" / "a-draft").exists()


def test_scheduled_post_appears_once_now_passes_its_date(blog: Project) -> None:
    blog.build(now="2026-09-01 00:00")
    assert _titles(blog.html(""))[1] == "The Future"


def test_preview_shows_drafts_and_scheduled_posts_marked(blog: Project) -> None:
    blog.build(command="serve")
    index = blog.html("")
    assert "A Draft" in index and "The Future" in index
    assert '<span class="md-draft fs-status">Draft</span>' in index
    assert '<span class="md-draft fs-status">Scheduled</span>' in index
    assert '<span class="md-draft fs-status">Draft</span>' in blog.html("posts/a-draft/")


def test_posts_never_enter_the_navigation(blog: Project) -> None:
    blog.write("about.md", "# About\n\nHello.\n")
    blog.build()
    page = blog.html("about/")
    nav = page.split('class="md-nav md-nav--primary"', 1)[1].split("</nav>", 1)[0]
    assert "About" in nav
    assert "posts/" not in nav and "Post 12" not in nav


def test_post_url_format_is_configurable(blog: Project) -> None:
    blog.build(post_url_format="{yyyy}/{mm}/{slug}", blog_dir="news")
    assert (blog.site_dir / "news" / "2026" / "01" / "post-03" / "index.html").is_file()
    hrefs = re.findall(r'fs-card__title"><a href="([^"]+)"', blog.html("news/"))
    targets = [posixpath.normpath(posixpath.join("news", h)) for h in hrefs]
    assert targets[:2] == ["news/2025/12/pinned-news", "news/2026/01/post-12"]


def test_relative_links_in_excerpts_work_from_listing_pages(project: Project) -> None:
    project.write("posts/img/chart.svg", '<svg xmlns="http://www.w3.org/2000/svg"/>')
    project.post("with-image", "See ![chart](img/chart.svg) and [other](other.md).\n\n"
                 "<!-- more -->\n\nMore.\n", date="2026-01-02")
    project.post("other", "Other.\n", date="2026-01-01")
    project.build()
    assert 'src="../img/chart.svg"' in project.html("posts/with-image/")
    index = project.html("")
    assert 'src="posts/img/chart.svg"' in index and 'href="posts/other/"' in index
    assert (project.site_dir / "posts" / "img" / "chart.svg").is_file()
    page2 = project.html("author/ceo/")  # rows, no excerpt: but the site must still build
    assert "With Image" in page2


def test_two_builds_are_byte_identical(blog: Project, tmp_path: Path) -> None:
    first = blog.build()
    copy = tmp_path / "first"
    first.rename(copy)
    second = blog.build()
    compared = filecmp.dircmp(copy, second)

    def differences(cmp: filecmp.dircmp[str]) -> list[str]:
        found = [*cmp.left_only, *cmp.right_only]
        _, mismatch, errors = filecmp.cmpfiles(cmp.left, cmp.right, cmp.common_files,
                                               shallow=False)
        found += mismatch + errors
        for sub in cmp.subdirs.values():
            found += differences(sub)
        return found

    assert differences(compared) == []


def test_pagination_links_a_window_of_pages_not_every_page(project: Project) -> None:
    for i in range(1, 31):
        project.post(f"post-{i:02d}", f"Body {i}.\n", date=f"2026-01-{i:02d}")
    project.build(pagination_per_page=2)  # 15 pages
    numbers = re.compile(r'<(?:a class="md-pagination__link" href="[^"]*"|span class='
                         r'"md-pagination__current" aria-current="page")>(\d+)</')

    def shown(path: str) -> list[str]:
        nav = project.html(path).split('class="md-pagination fs-pagination"')[1]
        nav = nav.split("</nav>")[0]
        return [("…" if m.group(0) == "&hellip;" else m.group(1))
                for m in re.finditer(r"&hellip;|" + numbers.pattern, nav)]

    assert shown("") == ["1", "2", "3", "…", "15"]
    assert shown("page/8/") == ["1", "…", "6", "7", "8", "9", "10", "…", "15"]
    assert shown("page/4/") == ["1", "2", "3", "4", "5", "6", "…", "15"]  # 2 is not "…"
    assert shown("page/15/") == ["1", "…", "13", "14", "15"]
    page8 = project.html("page/8/")
    assert 'rel="prev" href="../7/"' in page8 and 'rel="next" href="../9/"' in page8
