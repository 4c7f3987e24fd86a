"""Author-written markup runs nothing in a real browser (issue 16, item 2).

A site whose post title and description, author name and role, category, tag and Q&A title
all carry ``<img src=https://evil.example/… onerror=alert(…)>`` is built, served on loopback
and every HTML page opened in headless Chromium: no dialog may open and no request may leave
127.0.0.1 (the image would be fetched if the markup were parsed as HTML). The search box is
used too, since Material renders result titles as HTML.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.test_discussions_browser import CHROMIUM, Watched, _QuietHandler
from tests.conftest import AUTHORS, Project, make_reply, save_thread

EVIL = "<img src=https://evil.example/x.png onerror=alert(document.domain)>"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.is_file(), reason=f"no Chromium at {CHROMIUM}"),
]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list[str]]]:
    """The hostile site, served; yields its origin and every page's URL."""
    project = Project(tmp_path_factory.mktemp("hostile") / "proj")
    project.authors({**AUTHORS, "ceo": {**AUTHORS["ceo"], "name": f"Dana {EVIL}",
                                        "description": f"CEO {EVIL}"}})
    project.post("hello", title=f"Results {EVIL}", slug="hello", description=f"Sum {EVIL}",
                 categories=[f"Cat {EVIL}"], tags=[f"tag {EVIL}"],
                 discussion="yammer:2000000001")
    project.write("qa/ama.md", f"---\ntitle: 'AMA {EVIL}'\ndate: 2026-05-01 09:00\n"
                  "hosts: [ceo]\ndiscussion: yammer:2100000001\n---\n\nAsk.\n")
    snapshots = project.root / "data" / "discussions"
    save_thread(snapshots, "2000000001", [make_reply("1", name=f"Sam {EVIL}", likes=2)])
    save_thread(snapshots, "2100000001", [make_reply("2", name=f"Kim {EVIL}")])
    out = project.site_dir
    out.mkdir(parents=True)
    handler = functools.partial(_QuietHandler, directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    origin = f"http://127.0.0.1:{server.server_address[1]}/"
    project.config_extra["site_url"] = origin  # Material fetches sitemap.xml from site_url
    project.build()
    pages = sorted(p.relative_to(out).parent.as_posix() + "/" for p in out.rglob("index.html"))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield origin, [p.removeprefix("./") for p in pages]
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as play:
        chromium = play.chromium.launch(executable_path=str(CHROMIUM), args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"])
        yield chromium
        chromium.close()


def test_no_page_runs_or_loads_the_markup(site: tuple[str, list[str]], browser: Any) -> None:
    origin, pages = site
    assert len(pages) >= 14
    watched = Watched(browser)
    for url in pages:
        watched.page.goto(origin + url)
        watched.page.wait_for_load_state("load")
    assert watched.dialogs == []
    assert watched.hosts == {"127.0.0.1"}, watched.hosts
    watched.page.goto(origin + "posts/hello/")
    assert watched.page.locator("#fs-post-title").inner_text() == f"Results {EVIL}"
    watched.context.close()


def test_search_results_show_the_title_as_text(site: tuple[str, list[str]],
                                               browser: Any) -> None:
    origin, _ = site
    watched = Watched(browser)
    page = watched.page
    page.goto(origin)
    page.wait_for_load_state("networkidle")
    page.locator(".md-search__input").first.focus()
    page.keyboard.type("Results", delay=50)
    result = page.locator(".md-search-result__item h1").first
    result.wait_for(timeout=10_000)
    assert "<img" in result.inner_text()  # shown as text, not parsed
    assert watched.dialogs == [] and watched.hosts == {"127.0.0.1"}
    watched.context.close()
