"""``fireside publish``: the comms team's one job. Sync, strict build, checks, build report.

1. ``fireside sync`` when a platform token is set (skipped cleanly otherwise). It runs as a
   child process: whatever happens to it (platform down, timeout, crash), the publish goes on
   and the pages say the discussion is stale.
2. ``mkdocs build --strict``, in process.
3. The checks: ``fireside check``, no page loading anything from outside ``site_url``, and
   every feed parses.
4. The report: ``build-report.json`` and ``build-report.txt`` beside ``mkdocs.yml`` (outside
   ``site/``, which stays byte-identical for the same content and snapshots).

Exit 0 when the site was built and checked; 1 on content errors, a failed build or check.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

from fireside.core.content import load_content
from fireside.core.settings import PlatformSettings, Settings, SettingsError, load_settings
from fireside.discussions.platforms import ReferenceProblem, Registry
from fireside.discussions.snapshots import SnapshotError, SnapshotStore
from fireside.publish.checks import check_feeds, find_external_resources
from fireside.publish.report import PREVIOUS_FILE, PostEntry, Previous, PublishReport, ThreadEntry

EXIT_OK, EXIT_FAILED = 0, 1
_SYNC_STATUS = {0: "ok", 2: "partial"}


class _Collect(logging.Handler):
    """Keeps the build's warnings for the report."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _token_set(settings: Settings) -> bool:
    if not settings.platforms:
        return bool(os.environ.get("FIRESIDE_YAMMER_TOKEN", "").strip())
    return any(_credential_set(p) for p in settings.platforms.values())


def _credential_set(platform: PlatformSettings) -> bool:
    """A token in ``token_env``, or an ``entra:`` credential that can be used."""
    entra = platform.entra
    if entra is None:
        return bool(os.environ.get(platform.token_env, "").strip())
    names = (entra.client_secret_env, entra.certificate_path_env, entra.token_cache_env)
    return bool(entra.certificate_path or (entra.token_cache and entra.token_cache.is_file())
                or any(os.environ.get(n, "").strip() for n in names if n))


def _sync(config_file: Path, settings: Settings, report: PublishReport, *, full: bool,
          timeout: float) -> tuple[dt.datetime | None, dict[str, ThreadEntry]]:
    """Run ``fireside sync``; return when it started and the threads that failed."""
    if not _token_set(settings):
        report.sync_status, report.sync_reason = "skipped", "no token"
        return None, {}
    started = dt.datetime.now(dt.UTC).replace(microsecond=0)
    sync_report = settings.discussions.snapshots.parent / ".fireside-sync-report.json"
    command = [sys.executable, "-m", "fireside.commands.cli", "sync", "-f", str(config_file),
               "--report", str(sync_report), *(["--full"] if full else [])]
    print("Syncing discussions …", flush=True)
    try:
        done = subprocess.run(command, cwd=config_file.parent, timeout=timeout, check=False)
        code: int | None = done.returncode
    except subprocess.TimeoutExpired:
        code = None
    report.sync_exit_code = code
    report.sync_status = _SYNC_STATUS.get(code, "failed") if code is not None else "failed"
    failures: dict[str, ThreadEntry] = {}
    try:
        data = json.loads(sync_report.read_text(encoding="utf-8"))
        sync_report.unlink()
        for platform in data.get("platforms", {}).values():
            for failure in platform.get("failures", []):
                failures[failure["thread"]] = ThreadEntry(
                    failure["thread"], error=failure.get("message"),
                    posts=tuple(failure.get("posts", ())))
        report.sync_reason = data.get("fatal")
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass  # no report: the summary below still says what happened
    if code is None:
        report.sync_reason = f"timed out after {timeout:.0f} s"
    elif report.sync_status == "failed" and not report.sync_reason:
        report.sync_reason = f"exit code {code}"
    if report.sync_status != "ok":
        reason = report.sync_reason or "some threads failed"
        report.warnings.append(f"sync {report.sync_status}: {reason}; the pages show the last "
                               "good snapshots")
    return started, failures


