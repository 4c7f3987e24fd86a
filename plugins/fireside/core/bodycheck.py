"""Markdown bodies that would crash the Markdown converter, found before the build.

Python-Markdown and its ``toc`` extension recurse once per level of nesting, so a post of a
few kilobytes (``- - - - …`` a thousand times, or twenty thousand ``*`` around a word) ends in
a ``RecursionError`` deep inside MkDocs. Nothing real nests that deep, so ``fireside check``
and the build refuse such a body with the line, as they do any other content error.
"""

from __future__ import annotations

import re

__all__ = ["MAX_BODY_NESTING", "body_problem"]

#: Deepest nesting of quotes and lists, and longest run of emphasis or bracket characters.
MAX_BODY_NESTING = 100

_CONTAINERS = re.compile(r"(?:>[ \t]*|[*+\-][ \t]+|\d{1,9}[.)][ \t]+)")
_RUN = re.compile(r"([*_~^])\1{" + str(MAX_BODY_NESTING) + ",}")


def body_problem(body: str) -> tuple[int, str] | None:
    """``(1-based line in body, message)`` for the first line nested too deeply, or ``None``."""
    if len(body) < MAX_BODY_NESTING:
        return None
    # Searched line by line only if the body has such a run at all (the usual post has none).
    runs = any(char * (MAX_BODY_NESTING + 1) in body for char in "*_~^")
    for number, line in enumerate(body.splitlines(), start=1):
        if len(line) < MAX_BODY_NESTING:
            continue
        stripped = line.lstrip(" \t")
        indent = len(line) - len(stripped)
        depth = indent // 4
        position = 0
        while depth <= MAX_BODY_NESTING and (match := _CONTAINERS.match(stripped, position)):
            depth += 1
            position = match.end()
        if depth > MAX_BODY_NESTING:
            return number, (f"the body nests quotes or lists more than {MAX_BODY_NESTING} "
                            "levels deep; expected a shallower structure")
        if runs and (run := _RUN.search(line)):
            return number, (f"the body has a run of {len(run.group())} '{run.group(1)}' "
                            f"characters; expected at most {MAX_BODY_NESTING} (escape them "
                            "with a backslash, or use a code block)")
    return None
