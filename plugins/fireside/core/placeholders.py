"""The placeholder text ``fireside new`` writes, and the check that none of it goes live.

``fireside new`` writes a draft whose summary, body and ``categories: []`` are to be replaced.
Once ``draft`` is off, any of them still there is a warning (an error under ``--strict``) in
``fireside check`` and the build, naming the file and the line.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from fireside.core.errors import Problem
from fireside.core.i18n import LANGUAGES, load_catalog

#: The summary ``fireside new`` writes.
DESCRIPTION = "One sentence that makes colleagues want to read on."
#: The body paragraphs ``fireside new`` writes (the headings may stay).
BODY = (
    "Open with the one thing you want everyone to take away.",
    "Say what happens, when, and who it affects.",
    "Close with a question or an invitation to join the discussion.",
)
#: The headings ``fireside new`` writes.
HEADINGS = ("What is changing", "What I am asking of you")


@functools.cache
def _every_language(texts: tuple[str, ...]) -> frozenset[str]:
    """The texts in English and in every shipped language (a post may be scaffolded in any).

    Read on first use, not at import: most commands never check a post.
    """
    found = set(texts)
    for language in LANGUAGES:
        catalog = load_catalog(language) or {}
        found.update(t for text in texts if isinstance(t := catalog.get(text, text), str))
    return frozenset(found)


def placeholder_problems(meta: Mapping[Any, Any], body: str, *, path: str,
                         lines: Mapping[str, int], body_line: int) -> list[Problem]:
    """Warnings for placeholders left in a post that is no longer a draft.

    Arguments:
        meta: The parsed front matter.
        body: The Markdown body.
        path: The file, for messages.
        lines: 1-based line of each front-matter key.
        body_line: The file line on which the body starts.
    """
    if meta.get("draft") is True:
        return []
    found: list[Problem] = []
    description = meta.get("description")
    if isinstance(description, str) and description.strip() in _every_language((DESCRIPTION,)):
        found.append(Problem(path, "description", "still has the placeholder written by "
                             "'fireside new'; write one sentence about this post, or remove "
                             "the line", lines.get("description"), "warning"))
    if "categories" in meta and meta["categories"] == []:
        found.append(Problem(path, "categories", "is an empty list, as 'fireside new' left it; "
                             "add a category, e.g. categories: [Strategy], or remove the line",
                             lines.get("categories"), "warning"))
    for number, text in _placeholder_lines(body.splitlines(), body_line):
        found.append(Problem(path, None, f"the body still has the placeholder {text!r} written "
                             "by 'fireside new'; replace it with your text", number, "warning"))
    return found


_LIST_MARK = re.compile(r"^\s*(?:[-*]|\d+\.)?\s*")


def _placeholder_lines(body: Sequence[str], first: int) -> Iterable[tuple[int, str]]:
    texts = _every_language(BODY)
    for offset, line in enumerate(body):
        text = line.strip()
        if text and (text[0] in "-*" or text[0].isdigit()):  # only then a list marker
            text = _LIST_MARK.sub("", text).strip()
        if text in texts:
            yield first + offset, text
