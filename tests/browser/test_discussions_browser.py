"""A real headless Chromium opens a post and a Q&A page of the built demo site.

The demo is built (with its shipped snapshots) into ``tmp_path`` and served over loopback. Every
request is routed and its host recorded: nothing may leave 127.0.0.1. No dialog may open and no
console error may occur; the answered/unanswered filter must work with and without JavaScript.
"""

from __future__ import annotations

import functools
import http.server
import threading
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
QA = "qa/ask-dana-anything-end-of-year-ama/"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.is_file(), reason=f"no Chromium at {CHROMIUM}"),
]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo built from the repository and served on a free loopback port."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    out = tmp_path_factory.mktemp("demo-site")
    handler = functools.partial(_QuietHandler, directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    origin = f"http://127.0.0.1:{server.server_address[1]}/"
    # site_url is the served origin: Material fetches sitemap.xml from it.
    config = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(out), site_url=origin)
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield origin
    server.shutdown()
    server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as play:
        chromium = play.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


class Watched:
    """A page whose requests, dialogs and console errors are recorded."""

    def __init__(self, browser: Any, *, javascript: bool = True) -> None:
        self.context = browser.new_context(java_script_enabled=javascript)
        self.hosts: set[str] = set()
        self.failed: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("dialog", self._dialog)
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error"
                     else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("requestfailed", lambda r: self.failed.append(r.url))
        self.page.on("response", lambda r: self.failed.append(r.url) if r.status >= 400
                     else None)

    def _route(self, route: Any) -> None:
        host = urllib.parse.urlsplit(route.request.url).hostname or ""
        self.hosts.add(host)
        if host == "127.0.0.1":
            route.continue_()
        else:
            route.abort()

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def check_clean(self) -> None:
        assert self.hosts == {"127.0.0.1"}, self.hosts
        assert self.dialogs == []
        assert self.errors == [], self.failed
        self.context.close()


def visible_states(page: Any) -> list[str]:
    states: list[str] = page.eval_on_selector_all(
        ".fs-question", "els => els.filter(e => e.offsetParent !== null)"
        ".map(e => e.classList.contains('fs-question--answered') ? 'a' : 'u')")
    return states


def test_post_page_shows_the_discussion(site: str, browser: Any) -> None:
    watched = Watched(browser)
    page = watched.page
    page.goto(site + "posts/2026/pay-review-2026-how-it-works-and-what-to-expect/")
    panel = page.locator("#fs-discussion")
    assert panel.locator("h2").inner_text() == "Discussion"
    assert panel.locator("h3 + ol.fs-replies > li.fs-reply").count() == 3
    assert panel.locator(".fs-reply--exec").count() >= 1
    join = panel.get_by_role("link", name="Join the discussion on Viva Engage")
    assert join.get_attribute("href", timeout=2000).startswith("https://")
    page.keyboard.press("Tab")  # keyboard focus is visible (outline from our stylesheet)
    join.focus()
    outline = join.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline != "none"
    watched.check_clean()


def test_hostile_demo_reply_runs_nothing(site: str, browser: Any) -> None:
    watched = Watched(browser)
    watched.page.goto(site + "posts/2026/an-apology-for-last-tuesday-s-fieldlink-outage/")
    html = watched.page.locator("#fs-discussion").inner_html()
    assert "onclick" not in html and "<script" not in html
    watched.check_clean()


def test_qa_filter_with_javascript(site: str, browser: Any) -> None:
    watched = Watched(browser)
    page = watched.page
    page.goto(site + QA)
    states = visible_states(page)
    assert "a" in states and "u" in states
    page.locator('a[data-filter="answered"]').click()
    assert set(visible_states(page)) == {"a"}
    assert page.url.endswith("#qa-answered")
    assert page.locator(".fs-qa-filter__status").inner_text().startswith("Showing")
    page.locator('a[data-filter="unanswered"]').click()
    assert set(visible_states(page)) == {"u"}
    page.locator('a[data-filter="all"]').click()
    assert visible_states(page) == states
    watched.check_clean()


def test_qa_filter_without_javascript(site: str, browser: Any) -> None:
    watched = Watched(browser, javascript=False)
    page = watched.page
    page.goto(site + QA)
    everything = visible_states(page)
    page.locator('a[href="#qa-answered"]').click()
    assert set(visible_states(page)) == {"a"}
    page.locator('a[href="#qa-unanswered"]').click()
    assert set(visible_states(page)) == {"u"}
    page.locator('a[href="#qa-all"]').click()
    assert visible_states(page) == everything
    watched.check_clean()
