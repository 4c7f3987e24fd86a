"""``fireside login``: read the configuration through the adapter, then sign in."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TextIO

from fireside.adapter.settings import load_settings
from fireside_sync import login

__all__ = ["main"]


def main(argv: Sequence[str] | None = None, *, env: Mapping[str, str] | None = None,
         stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    """Run ``fireside login`` with ``argv`` (the arguments after ``login``); return the code."""
    return login.main(argv, load=load_settings, env=env, stdout=stdout, stderr=stderr)
