"""``fireside publish``: sync, build strictly, check, and write the build report."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from fireside.adapter.build import build_site
from fireside.adapter.settings import load_settings
from fireside.commands.digest import digest
from fireside.digest.run import DigestOutcome
from fireside.publish.pipeline import EXIT_FAILED, EXIT_OK, run


def build_parser(*, add_help: bool = True) -> argparse.ArgumentParser:
    """The ``fireside publish`` argument parser."""
    parser = argparse.ArgumentParser(
        prog="fireside publish", add_help=add_help,
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
    parser.add_argument("--skip-digest", action="store_true",
                        help="do not send the digest, even when it is due")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``fireside publish``; return the exit code."""
    return run_args(build_parser().parse_args(list(sys.argv[1:] if argv is None else argv)))


def run_args(args: argparse.Namespace) -> int:
    """Run ``fireside publish`` with parsed arguments; return the exit code."""
    if not args.config_file.is_file():
        print(f"fireside publish: {args.config_file}: not found; run this in the folder "
              "holding mkdocs.yml or pass -f PATH", file=sys.stderr)
        return EXIT_FAILED
    report = run(args.config_file, load=load_settings, build=build_site, digest=_send_digest,
                 report_path=args.report, full=args.full, skip_sync=args.skip_sync,
                 sync_timeout=args.sync_timeout, skip_digest=args.skip_digest)
    print("\n".join(report.lines()), flush=True)
    return EXIT_OK if report.ok else EXIT_FAILED


def _send_digest(config_file: Path) -> DigestOutcome:
    return digest(config_file, send=True, if_due=True)
