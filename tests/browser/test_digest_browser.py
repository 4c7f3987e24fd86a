"""The demo's digest email in a real headless Chromium, 600 px wide, light and dark.

The HTML is what ``fireside digest --dry-run`` writes for the demo (the shipped content and
snapshots, "now" fixed). Chromium loads it with every request recorded: an email that fetches
anything (a remote image, a font, a tracking pixel) fails. Text must keep WCAG AA contrast
(4.5:1) against its background in both schemes, and nothing may overflow 600 px.

``FIRESIDE_SCREENSHOTS=docs/screenshots`` also writes ``digest-light.png`` and
``digest-dark.png`` there (the README's pictures).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.is_file(), reason=f"no Chromium at {CHROMIUM}"),
]

#: Every text element's colour, and the first opaque background behind it.
_TEXT = ("h1, h2, .eyebrow, .period, .title, .meta, .summary, .link, .quote, .more, .footer p, "
         ".avatar, .button a")
_COLOURS = """(selector) => [...document.querySelectorAll(selector)].map(el => {
    let bg = 'rgba(0, 0, 0, 0)', node = el;
    while (node && /rgba\\(.*, 0\\)|transparent/.test(bg)) {
      bg = getComputedStyle(node).backgroundColor; node = node.parentElement;
    }
    return [el.className || el.tagName, getComputedStyle(el).color, bg, el.textContent.trim()];
})"""


def _luminance(colour: str) -> float:
    red, green, blue = (int(v) / 255 for v in re.findall(r"\d+", colour)[:3])

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)


def _contrast(one: str, two: str) -> float:
    light, dark = sorted((_luminance(one), _luminance(two)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.fixture(scope="module")
def digest_html(tmp_path_factory: pytest.TempPathFactory) -> str:
    out = tmp_path_factory.mktemp("digest")
    env = {**os.environ, "FIRESIDE_NOW": "2026-11-30 09:00"}
    done = subprocess.run([sys.executable, "-m", "fireside.commands.cli", "digest", "-f",
                           str(ROOT / "mkdocs.yml"), "--since", "2026-11-01", "--dry-run",
                           str(out)], env=env, capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.returncode == 0, done.stderr
    return (out / "digest-2026-11-30.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_digest_reads_well_at_600_px_and_loads_nothing(digest_html: str, scheme: str,
                                                            tmp_path: Path) -> None:
    from playwright.sync_api import Route, sync_playwright

    requests: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 600, "height": 900})

            def refuse(route: Route) -> None:
                requests.append(route.request.url)
                route.abort()

            page.route("**/*", refuse)
            page.emulate_media(color_scheme="dark" if scheme == "dark" else "light")
            page.set_content(digest_html, wait_until="load")
            width = page.evaluate("document.documentElement.scrollWidth")
            box = page.locator("table.container").bounding_box()
            colours = page.evaluate(_COLOURS, _TEXT)
            container = page.evaluate(
                "getComputedStyle(document.querySelector('table.container')).backgroundColor")
            shots = os.environ.get("FIRESIDE_SCREENSHOTS")
            target = (ROOT / shots if shots else tmp_path) / f"digest-{scheme}.png"
            target.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(target), full_page=True)
        finally:
            browser.close()

    assert requests == []
    assert width <= 600
    assert box is not None and box["width"] == 600
    assert container == ("rgb(255, 255, 255)" if scheme == "light" else "rgb(28, 31, 35)")
    texts = {text for *_, text in colours}
    assert {"Fourteen years, and a goodbye", "Open the blog", "LE"} <= texts
    low = [(name, fg, bg, round(_contrast(fg, bg), 2)) for name, fg, bg, _ in colours
           if _contrast(fg, bg) < 4.5]
    assert low == []
    assert target.stat().st_size > 10_000
