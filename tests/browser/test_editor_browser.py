"""A real headless Chromium writes a post through Decap CMS in local mode (``fireside edit``).

Runs on a copy of the demo project in ``tmp_path``; the repository's own content is untouched.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
DECAP = ROOT / "node_modules/decap-cms/dist/decap-cms.js"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
TITLE = "Browser test: the canteen reopens"
# Markdown typed by hand must be saved as Markdown, not escaped (\*\*Monday\*\*).
BODY = "The canteen reopens on **Monday** with a new menu."

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.is_file(), reason=f"no Chromium at {CHROMIUM}"),
    pytest.mark.skipif(not DECAP.is_file(),
                       reason="Decap CMS is not installed: run 'npm ci' at the repository root"),
    pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed"),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fireside(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "fireside.commands.cli", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=180, check=False)


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    """A copy of the demo project, with the repository's node_modules linked in."""
    project = tmp_path / "demo"
    project.mkdir()
    for name in ("content", "overrides", "data"):  # data: the demo's snapshots, moderation
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, project / name)
    for name in ("mkdocs.yml", "package.json", "package-lock.json"):
        shutil.copy2(ROOT / name, project / name)
    (project / "node_modules").symlink_to(ROOT / "node_modules", target_is_directory=True)
    return project


@pytest.fixture
def editor(demo: Path) -> Iterator[str]:
    """``fireside edit`` running on the copy; yields the editor's URL, stops it with Ctrl-C."""
    port, proxy = free_port(), free_port()
    log = (demo / "edit.log").open("w", encoding="utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "fireside.commands.cli", "edit", "--port", str(port), "--proxy-port",
         str(proxy), "--no-install"], cwd=demo, stdout=log, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}/admin/"
    try:
        deadline = time.monotonic() + 120
        while "The editor is at" not in (demo / "edit.log").read_text(encoding="utf-8"):
            assert process.poll() is None, (demo / "edit.log").read_text(encoding="utf-8")
            assert time.monotonic() < deadline, "fireside edit did not start"
            time.sleep(0.3)
        yield url
    finally:
        process.send_signal(signal.SIGINT)
        try:
            code = process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            raise
        finally:
            log.close()
        assert code == 0, (demo / "edit.log").read_text(encoding="utf-8")
        for used in (port, proxy):  # both servers are gone
            with socket.socket() as sock:
                assert sock.connect_ex(("127.0.0.1", used)) != 0


def test_a_post_written_in_the_editor_is_valid_and_builds(demo: Path, editor: str) -> None:
    from playwright.sync_api import Request, Route, sync_playwright

    with urllib.request.urlopen(editor.replace("/admin/", "/admin/config.yml")) as response:
        assert "name: posts" in response.read().decode()
    outside: list[str] = []

    def only_local(route: Route, request: Request) -> None:
        if request.url.startswith(("http://127.0.0.1:", "http://localhost:", "data:", "blob:")):
            route.continue_()
        else:
            outside.append(request.url)
            route.abort()

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            context = browser.new_context(timezone_id="Europe/London",
                                          viewport={"width": 1400, "height": 1000})
            context.route("**/*", only_local)
            page = context.new_page()
            page.goto(editor)
            page.get_by_role("button", name="Login").click()  # the local backend: no password
            page.get_by_text("New Post").click()  # Decap's "New post" link
            page.locator('[id^="title-field-"]').fill(TITLE)
            page.locator('[id^="authors-field-"]').fill("Dana")
            page.keyboard.press("Enter")
            page.locator('[id^="categories-field-"]').fill("Cult")
            page.keyboard.press("Enter")
            page.locator('[data-slate-editor="true"]').click()
            page.keyboard.type(BODY)
            page.get_by_role("button", name="Publish").first.click()
            page.get_by_text("Publish now").click()
            page.wait_for_url("**/collections/posts/entries/**", timeout=30_000)
        finally:
            browser.close()
    assert outside == [], "the editor loaded something from outside the site"

    saved = sorted((demo / "content/posts").glob("*/*-browser-test-the-canteen-reopens.md"))
    assert len(saved) == 1, "the post was not saved under content/posts/<year>/"
    text = saved[0].read_text(encoding="utf-8")
    front, body = text.removeprefix("---\n").split("\n---\n", 1)
    meta = yaml.safe_load(front)
    assert meta["title"] == TITLE
    assert meta["authors"] == ["ceo"]
    assert meta["categories"] == ["Culture"]
    assert meta.get("draft", False) is False  # unset fields stay out of the file
    # The same style as `fireside new` and the demo: flow lists, a double-quoted title.
    assert "\nauthors: [ceo]\ncategories: [Culture]\n" in text
    assert f'title: "{TITLE}"' in text
    assert saved[0].name.startswith(str(meta["date"])[:10])  # 2026-11-23-… from the date
    assert BODY in body

    check = fireside("check", cwd=demo)
    assert check.returncode == 0, check.stdout + check.stderr
    built = fireside("publish", "--skip-sync", cwd=demo)
    assert built.returncode == 0, built.stdout + built.stderr
    year = str(meta["date"])[:4]
    page_html = demo / f"site/posts/{year}/browser-test-the-canteen-reopens/index.html"
    assert TITLE in page_html.read_text(encoding="utf-8")
    assert "the-canteen-reopens" in (demo / "site/index.html").read_text(encoding="utf-8")


