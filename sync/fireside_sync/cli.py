"""``fireside sync``: the command line around ``runner.run``.

Exit codes: 0 everything synced; 1 fatal (configuration, content, token, lock, or most threads
failing the same way), nothing written; 2 partial (failed threads keep their last snapshot).

``FIRESIDE_NOW`` (an ISO 8601 time with an offset) replaces the clock, for reproducible demo
snapshots and tests: it becomes ``content_changed_at``, the state's times and the schedule's now.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TextIO

from fireside.core.settings import SettingsError, load_settings
from fireside.discussions.snapshots import parse_time
from fireside_sync.errors import SyncError
from fireside_sync.progress import ProgressLine
from fireside_sync.report import EXIT_FATAL, EXIT_OK, RunResult
from fireside_sync.runner import run


def build_parser() -> argparse.ArgumentParser:
    """The ``fireside sync`` argument parser."""
    parser = argparse.ArgumentParser(
        prog="fireside sync",
        description="Fetch each post's discussion thread and write the snapshot files the "
                    "build embeds. Exit 0: all synced; 1: fatal, nothing written; 2: some "
                    "threads failed and keep their last snapshot.")
    parser.add_argument("-f", "--config-file", type=Path, default=Path("mkdocs.yml"),
                        help="the site's mkdocs.yml (default: ./mkdocs.yml)")
    parser.add_argument("--full", action="store_true",
                        help="fetch every thread, whatever the schedule says")
    parser.add_argument("--post", type=Path, metavar="PATH",
                        help="sync only the thread of this post or Q&A file")
    parser.add_argument("--report", type=Path, metavar="FILE",
                        help="also write the summary as JSON to FILE")
    parser.add_argument("-q", "--quiet", action="store_true",
                        help="print only errors and failures")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="log each request (paths only, never tokens)")
    return parser


def main(argv: Sequence[str] | None = None, *, env: Mapping[str, str] | None = None,
         stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    """Run ``fireside sync`` with ``argv`` (the arguments after ``sync``); return the exit code."""
    args = build_parser().parse_args(list(sys.argv[1:] if argv is None else argv))
    env = os.environ if env is None else env
    out, err = stdout or sys.stdout, stderr or sys.stderr
    _configure_logging(err, verbose=args.verbose)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    try:
        if env.get("FIRESIDE_NOW"):
            now = _parse_now(env["FIRESIDE_NOW"])
        settings = load_settings(args.config_file)
        if not settings.discussions.enabled:
            print("Discussions are disabled (discussions: {enabled: false}); nothing to sync.",
                  file=out)
            return EXIT_OK
        progress = ProgressLine(err) if err.isatty() and not args.quiet else None
        try:
            result = run(settings, now=now, env=env, full=args.full, only=args.post,
                         progress=progress)
        finally:
            if progress:
                progress.clear()
    except (SettingsError, SyncError) as exc:
        result = RunResult(started_at=now, exit_code=EXIT_FATAL, fatal=str(exc))
    for line in result.lines():
        quiet_ok = line.startswith(("error:", "Nothing")) or ": failed:" in line
        if not args.quiet or quiet_ok:
            to_err = result.fatal or ": failed:" in line or line.startswith("error:")
            print(line, file=err if to_err else out)
    if args.report:
        result.write(args.report)
    return result.exit_code


def _parse_now(text: str) -> dt.datetime:
    try:
        return parse_time(text.strip())
    except ValueError:
        raise SyncError(f"FIRESIDE_NOW={text!r}: expected an ISO 8601 time with an offset, "
                        "such as 2026-11-20T08:00:00+00:00") from None


def _configure_logging(stream: TextIO, *, verbose: bool) -> None:
    logger = logging.getLogger("fireside_sync")
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(name)s: %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG if verbose else logging.WARNING)
    logger.propagate = False
