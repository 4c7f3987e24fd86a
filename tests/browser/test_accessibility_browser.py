"""axe-core (WCAG 2.2 A/AA) on every kind of page of the demo, in a real headless Chromium.

Nine pages (index, a post with a discussion, an author, a category, the archive, the Q&A index, a
Q&A session, Subscribe, and the editor at ``/admin/``) at 1280 and 390 px, in the light and the
dark scheme: no serious or critical violation may remain. Each page load is also watched: no
request leaves the site and none fails (Material's sitemap fetch for feed links included).

Fireside's own components must also pass colour contrast with *any* Material primary colour.
Material's palette CSS ships every primary (``[data-md-color-primary=…]``) and the build only
writes the chosen name into ``<body>``, so setting that attribute in the page is the same as
building with that primary; the check then runs axe's ``color-contrast`` rule on Fireside's
elements only (``[class*=fs-]``, without the text authors wrote, which keeps the theme's links).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.harness import (
    ARGS,
    AXE,
    CHROMIUM,
    DECAP,
    ROOT,
    Watched,
    build_demo,
    demo_plugins,
    run_axe,
    serious,
    serving,
)

PAGES = {
    "index": "",
    "post with a discussion": "posts/2026/pay-review-2026-how-it-works-and-what-to-expect/",
    "author": "author/cfo/",
    "category": "category/results/",
    "archive": "archive/",
    "Q&A index": "qa/",
    "Q&A session": "qa/ask-dana-anything-end-of-year-ama/",
    "Subscribe": "subscribe/",
    "editor": "admin/",
}
WIDTHS = (1280, 390)
SCHEMES = ("light", "dark")
#: Every primary colour Material offers.
PRIMARIES = ("red", "pink", "purple", "deep-purple", "indigo", "blue", "light-blue", "cyan",
             "teal", "green", "light-green", "lime", "yellow", "amber", "orange", "deep-orange",
             "brown", "grey", "blue-grey", "black", "white")

#: What authors wrote (a post's body, a listing's intro) keeps the theme's own link colour.
AUTHORED = [".fs-post__body", ".fs-listing__intro"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.is_file(), reason=f"no Chromium at {CHROMIUM}"),
    pytest.mark.skipif(not AXE.is_file() or not DECAP.is_file(),
                       reason="axe-core/Decap are not installed: run 'npm ci'"),
]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo, with the editor on (Decap's in-browser ``test-repo`` backend), served."""
    out = tmp_path_factory.mktemp("a11y")
    plugins = demo_plugins(editor={"enabled": True, "backend": {"name": "test-repo"},
                                   "npm_dir": str(ROOT)})
    with serving(out) as (origin, _):
        build_demo(out, origin, plugins=plugins)
        yield origin


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as play:
        chromium = play.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


def open_page(browser: Any, url: str, width: int, scheme: str) -> Watched:
    watched = Watched(browser, viewport={"width": width, "height": 900},
                      color_scheme=scheme, timezone_id="Europe/London")
    watched.page.goto(url, wait_until="load")
    if url.endswith("admin/"):  # Decap renders its login screen, then the post list
        watched.page.get_by_role("button", name="Login").click()
        watched.page.get_by_text("Leadership posts").first.wait_for(timeout=20_000)
    watched.page.wait_for_timeout(300)  # let Material's scripts settle (palette, search)
    return watched


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", WIDTHS)
def test_no_serious_violations(site: str, browser: Any, width: int, scheme: str) -> None:
    found: dict[str, list[str]] = {}
    for name, path in PAGES.items():
        watched = open_page(browser, site + path, width, scheme)
        problems = serious(run_axe(watched.page))
        if problems:
            found[name] = problems
        if name != "editor":  # Decap logs its own warnings; the site's pages must be clean
            watched.check_clean()
        else:
            assert watched.outside == [], watched.outside
            watched.context.close()
    assert found == {}, "\n".join(f"{page}: {line}" for page, lines in found.items()
                                  for line in lines)


@pytest.mark.parametrize("scheme", ("default", "slate"))
def test_fireside_components_contrast_with_every_primary(site: str, browser: Any,
                                                         scheme: str) -> None:
    failures: list[str] = []
    for path in (PAGES["post with a discussion"], PAGES["Q&A session"], PAGES["index"],
                 PAGES["Subscribe"], PAGES["author"], PAGES["category"]):
        watched = open_page(browser, site + path, 1280, "dark" if scheme == "slate" else "light")
        # Material fades colours (transition); axe must see the final ones.
        watched.page.add_style_tag(content="*, *::before, *::after { transition: none !important }")
        for primary in PRIMARIES:
            watched.page.evaluate(
                "([p, s]) => { document.body.setAttribute('data-md-color-primary', p);"
                " document.body.setAttribute('data-md-color-scheme', s); }", [primary, scheme])
            lines = serious(run_axe(watched.page, rules=["color-contrast"],
                                    include=['[class*="fs-"]'], exclude=AUTHORED))
            failures += [f"{path} {primary}: {line}" for line in lines]
        watched.context.close()
    assert failures == [], "\n".join(failures)
