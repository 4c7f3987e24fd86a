"""``fireside insights`` (the engagement report) and ``fireside inbox`` (the leaders' inbox).

Both are read-only towards the platforms: they read the content and the snapshots that
``fireside sync`` wrote, and write static files to ``insights/`` beside ``mkdocs.yml``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from fireside.adapter.settings import fireside_options, load_mkdocs_config, settings_from_config
from fireside.core.errors import CommandError, FiresideError
from fireside.core.settings import DiscussionSettings
from fireside.core.site import NOW_ENV, Site, site_from_settings
from fireside.discussions.moderation import load_hidden
from fireside.insights.inbox import inbox_files
from fireside.insights.metrics import build_report
from fireside.insights.options import InsightsOptions, insights_options
from fireside.insights.report import render_report
from fireside.insights.sources import Inputs, collect

EXIT_OK, EXIT_ERRORS = 0, 1

__all__ = ["Loaded", "load_inputs", "main", "write_files"]

DEFAULT_OUTPUT = "insights"


@dataclass(frozen=True)
class Loaded:
    """What the commands read from ``mkdocs.yml``: the site, the discussions options, the
    insights options, and where things are."""

    site: Site
    discussions: DiscussionSettings
    options: InsightsOptions
    project_dir: Path
    docs_dir: Path
    site_dir: Path
    site_name: str
    site_url: str | None
    fixed_now: dt.datetime | None
    """The ``now`` option or ``$FIRESIDE_NOW`` when set (else the report is "as of" the
    newest snapshot)."""


def load_inputs(config_file: Path) -> Loaded:
    """Read (site, settings, snapshot location) for ``insights`` and ``inbox``.

    The one place that loads configuration for these commands, so it can be rewired when the
    settings loader changes.

    Raises:
        CommandError: The configuration or the content is invalid (the message says where).
    """
    config = load_mkdocs_config(config_file)
    plugin_options = fireside_options(config)
    settings = settings_from_config(plugin_options, config)
    project = settings.project_dir
    site_options = settings.site
    options = insights_options(dict(plugin_options.insights))
    site = site_from_settings(settings)
    errors = [p for p in site.problems if p.severity == "error"]
    if errors:
        raise CommandError("the content has errors; fix them first ('fireside check' lists "
                           "them):\n  " + "\n  ".join(str(p) for p in errors[:10]))
    explicit = plugin_options.now or os.environ.get(NOW_ENV)
    return Loaded(site, settings.discussions, options, project, Path(config.docs_dir),
                  Path(config.site_dir),
                  config.site_name, config.site_url or None,
                  site_options.now if explicit else None)


def gather(loaded: Loaded) -> Inputs:
    """Read the snapshots (moderation applied) into the computation's inputs.

    Raises:
        CommandError: The moderation file or the sync state is invalid.
    """
    try:
        hidden = load_hidden(loaded.discussions.moderation)
        return collect(loaded.site, loaded.discussions, loaded.options, hidden=hidden,
                       site_name=loaded.site_name, now=loaded.fixed_now)
    except FiresideError as exc:  # the moderation file or the sync state
        raise CommandError(str(exc)) from None


def write_files(out: Path, files: Mapping[str, bytes]) -> None:
    """Write ``files`` under ``out`` (only files whose bytes changed are rewritten).

    Raises:
        CommandError: A file cannot be written.
    """
    try:
        for rel, data in sorted(files.items()):
            path = out / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if path.is_file() and path.read_bytes() == data:
                continue
            path.write_bytes(data)
    except OSError as exc:
        raise CommandError(f"cannot write the report to {out}: {exc.strerror or exc}") from None


def _output(loaded: Loaded, output: Path | None) -> Path:
    out = output if output is not None else loaded.project_dir / DEFAULT_OUTPUT
    out = out.resolve()
    for inside, what in ((loaded.site_dir.resolve(), "the built site"),
                         (loaded.docs_dir.resolve(), "the content folder")):
        if out == inside or inside in out.parents:
            raise CommandError(f"{out} is inside {what} ({inside}); choose a folder outside "
                               "it with -o, or set 'insights: {publish: true}' to build the "
                               "report into the site")
    return out


def _parser(prog: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=prog)
    parser.add_argument("-f", "--config-file", type=Path, default=Path("mkdocs.yml"))
    parser.add_argument("-o", "--output", type=Path, default=None, metavar="DIR",
                        help=f"output folder (default: {DEFAULT_OUTPUT}/ beside mkdocs.yml)")
    return parser


def insights_main(argv: Sequence[str]) -> int:
    """``fireside insights [-f mkdocs.yml] [-o DIR]``."""
    parser = _parser("fireside insights")
    parser.description = ("Write the engagement report (aggregates only; figures from fewer "
                          "than insights.min_group people are suppressed).")
    args = parser.parse_args(list(argv))
    try:
        loaded = load_inputs(args.config_file)
        out = _output(loaded, args.output)
        inputs = gather(loaded)
        report = build_report(inputs)
        files = render_report(report, site_name=loaded.site_name, post_base=loaded.site_url)
        write_files(out, files)
    except FiresideError as exc:
        print(f"fireside insights: {exc}", file=sys.stderr)
        return EXIT_ERRORS
    source = report["generated_from"]
    stale = f", {source['stale_threads']} stale" if source["stale_threads"] else ""
    print(f"Wrote the engagement report to {out} ({len(report['posts'])} posts, "
          f"{len(report['leaders'])} leaders, {source['threads']} discussions{stale}; as of "
          f"{source['as_of']})")
    return EXIT_OK


def inbox_main(argv: Sequence[str]) -> int:
    """``fireside inbox [LEADER] [-f mkdocs.yml] [-o DIR]``."""
    parser = _parser("fireside inbox")
    parser.description = "Write each leader's inbox page (inbox/<key>/index.html)."
    parser.add_argument("leader", nargs="?", help="author key from .authors.yml (default: all)")
    args = parser.parse_args(list(argv))
    try:
        loaded = load_inputs(args.config_file)
        out = _output(loaded, args.output)
        authors = loaded.site.authors
        if args.leader is not None and args.leader not in authors:
            known = ", ".join(sorted(authors)) or "none: add leaders to .authors.yml"
            raise CommandError(f"unknown leader {args.leader!r}; expected an author key of "
                               f".authors.yml: {known}")
        keys = [args.leader] if args.leader else sorted(authors)
        inputs = gather(loaded)
        write_files(out, inbox_files(keys, inputs, site_name=loaded.site_name,
                                     post_base=loaded.site_url))
    except FiresideError as exc:
        print(f"fireside inbox: {exc}", file=sys.stderr)
        return EXIT_ERRORS
    print(f"Wrote {len(keys)} inbox page(s) to {out / 'inbox'}")
    return EXIT_OK


def main(argv: Sequence[str]) -> int:
    """Dispatch ``insights`` or ``inbox`` (``argv[0]``)."""
    command, rest = argv[0], argv[1:]
    return insights_main(rest) if command == "insights" else inbox_main(rest)
