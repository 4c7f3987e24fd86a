"""``fireside digest``: build the digest of what is new, then preview, write or send it.

``load_inputs`` is the one place that reads ``mkdocs.yml`` for the digest, so a new settings
loader needs rewiring here only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from fireside.commands.cli import CommandError
from fireside.core.schema import parse_date
from fireside.core.settings import SettingsError, settings_from_options
from fireside.core.site import load_site
from fireside.digest.run import DigestInputs, DigestOutcome, run_digest
from fireside.digest.settings import digest_settings
from fireside.discussions.moderation import ModerationError, load_hidden

EXIT_FAILED = 1


class _Errors(logging.Handler):
    """Keeps the errors MkDocs logs while it loads a configuration (it then raises Abort)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def load_inputs(config_file: Path) -> DigestInputs:
    """Read ``mkdocs.yml`` (MkDocs' own loader), the content and the moderation file.

    The one place the digest reads its configuration: rewire it here when settings loading
    changes.

    Raises:
        CommandError: The configuration or the content is invalid (the message says where).
    """
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError, PluginError

    from fireside.adapter.plugin import FiresidePlugin, options_from_config

    if not config_file.is_file():
        raise CommandError(f"{config_file}: not found; run this in the folder holding "
                           "mkdocs.yml or pass -f PATH")
    mkdocs_log = logging.getLogger("mkdocs")
    level, errors = mkdocs_log.level, _Errors()
    mkdocs_log.setLevel(logging.ERROR)  # MkDocs' own chatter; our messages come after
    mkdocs_log.addHandler(errors)
    try:
        config = load_config(str(config_file))
        plugin = config.plugins.get("fireside")
        if not isinstance(plugin, FiresidePlugin):
            raise CommandError(f"{config_file}: the 'fireside' plugin is not in 'plugins:'")
        options = options_from_config(plugin.config, config)
    except (ConfigurationError, PluginError) as exc:
        raise CommandError(f"{config_file}: {exc}") from None
    except Abort:  # MkDocs logged why ("Config value 'plugins': …") and gave up
        raise CommandError(f"{config_file}: " + "; ".join(errors.messages)) from None
    finally:
        mkdocs_log.setLevel(level)
        mkdocs_log.removeHandler(errors)
    project = config_file.resolve().parent
    docs_dir = Path(config.docs_dir)
    raw = dict(plugin.config)
    try:
        settings = settings_from_options(raw, config_dir=project, docs_dir=docs_dir)
        digest = digest_settings(raw.get("digest"), config_dir=project)
        hidden = load_hidden(settings.discussions.moderation) \
            if settings.discussions.enabled else frozenset()
    except (SettingsError, ModerationError) as exc:
        raise CommandError(f"{config_file}: {exc}") from None
    site = load_site(docs_dir, options, display_root=project)
    errors_found = [p for p in site.problems if p.severity == "error"]
    if errors_found:
        raise CommandError("the content has errors; run 'fireside check':\n"
                           + "\n".join(f"  {p}" for p in errors_found))
    language = config.theme.get("language") or "en"
    return DigestInputs(site=site, docs_dir=docs_dir, discussions=settings.discussions,
                        settings=digest, site_url=str(config.site_url or ""), hidden=hidden,
                        language=str(language))


def digest(config_file: Path, *, send: bool = False, dry_run: Path | None = None,
           since: str | None = None, if_due: bool = False) -> DigestOutcome:
    """Load ``config_file`` and run the digest (the publish pipeline calls this too).

    Raises:
        CommandError: The configuration, the content or ``since`` is invalid.
    """
    inputs = load_inputs(config_file)
    start: dt.datetime | None = None
    if since:
        start = parse_date(since, inputs.site.options.timezone)
        if start is None:
            raise CommandError(f"--since {since!r}: expected a date like 2026-11-23 or "
                               "2026-11-23 09:00")
    return run_digest(inputs, send=send, dry_run=dry_run, since=start, if_due=if_due)


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``fireside digest``; return the exit code."""
    parser = argparse.ArgumentParser(
        prog="fireside digest",
        description="Build the digest of what is new since the last one (new posts, the most "
                    "discussed, newly answered Q&A questions, open Q&A sessions). Without "
                    "--send it only shows what would be sent.")
    parser.add_argument("-f", "--config-file", type=Path, default=Path("mkdocs.yml"))
    parser.add_argument("--since", metavar="DATE",
                        help="start of the period (default: when the last digest was sent)")
    parser.add_argument("--dry-run", type=Path, metavar="DIR",
                        help="write the .eml, an HTML preview, the text and the Teams card "
                             "JSON into DIR instead of sending")
    parser.add_argument("--send", action="store_true",
                        help="send the email and post the Teams card, then record them")
    parser.add_argument("--if-due", action="store_true",
                        help="only when no digest went out yet this week (or day)")
    args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    if args.send and args.dry_run:
        parser.error("--send and --dry-run exclude each other")
    try:
        outcome = digest(args.config_file, send=args.send, dry_run=args.dry_run,
                         since=args.since, if_due=args.if_due)
    except CommandError as exc:
        print(f"fireside digest: {exc}", file=sys.stderr)
        return EXIT_FAILED
    stream = sys.stderr if outcome.status == "failed" else sys.stdout
    print("\n".join(outcome.lines()), file=stream)
    for warning in outcome.warnings():
        if outcome.status != "failed":
            print(f"warning: {warning}", file=sys.stderr)
    if outcome.status == "preview":
        print("(a preview: nothing was sent; add --send to send it)")
    if outcome.status == "not_configured":
        return EXIT_FAILED
    return outcome.exit_code