EINDHOVEN = "content/posts/2026/2026-09-30-eindhoven-warehouse-closure.md"


def test_the_editor_lists_newest_first_edits_created_updated_dates_and_previews_names(
        demo: Path, editor: str) -> None:
    from playwright.sync_api import sync_playwright

    before = (demo / EINDHOVEN).read_text(encoding="utf-8")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            context = browser.new_context(timezone_id="Europe/London",
                                          viewport={"width": 1400, "height": 1000})
            page = context.new_page()
            # A fixed "now" for the browser: the post of 8 December 2026 is then scheduled.
            page.clock.set_fixed_time("2026-11-25T12:00:00")
            page.goto(editor)
            page.get_by_role("button", name="Login").click()
            entries = page.locator('a[href*="/collections/posts/entries/"]')
            entries.first.wait_for(timeout=30_000)
            titles = [t.split("\n")[0] for t in entries.all_inner_texts()]
            assert titles[:3] == [
                "Scheduled: Thank you for 2026, and a proper break (2026-12-08)",
                "Draft: Updating our AI policy for 2027 (draft for consultation) (2026-11-20)",
                "Fourteen years, and a goodbye (2026-11-16)"]
            closure = "Closing the Eindhoven warehouse: the decision and how we will support " \
                      "our colleagues (2026-09-30)"
            assert closure in titles  # a {created, updated} date is a date, not "(--)"
            page.get_by_text(closure).click()
            date = page.locator('[id^="date-field-"]')
            updated = page.locator('[id^="updated-field-"]')
            date.first.wait_for(timeout=30_000)
            assert date.first.input_value().replace("T", " ") == "2026-09-30 08:00"
            assert updated.first.input_value().replace("T", " ") == "2026-10-07 16:00"
            preview = page.frame_locator("iframe").first
            byline = preview.locator(".fs-byline")
            assert byline.inner_text().split("\n") == ["Lars Eriksen", "Chief Operating Officer"]
            # The site's own stylesheets style the preview (Fireside's byline is a flex row).
            assert byline.evaluate("el => getComputedStyle(el).display") == "flex"
            title = page.locator('[id^="title-field-"]')
            title.fill(title.input_value() + " (revised)")
            page.get_by_role("button", name="Publish").first.click()
            page.get_by_text("Publish now").click()
            page.wait_for_timeout(2000)
        finally:
            browser.close()
    after = (demo / EINDHOVEN).read_text(encoding="utf-8")
    changed = [(a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=True)
               if a != b]
    assert changed == [(
        'title: "Closing the Eindhoven warehouse: the decision and how we will support our '
        'colleagues"',
        'title: "Closing the Eindhoven warehouse: the decision and how we will support our '
        'colleagues (revised)"')]
