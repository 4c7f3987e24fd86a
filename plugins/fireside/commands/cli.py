"""The ``fireside`` command tree: ``new``, ``check``, ``sync``, ``login``, ``edit``, ``publish``,
``insights``, ``inbox``, ``digest`` and ``cache``.

It reads ``mkdocs.yml`` through the adapter (MkDocs' own loader) and hands each subcommand
its parsed arguments; each prints a ``FiresideError`` as one message, without a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path

from fireside.adapter.settings import load_settings
from fireside.commands import digest as digest_command
from fireside.commands import edit as edit_command
from fireside.commands import insights as insights_command
from fireside.commands import login as login_command
from fireside.commands import publish as publish_command
from fireside.commands import sync as sync_command
from fireside.core import placeholders
from fireside.core.errors import CommandError, FiresideError, Problem
from fireside.core.i18n import Translator
from fireside.core.render_cache import CACHE_DIR, clear_cache
from fireside.core.site import Site, site_from_settings

EXIT_OK, EXIT_ERRORS = 0, 1


def check(config_file: Path) -> tuple[Site, list[Problem]]:
    """Validate all content exactly as the build does; return the site and its problems."""
    site = site_from_settings(load_settings(config_file))
    return site, site.problems


def new_post(config_file: Path, title: str, authors: Sequence[str],
             categories: Sequence[str], *, today: dt.datetime | None = None) -> Path:
    """Write a correctly formed post; return its path.

    Raises:
        CommandError: On an unknown author or category, or when the file exists.
    """
    settings = load_settings(config_file)
    options, docs_dir, project = settings.site, settings.docs_dir, settings.project_dir
    site = site_from_settings(settings)
    unknown = [a for a in authors if a not in site.authors]
    if unknown:
        known = ", ".join(sorted(site.authors)) or "none yet: add them to .authors.yml"
        raise CommandError(f"unknown author {unknown[0]!r}; expected one of {known}")
    allowed = options.categories_allowed
    for category in categories:
        if allowed is not None and category not in allowed:
            raise CommandError(f"{category!r} is not an allowed category; expected one of "
                               + ", ".join(sorted(allowed)))
    when = (today or options.now).astimezone(options.timezone)
    slug = options.post_slug(title)
    path = docs_dir / options.posts_dir / f"{when:%Y}" / f"{when:%Y-%m-%d}-{slug}.md"
    if path.exists():
        raise CommandError(f"{_rel(path, project)} already exists; choose another title")
    path.parent.mkdir(parents=True, exist_ok=True)
    t = Translator(options.language).t  # the placeholders in the site's language
    quoted = title.replace("\\", "\\\\").replace('"', '\\"')
    lines = [
        "---",
        f'title: "{quoted}"',
        f"date: {when:%Y-%m-%d %H:%M}",
        f"authors: [{', '.join(authors)}]",
        f"categories: [{', '.join(categories)}]" if categories else "categories: []",
        "tags: []",
        f"description: {t(placeholders.DESCRIPTION)}",
        "draft: true",
        'discussion: ""',  # the editor keeps this line; a comment would be dropped on save
        "---",
        "",
        t(placeholders.BODY[0]),
        "",
        "<!-- more -->",
        "",
        f"## {t(placeholders.HEADINGS[0])}",
        "",
        t(placeholders.BODY[1]),
        "",
        f"## {t(placeholders.HEADINGS[1])}",
        "",
        t(placeholders.BODY[2]),
        "",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def cache_clear(config_file: Path) -> str:
    """Empty the build cache beside ``config_file`` (converted pages, rendered pages, thread
    summaries); return what was done, for the user.

    Raises:
        CommandError: When ``config_file`` does not exist.
    """
    if not config_file.is_file():
        raise CommandError(f"{config_file}: not found; run this in the folder holding "
                           "mkdocs.yml or pass -f PATH")
    project = config_file.resolve().parent
    shown = _rel(project / CACHE_DIR, Path.cwd().resolve())
    if clear_cache(project):
        return (f"Cleared the build cache ({shown}); the next build converts and renders "
                "every page")
    return f"No build cache to clear ({shown} does not exist)"


def _rel(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="fireside", description="Fireside leadership blog.")
    sub = parser.add_subparsers(dest="command", required=True)
    new = sub.add_parser("new", help="scaffold a post (as a draft)")
    new.add_argument("title")
    new.add_argument("--author", action="append", required=True, metavar="KEY",
                     help="author key from .authors.yml (repeat for co-authors)")
    new.add_argument("--category", action="append", default=[], metavar="C")
    new.add_argument("-f", "--config-file", type=Path, default=Path("mkdocs.yml"))
    chk = sub.add_parser("check", help="validate all content without building")
    chk.add_argument("-f", "--config-file", type=Path, default=Path("mkdocs.yml"))
    chk.add_argument("--strict", action="store_true", help="fail on warnings too")
    for name, module, text in (
            ("sync", sync_command, "fetch discussions into snapshots"),
            ("edit", edit_command, "serve the site with the web editor"),
            ("publish", publish_command, "sync, build strictly, check, report")):
        child = module.build_parser(add_help=False)
        sub.add_parser(name, parents=[child], help=text, description=child.description)
    sub.add_parser("login", help="sign the sync in to Microsoft Entra ID (see 'fireside login "
                   "-h')", add_help=False)
    sub.add_parser("insights", help="write the engagement report (see 'fireside insights -h')",
                   add_help=False)
    sub.add_parser("inbox", help="write the leaders' inbox pages (see 'fireside inbox -h')",
                   add_help=False)
    sub.add_parser("digest", help="the email digest and Teams post (see 'fireside digest -h')",
                   add_help=False)
    cache = sub.add_parser("cache", help="manage the build cache (.cache/fireside/)")
    cache.add_argument("action", choices=["clear"], help="clear: delete every cached page")
    cache.add_argument("-f", "--config-file", type=Path, default=Path("mkdocs.yml"))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list[:1] == ["login"]:  # own parsers: their arguments follow the subcommand
        return login_command.main(args_list[1:])
    if args_list[:1] in (["insights"], ["inbox"]):
        return insights_command.main(args_list)
    if args_list[:1] == ["digest"]:
        return digest_command.main(args_list[1:])
    args = _parser().parse_args(args_list)
    if args.command == "sync":
        return sync_command.run_args(args)
    if args.command == "edit":
        return edit_command.run_args(args)
    if args.command == "publish":
        return publish_command.run_args(args)
    try:
        if args.command == "new":
            path = new_post(args.config_file, args.title, args.author, args.category)
            print(f"Created {_rel(path, Path.cwd().resolve())} (a draft: set 'draft: false' "
                  "to publish)")
            return EXIT_OK
        if args.command == "cache":
            print(cache_clear(args.config_file))
            return EXIT_OK
        site, problems = check(args.config_file)
    except FiresideError as exc:
        print(f"fireside: {exc}", file=sys.stderr)
        return EXIT_ERRORS
    for problem in problems:
        print(f"{problem.severity}: {problem}", file=sys.stderr)
    errors = [p for p in problems if p.severity == "error"]
    warnings = len(problems) - len(errors)
    failed = bool(errors) or (args.strict and warnings > 0)
    print(f"{'FAILED' if failed else 'OK'}: {len(site.content.posts)} posts, "
          f"{len(site.content.sessions)} Q&A sessions, {len(site.authors)} authors; "
          f"{len(errors)} errors, {warnings} warnings")
    return EXIT_ERRORS if failed else EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