def _threads(settings: Settings, report: PublishReport, since: dt.datetime | None,
             failures: dict[str, ThreadEntry]) -> None:
    """Fill the synced and stale lists from the sync state beside the snapshots.

    The same snapshots give the same stale list whether the sync ran, was skipped for want of
    a token, or with ``--skip-sync``. Each stale entry names its posts, the error (the sync's,
    else why the snapshot is old) and the age of the last good snapshot.
    """
    try:
        state = SnapshotStore(settings.discussions.snapshots).load_state()
    except SnapshotError as exc:
        report.warnings.append(f"unreadable sync state: {exc}")
        return
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    hours = settings.discussions.stale_after_hours
    limit = dt.timedelta(hours=hours)
    posts = _posts_by_thread(settings, state.resolved)
    not_run = f"; not synced in this run ({report.sync_reason})" \
        if report.sync_status == "skipped" and report.sync_reason else ""
    for key, entry in sorted(state.threads.items()):
        failed = failures.pop(key, None)
        if since and entry.status == "ok" and entry.last_success_at and \
                entry.last_success_at >= since:
            report.synced.append(ThreadEntry(key, entry.last_success_at))
        elif entry.status == "stale" or failed or (
                limit and entry.last_success_at and now - entry.last_success_at > limit):
            error = (failed.error if failed else None) or entry.last_error or (
                f"the last good snapshot is older than {hours:g} h{not_run}")
            report.stale.append(ThreadEntry(
                key, entry.last_success_at, error,
                (failed.posts if failed else ()) or posts.get(key, ()), now=now))
    for key, failed in failures.items():  # failed before the state knew them
        report.stale.append(ThreadEntry(key, None, failed.error or "never synced",
                                        failed.posts or posts.get(key, ()), now=now))


def _posts_by_thread(settings: Settings, resolved: Mapping[str, str]) -> dict[str, tuple[str, ...]]:
    """Thread key (``yammer:123``) -> the posts and Q&A pages that link to it, as paths."""
    root = settings.config_file.parent if settings.config_file else settings.docs_dir.parent
    content = load_content(settings.docs_dir, timezone=settings.timezone, display_root=root)
    registry = Registry.configured({name: platform.api_url
                                    for name, platform in settings.platforms.items()})
    found: dict[str, tuple[str, ...]] = {}
    for post in [*content.posts, *content.sessions]:
        path = settings.docs_dir / post.src_uri
        shown = path.relative_to(root).as_posix() if path.is_relative_to(root) else post.src_uri
        for reference in post.meta.discussion:
            try:
                ref = registry.parse(reference)
            except ReferenceProblem:
                continue  # `fireside check` reports it
            thread = ref.thread_id(resolved)
            if thread is not None:
                key = f"{ref.platform}:{thread}"
                found[key] = (*found.get(key, ()), shown)
    return found


