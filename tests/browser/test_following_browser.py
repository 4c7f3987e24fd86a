"""Following a leader in a real headless Chromium: requests, the Follow control, copying a feed.

The demo is built and served on loopback; every request of each page load is recorded.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.harness import ARGS, CHROMIUM, Watched, build_demo, serving

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.is_file(), reason=f"no Chromium at {CHROMIUM}"),
]

CFO_FEED = "author/cfo/rss.xml"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    out = tmp_path_factory.mktemp("following")
    with serving(out) as (origin, _):
        build_demo(out, origin)
        yield origin


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as play:
        chromium = play.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@pytest.mark.parametrize("path", ["", "author/cfo/", "category/results/", "qa/",
                                  "posts/2026/pay-review-2026-how-it-works-and-what-to-expect/"])
def test_a_page_load_requests_only_the_site_and_no_sitemaps(site: str, browser: Any,
                                                            path: str) -> None:
    watched = Watched(browser)
    watched.page.goto(site + path, wait_until="networkidle")
    requested = list(watched.requests)
    # Material would fetch a sitemap.xml beside every feed link (404s beside author feeds).
    assert [u for u in requested if u.endswith("sitemap.xml")] == []
    assert all(u.startswith(site) for u in requested), requested
    assert len(requested) <= 16, requested  # the page, its CSS/JS, avatars, the search index
    # Autodiscovery is intact once the page has loaded: readers and extensions see the links.
    feeds = watched.page.eval_on_selector_all(
        'link[rel="alternate"][type="application/rss+xml"]', "els => els.map(e => e.href)")
    assert feeds[0] == site + "rss.xml"
    if path.startswith("author/"):
        assert feeds[1:] == [site + CFO_FEED]
    watched.check_clean()


def test_follow_leads_to_the_feed_ready_to_copy(site: str, browser: Any) -> None:
    watched = Watched(browser, permissions=["clipboard-read", "clipboard-write"])
    page = watched.page
    page.goto(site + "author/cfo/", wait_until="networkidle")
    page.get_by_role("link", name="Follow Raj Patel").click()
    page.wait_for_url("**/subscribe/#feed-author-cfo")
    field = page.get_by_role("textbox", name="Feed address : Raj Patel")
    assert field.is_visible()  # the details holding it opened
    assert field.input_value() == site + CFO_FEED
    page.get_by_role("button", name="Copy feed address: Raj Patel").click()
    # The status is written once the clipboard's promise settles: wait for it, do not race it.
    expect(page.locator(".fs-copy__status")).to_have_text("Feed address copied")
    assert page.evaluate("navigator.clipboard.readText()") == site + CFO_FEED
    watched.check_clean()


def test_without_javascript_the_address_is_a_selectable_field(site: str, browser: Any) -> None:
    watched = Watched(browser, javascript=False)
    page = watched.page
    page.goto(site + "subscribe/")
    assert page.locator(".fs-copy__button").first.is_hidden()
    page.get_by_text("Sofia Marquez", exact=True).click()  # the summary opens the details natively
    field = page.get_by_role("textbox", name="Feed address : Sofia Marquez")
    field.click()
    page.keyboard.press("Control+A")
    selected = page.evaluate(
        "() => { const f = document.activeElement;"
        " return f.value.substring(f.selectionStart, f.selectionEnd); }")
    assert selected == site + "author/cmo/rss.xml"
    watched.check_clean()
