"""Headless Chromium opens the demo's engagement report and an inbox page.

The report is written by ``fireside insights``/``inbox`` for the demo into ``tmp_path`` and served
over loopback. Every request is routed and its host recorded: nothing may leave 127.0.0.1. The
charts must render, have accessible names, and keep readable contrast in light and dark mode;
at 390 px the page itself must not scroll sideways.
"""

from __future__ import annotations

import functools
import http.server
import re
import threading
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fireside.commands.cli import main
from tests.browser.harness import AXE, run_axe, serious

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
CHARTS = ("Posts per month", "Monthly unique participants", "Posting cadence against the target",
          "Leader reply rate", "Median participants per post, by category")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.is_file(), reason=f"no Chromium at {CHROMIUM}"),
]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def origin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    out = tmp_path_factory.mktemp("insights")
    config = str(ROOT / "mkdocs.yml")
    assert main(["insights", "-f", config, "-o", str(out)]) == 0
    assert main(["inbox", "-f", config, "-o", str(out)]) == 0
    handler = functools.partial(_QuietHandler, directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as play:
        chromium = play.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


def _open(browser: Any, url: str, *, scheme: str = "light",
          width: int = 1280) -> tuple[Any, Any, set[str]]:
    context = browser.new_context(color_scheme=scheme, viewport={"width": width, "height": 900})
    hosts: set[str] = set()

    def route(r: Any) -> None:
        host = urllib.parse.urlsplit(r.request.url).hostname or ""
        hosts.add(host)
        if host == "127.0.0.1":
            r.continue_()
        else:
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.goto(url)
    page.wait_for_load_state("load")
    return context, page, hosts


def _rgba(text: str) -> tuple[float, float, float, float]:
    numbers = [float(n) for n in re.findall(r"[\d.]+", text)]
    r, g, b = numbers[:3]
    return r, g, b, numbers[3] if len(numbers) > 3 else 1.0


def _luminance(rgb: tuple[float, float, float]) -> float:
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(fg: str, bg: str, opacity: float = 1.0) -> float:
    fr, fg_, fb, fa = _rgba(fg)
    br, bg_, bb, _ = _rgba(bg)
    a = fa * opacity
    mixed = (fr * a + br * (1 - a), fg_ * a + bg_ * (1 - a), fb * a + bb * (1 - a))
    lighter, darker = sorted((_luminance(mixed), _luminance((br, bg_, bb))), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_charts_render_with_accessible_names(origin: str, browser: Any) -> None:
    context, page, hosts = _open(browser, origin + "index.html")
    for name in CHARTS:
        chart = page.get_by_role("img", name=name, exact=True)
        assert chart.count() == 1, name
        box = chart.bounding_box()
        assert box is not None and box["width"] > 300 and box["height"] > 100
        description = chart.evaluate(
            "el => document.getElementById(el.getAttribute('aria-describedby')).textContent")
        assert description.endswith(".") and len(description) > 30
        marks = chart.locator("rect.fs-mark, circle.fs-dot")
        assert marks.count() > 0
        assert marks.first.bounding_box() is not None
    tables = page.locator("details.fs-data table")
    assert tables.count() == len(CHARTS)
    assert hosts == {"127.0.0.1"}
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_readable_in_light_and_dark(origin: str, browser: Any, scheme: str) -> None:
    context, page, hosts = _open(browser, origin + "index.html", scheme=scheme)
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    dark = _luminance(_rgba(background)[:3]) < 0.1
    assert dark is (scheme == "dark")
    text = page.locator("svg.fs-chart text.fs-text").first.evaluate(
        "el => getComputedStyle(el).fill")
    assert _contrast(text, background) >= 4.5
    body_text = page.evaluate("getComputedStyle(document.body).color")
    assert _contrast(body_text, background) >= 7
    bar = page.locator("svg.fs-chart rect.fs-mark").first.evaluate(
        "el => getComputedStyle(el).fill")
    assert _contrast(bar, background) >= 3  # graphics: WCAG 1.4.11
    header = page.locator(".fs-header")
    assert _contrast(header.evaluate("el => getComputedStyle(el).color"),
                     header.evaluate("el => getComputedStyle(el).backgroundColor")) >= 4.5
    link = page.locator("details.fs-data summary").first.evaluate(
        "el => getComputedStyle(el).color")
    assert _contrast(link, background) >= 4.5
    assert hosts == {"127.0.0.1"}
    context.close()


@pytest.mark.parametrize("path", ["index.html", "measured.html", "inbox/ceo/index.html"])
def test_phone_width_does_not_scroll_sideways(origin: str, browser: Any, path: str) -> None:
    context, page, hosts = _open(browser, origin + path, width=390)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.locator("h1").bounding_box()["width"] <= 390
    assert hosts == {"127.0.0.1"}
    context.close()


@pytest.mark.skipif(not AXE.is_file(), reason="axe-core is not installed: run 'npm ci'")
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", ["index.html", "measured.html", "inbox/ceo/index.html"])
def test_axe_finds_no_serious_violation(origin: str, browser: Any, path: str,
                                        scheme: str) -> None:
    context, page, hosts = _open(browser, origin + path, scheme=scheme)
    page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
    assert serious(run_axe(page)) == []
    assert hosts == {"127.0.0.1"}
    context.close()