def _build(config_file: Path, report: PublishReport) -> str | None:
    """Build strictly; return ``site_url`` (``""`` when unset), or ``None`` on failure."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    collect = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collect)
    level = logger.level
    logger.setLevel(logging.WARNING)  # `fireside check` quietens it; the report wants warnings
    print("Building the site (mkdocs build --strict) …", flush=True)
    try:
        config = load_config(str(config_file), strict=True)
        report.site_dir = str(config.site_dir)
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
    except MkDocsException as exc:
        report.errors.extend(collect.messages)
        report.fail(f"mkdocs build --strict failed: {exc}")
        return None
    finally:
        logger.removeHandler(collect)
        logger.setLevel(level)
    report.warnings.extend(collect.messages)
    return str(config.site_url or "")


def _check(config_file: Path, report: PublishReport, previous_path: Path, *,
           site_url: str | None) -> None:
    from fireside.commands.cli import CommandError, check
    from fireside.core.site import is_hidden

    try:
        site, problems = check(config_file)
    except CommandError as exc:
        report.fail(str(exc))
        return
    for problem in problems:  # the build's own message may have said it already
        if any(str(problem) in said for said in (*report.errors, *report.warnings)):
            continue
        (report.fail if problem.severity == "error" else report.warnings.append)(str(problem))
    now = site.options.now
    report.now = now
    published = [p for p in site.posts if not is_hidden(p, now)]
    scheduled = [p for p in site.content.posts if not p.meta.draft and p.created > now]
    report.published, report.drafts = len(published), sum(
        1 for p in site.content.posts if p.meta.draft)
    report.scheduled = [PostEntry.of(p) for p in sorted(scheduled, key=lambda p: p.created)]
    previous = Previous.load(previous_path)
    report.first_run = previous.built_at is None
    report.new_posts = [PostEntry.of(p) for p in published if p.src_uri not in previous.published]
    report.went_live = [PostEntry.of(p) for p in published if p.src_uri in previous.scheduled]
    if site_url is None:  # the build failed: nothing to check
        return
    site_dir = Path(report.site_dir)
    for resource in find_external_resources(site_dir, site_url):
        report.external.append(str(resource))
        report.fail(str(resource))
    for feed in check_feeds(site_dir):
        report.feeds.append({"path": feed.path, "kind": feed.kind, "items": feed.items})
        if feed.error:
            report.fail(f"{feed.path}: the feed does not parse: {feed.error}")
    if report.ok:
        Previous.save(previous_path, built_at=now, published=published, scheduled=scheduled)


def run(config_file: Path, *, report_path: Path | None = None, full: bool = False,
        skip_sync: bool = False, sync_timeout: float = 1800.0) -> PublishReport:
    """Sync, build and check the site at ``config_file``; write and return the report."""
    report = PublishReport(started_at=dt.datetime.now(dt.UTC).replace(microsecond=0))
    config_file = config_file.resolve()
    report_path = report_path or config_file.parent / "build-report.json"
    clock = time.perf_counter()
    try:
        settings = load_settings(config_file)
    except SettingsError as exc:
        report.fail(str(exc))
        report.write(report_path)
        return report
    if skip_sync:
        report.sync_status, report.sync_reason = "skipped", "--skip-sync"
        since, failures = None, dict[str, ThreadEntry]()
    else:
        since, failures = _sync(config_file, settings, report, full=full, timeout=sync_timeout)
    _threads(settings, report, since, failures)
    report.timings["sync"] = time.perf_counter() - clock
    step = time.perf_counter()
    site_url = _build(config_file, report)
    report.timings["build"] = time.perf_counter() - step
    step = time.perf_counter()
    _check(config_file, report, settings.discussions.snapshots / PREVIOUS_FILE,
           site_url=site_url)
    report.timings["checks"] = time.perf_counter() - step
    report.timings["total"] = time.perf_counter() - clock
    report.write(report_path)
    return report


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``fireside publish``; return the exit code."""
    parser = argparse.ArgumentParser(
        prog="fireside publish",
        description="Sync the discussions (when a token is set), build the site strictly, "
                    "check it and write a build report. Fails on content errors, never "
                    "because the platform is down.")
    parser.add_argument("-f", "--config-file", type=Path, default=Path("mkdocs.yml"))
    parser.add_argument("--full", action="store_true", help="re-sync every thread")
    parser.add_argument("--skip-sync", action="store_true", help="build from the snapshots")
    parser.add_argument("--report", type=Path, metavar="FILE",
                        help="the JSON report (default: build-report.json beside mkdocs.yml; "
                             "the summary goes beside it as .txt)")
    parser.add_argument("--sync-timeout", type=float, default=1800.0, metavar="SECONDS")
    args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    if not args.config_file.is_file():
        print(f"fireside publish: {args.config_file}: not found; run this in the folder "
              "holding mkdocs.yml or pass -f PATH", file=sys.stderr)
        return EXIT_FAILED
    report = run(args.config_file, report_path=args.report, full=args.full,
                 skip_sync=args.skip_sync, sync_timeout=args.sync_timeout)
    print("\n".join(report.lines()), flush=True)
    return EXIT_OK if report.ok else EXIT_FAILED

