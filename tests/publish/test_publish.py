"""``fireside publish`` end to end: the real command, in a small project in ``tmp_path``."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from fireside.publish.checks import check_feeds, find_external_resources
from tests.conftest import Project, make_reply, save_thread

TOKEN_ENV = "FIRESIDE_YAMMER_TOKEN"


def publish(project: Project, *args: str, token: str | None = None,
            **options: Any) -> tuple[subprocess.CompletedProcess[str], dict[str, Any]]:
    """Run ``fireside publish`` on ``project``; return the process and the JSON report."""
    config = project.config(**options)
    env = {k: v for k, v in os.environ.items() if k != TOKEN_ENV}
    if token is not None:
        env[TOKEN_ENV] = token
    command = [sys.executable, "-m", "fireside.commands.cli", "publish", "-f", str(config), *args]
    done = subprocess.run(command, cwd=project.root, env=env, capture_output=True, text=True,
                          timeout=180, check=False)
    report_path = project.root / "build-report.json"
    report = json.loads(report_path.read_text(encoding="utf-8")) if report_path.is_file() else {}
    return done, report


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def blog(project: Project) -> Project:
    project.post("quarterly-results", title="Quarterly results", categories=["Results"],
                 discussion="yammer:2000000001")
    project.post("welcome", title="Welcome", date="2026-01-02 09:00")
    project.post("next-month", title="Next month", date="2026-07-01 09:00")  # now is 2026-06-01
    project.post("work-in-progress", title="Work in progress", draft=True)
    project.options["discussions"] = {"snapshots": "data/discussions"}
    return project


def test_without_token_sync_is_skipped_and_the_site_is_built(blog: Project) -> None:
    done, report = publish(blog)

    assert done.returncode == 0, done.stdout + done.stderr
    assert "sync: skipped: no token" in done.stdout
    assert report["ok"] is True
    assert report["sync"] == {"status": "skipped", "reason": "no token", "exit_code": None,
                              "synced": [], "stale": []}  # no snapshots, so nothing is stale
    posts = report["posts"]
    assert (posts["published"], posts["drafts"]) == (2, 1)
    assert [p["title"] for p in posts["scheduled"]] == ["Next month"]
    assert posts["first_run"] is True
    assert {p["title"] for p in posts["new"]} == {"Quarterly results", "Welcome"}
    assert set(report["timings"]) == {"sync", "build", "checks", "total"}
    assert report["checks"]["external_resources"] == []
    assert {f["kind"] for f in report["checks"]["feeds"]} >= {"rss", "atom"}
    assert (blog.site_dir / "posts/quarterly-results/index.html").is_file()
    summary = (blog.root / "build-report.txt").read_text(encoding="utf-8")
    assert summary.startswith("Fireside publish: OK")
    assert (blog.root / "data/discussions/_publish.json").is_file()


def test_the_next_run_reports_new_posts_and_scheduled_posts_going_live(blog: Project) -> None:
    assert publish(blog)[0].returncode == 0
    blog.post("town-hall", title="Town hall", date="2026-05-20 09:00")

    done, report = publish(blog, now="2026-07-02 12:00")  # "Next month" is due now

    assert done.returncode == 0, done.stdout + done.stderr
    posts = report["posts"]
    assert posts["first_run"] is False
    assert [p["title"] for p in posts["went_live"]] == ["Next month"]
    assert {p["title"] for p in posts["new"]} == {"Town hall", "Next month"}
    assert posts["scheduled"] == []
    assert "went live: Next month (/posts/next-month/)" in done.stdout
    assert "new: Town hall" in done.stdout


def test_platform_down_still_publishes_and_marks_the_discussion_stale(blog: Project) -> None:
    snapshots = blog.root / "data/discussions"
    save_thread(snapshots, "2000000001", [make_reply("31", body="<p>Well done.</p>")])
    port = closed_port()
    blog.options["platforms"] = {"yammer": {
        "api_url": f"http://127.0.0.1:{port}/api/v1", "timeout_seconds": 2,
        "retries": {"attempts": 1}}}

    done, report = publish(blog, "--full", token="not-a-real-token")

    assert done.returncode == 0, done.stdout + done.stderr
    assert report["ok"] is True
    assert report["sync"]["status"] in ("partial", "failed")
    assert [t["thread"] for t in report["sync"]["stale"]] == ["yammer:2000000001"]
    assert report["sync"]["stale"][0]["posts"] == ["content/posts/quarterly-results.md"]
    assert "not-a-real-token" not in done.stdout + done.stderr
    assert "not-a-real-token" not in (blog.root / "build-report.json").read_text("utf-8")
    page = blog.html("posts/quarterly-results/")
    assert "Well done." in page  # the last good snapshot is still shown …
    assert "fs-discussion__stale" in page  # … marked as possibly out of date
    assert "stale: content/posts/quarterly-results.md (yammer:2000000001, last good snapshot " \
        in done.stdout


@pytest.mark.parametrize("how", ["no token", "--skip-sync"])
def test_an_old_snapshot_is_stale_the_same_way_with_or_without_sync(blog: Project,
                                                                    how: str) -> None:
    snapshots = blog.root / "data/discussions"
    save_thread(snapshots, "2000000001", [make_reply("31")])
    (snapshots / "_state.json").write_text(json.dumps({
        "schema_version": 1, "generated_by": "test", "resolved": {}, "threads": {
            "yammer:2000000001": {"status": "ok", "last_error": None, "bookmarks": {},
                                  "last_fetched_at": "2026-01-01T07:00:00Z",
                                  "last_success_at": "2026-01-01T07:00:00Z"}}}),
        encoding="utf-8")

    done, report = publish(blog, *(["--skip-sync"] if how == "--skip-sync" else []))

    assert done.returncode == 0, done.stdout + done.stderr
    (stale,) = report["sync"]["stale"]
    assert stale["thread"] == "yammer:2000000001"
    assert stale["posts"] == ["content/posts/quarterly-results.md"]
    assert stale["error"] == ("the last good snapshot is older than 72 h; not synced in this run "
                              f"({how})")
    assert stale["last_success_at"] == "2026-01-01T07:00:00Z"
    assert stale["age_hours"] > 24 * 30  # months old, by the real clock
    assert ("stale: content/posts/quarterly-results.md (yammer:2000000001, last good snapshot "
            in done.stdout) and "days old): the last good snapshot is older than 72 h" \
        in done.stdout


def test_a_broken_post_fails_with_the_message(blog: Project) -> None:
    blog.post("broken", title="Broken", authors=["nobody"])

    done, report = publish(blog)

    assert done.returncode == 1
    assert "Fireside publish: FAILED" in done.stdout
    assert "content/posts/broken.md" in done.stdout
    assert "unknown author 'nobody'" in done.stdout
    assert report["ok"] is False
    assert any("unknown author 'nobody'" in e for e in report["errors"])
    assert "Traceback" not in done.stdout + done.stderr
    assert not (blog.root / "data/discussions/_publish.json").exists()


def test_a_page_loading_from_outside_the_site_fails_the_checks(blog: Project) -> None:
    blog.post("tracker", title="Tracker", body='<img src="https://cdn.example.net/t.gif">\n')

    done, report = publish(blog)

    assert done.returncode == 1
    found = report["checks"]["external_resources"]
    assert ("posts/tracker/index.html: <img> loads https://cdn.example.net/t.gif from outside "
            "the site") in found
    assert "index.html: <img> loads https://cdn.example.net/t.gif from outside the site" \
        in found  # the blog index shows the excerpt too
    assert all("cdn.example.net" in line for line in found)
    assert any("cdn.example.net" in e for e in report["errors"])


def test_external_resource_check_ignores_links_and_own_urls(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a/index.html").write_text(
        '<link rel="alternate" href="https://elsewhere.example/feed">'
        '<link rel="stylesheet" href="https://intranet.example.com/blog/x.css">'
        '<a href="https://web.yammer.com/thread">thread</a><img src="../logo.png">'
        '<script src="//cdn.example.net/x.js"></script>'
        '<div style="background: url(\'https://img.example.net/b.png\')"></div>'
        '<img srcset="s.png 1x, https://img.example.net/l.png 2x">', encoding="utf-8")

    found = find_external_resources(tmp_path, "https://intranet.example.com/blog/")

    assert [(r.tag, r.url) for r in found] == [
        ("script", "//cdn.example.net/x.js"),
        ("div style", "https://img.example.net/b.png"),
        ("img", "https://img.example.net/l.png")]


def test_feed_check_reports_a_feed_that_does_not_parse(tmp_path: Path) -> None:
    (tmp_path / "rss.xml").write_text("<rss><channel><item></channel></rss>", encoding="utf-8")
    (tmp_path / "sitemap.xml").write_text("<urlset/>", encoding="utf-8")
    (tmp_path / "feed.json").write_text('{"version": "https://jsonfeed.org/version/1.1", '
                                        '"items": [{}]}', encoding="utf-8")

    checks = check_feeds(tmp_path)

    assert [(c.path, c.kind, c.items) for c in checks] == [("rss.xml", "invalid", 0),
                                                          ("feed.json", "json", 1)]
