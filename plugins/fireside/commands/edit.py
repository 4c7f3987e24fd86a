"""``fireside edit``: read the configuration, then serve the site with the web editor."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from fireside.adapter.settings import fireside_options, load_mkdocs_config, settings_from_config
from fireside.core.errors import FiresideError
from fireside.editor.server import EXIT_ERROR, admin_path, run


def build_parser(*, add_help: bool = True) -> argparse.ArgumentParser:
    """The ``fireside edit`` argument parser."""
    parser = argparse.ArgumentParser(
        prog="fireside edit", add_help=add_help,
        description="Serve the site with the web editor at /admin/, saving to this folder.")
    parser.add_argument("-f", "--config-file", type=Path, default=Path("mkdocs.yml"))
    parser.add_argument("--port", type=int, default=8000, help="the site's port (8000)")
    parser.add_argument("--proxy-port", type=int, default=8081,
                        help="the port of decap-server, the local backend (8081)")
    parser.add_argument("--no-install", action="store_true",
                        help="never run 'npm ci', fail if Decap is not installed")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``fireside edit``; return the exit code."""
    return run_args(build_parser().parse_args(list(sys.argv[1:] if argv is None else argv)))


def run_args(args: argparse.Namespace) -> int:
    """Run ``fireside edit`` with parsed arguments; return the exit code."""
    try:
        config = load_mkdocs_config(args.config_file)  # the messages of `fireside check`
        options = fireside_options(config)
        settings_from_config(options, config)  # fail now, not after starting two servers
        return run(Path(args.config_file), admin=admin_path(config.site_url, options.editor.path),
                   npm_dir=Path(options.editor.npm_dir), port=args.port,
                   proxy_port=args.proxy_port, install=not args.no_install)
    except FiresideError as exc:
        print(f"fireside edit: {exc}", file=sys.stderr)
        return EXIT_ERROR
