"""Shared by the browser tests: build the demo into a folder, serve it on loopback, run axe.

axe-core comes from ``node_modules`` (pinned in ``package.json``/``package-lock.json``) and is
injected from that local file into the page under test: nothing is fetched from outside.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import threading
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "node_modules/axe-core/axe.min.js"
DECAP = ROOT / "node_modules/decap-cms/dist/decap-cms.js"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """A static file server that does not log every request to stderr."""

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def serving(directory: Path) -> Iterator[tuple[str, http.server.ThreadingHTTPServer]]:
    """Serve ``directory`` on a free loopback port; yields the origin (``http://127.0.0.1:N/``)."""
    handler = functools.partial(QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", server
    finally:
        server.shutdown()
        server.server_close()


def demo_plugins(**fireside: Any) -> list[Any]:
    """The demo's ``plugins`` list with the fireside plugin's options updated by ``fireside``.

    Pass it to ``build_demo(..., plugins=...)``: the configuration file stays the demo's own, so
    every relative path in it still resolves from the repository.
    """
    config: dict[str, Any] = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    plugins: list[Any] = config["plugins"]
    for entry in plugins:
        if isinstance(entry, dict) and "fireside" in entry:
            entry["fireside"] = {**(entry["fireside"] or {}), **fireside}
    return plugins


def build_demo(out: Path, site_url: str, **overrides: Any) -> None:
    """Build the demo into ``out`` with ``site_url`` and top-level ``mkdocs.yml`` overrides."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    loaded = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(out), site_url=site_url,
                         **overrides)
    loaded.plugins.on_startup(command="build", dirty=False)
    try:
        build(loaded)
    finally:
        loaded.plugins.on_shutdown()


class Watched:
    """A browser context whose requests, failures, dialogs and console errors are recorded.

    Requests leaving 127.0.0.1 are aborted and recorded in ``outside``.
    """

    def __init__(self, browser: Any, *, javascript: bool = True, **context: Any) -> None:
        self.context = browser.new_context(java_script_enabled=javascript, **context)
        self.hosts: set[str] = set()
        self.requests: list[str] = []
        self.outside: list[str] = []
        self.failed: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("dialog", self._dialog)
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error"
                     else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        # A request the page itself cancels (leaving for another page) is not a failure.
        self.page.on("requestfailed", lambda r: self.failed.append(f"{r.failure} {r.url}")
                     if "ERR_ABORTED" not in (r.failure or "") else None)
        self.page.on("response", lambda r: self.failed.append(f"{r.status} {r.url}")
                     if r.status >= 400 else None)

    def _route(self, route: Any) -> None:
        url = route.request.url
        host = urllib.parse.urlsplit(url).hostname or ""
        self.requests.append(url)
        if url.startswith(("data:", "blob:")):
            route.continue_()
            return
        self.hosts.add(host)
        if host == "127.0.0.1":
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def check_clean(self) -> None:
        """Nothing outside the site, no failed request, no dialog, no console error."""
        assert self.outside == [], self.outside
        assert self.failed == [], self.failed
        assert self.dialogs == []
        assert self.errors == [], self.errors
        self.context.close()


def run_axe(page: Any, *, rules: list[str] | None = None, include: list[str] | None = None,
            exclude: list[str] | None = None) -> list[dict[str, Any]]:
    """Run axe-core (from ``node_modules``) on the page; return its violations.

    Arguments:
        page: A Playwright page, loaded.
        rules: Only these rule ids (default: axe's default set, WCAG 2.2 A/AA and best
            practices such as ``aria-dialog-name`` and ``landmark-unique``).
        include: CSS selectors limiting the check to these elements (default: the page).
        exclude: CSS selectors of elements left out.
    """
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    options: dict[str, Any] = {"runOnly": {"type": "rule", "values": rules}} if rules else {}
    options["resultTypes"] = ["violations"]
    script = """([include, exclude, options]) => {
      const outside = (e) => !exclude.length || !e.closest(exclude.join(","));
      const inc = include ? [...document.querySelectorAll(include.join(","))].filter(outside)
                          : [document.documentElement];
      const exc = exclude.length ? [...document.querySelectorAll(exclude.join(","))] : [];
      return axe.run({include: inc, exclude: exc}, options);
    }"""
    result: dict[str, Any] = page.evaluate(script, [include, exclude or [], options])
    violations: list[dict[str, Any]] = result["violations"]
    return violations


def serious(violations: list[dict[str, Any]]) -> list[str]:
    """One line per serious or critical node: ``rule impact target: summary``."""
    lines = []
    for v in violations:
        if v["impact"] not in ("serious", "critical"):
            continue
        for node in v["nodes"]:
            summary = (node.get("failureSummary") or "").replace("\n", " ")[:160]
            lines.append(f"{v['id']} {v['impact']} {node['target']}: {summary}")
    return lines
