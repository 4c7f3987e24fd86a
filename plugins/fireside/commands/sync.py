"""``fireside sync``: read the configuration through the adapter, then run the sync."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping, Sequence
from typing import TextIO

from fireside.adapter.settings import load_settings
from fireside_sync.cli import build_parser
from fireside_sync.cli import run_args as run_sync

__all__ = ["build_parser", "main", "run_args"]


def main(argv: Sequence[str] | None = None, *, env: Mapping[str, str] | None = None,
         stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    """Run ``fireside sync`` with ``argv`` (the arguments after ``sync``); return the exit code."""
    args = build_parser().parse_args(list(sys.argv[1:] if argv is None else argv))
    return run_args(args, env=env, stdout=stdout, stderr=stderr)


def run_args(args: argparse.Namespace, *, env: Mapping[str, str] | None = None,
             stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    """Run ``fireside sync`` with parsed arguments; return the exit code."""
    return run_sync(args, load=load_settings, env=env, stdout=stdout, stderr=stderr)
