"""Excerpts and reading time, computed from a post's rendered HTML (pure functions)."""

from __future__ import annotations

import math
import re

#: The marker an author puts after the excerpt (same as mkdocs-material's blog).
MORE_MARKER = "<!-- more -->"

_TAGS = re.compile(r"<[^>]+>")
_PRE = re.compile(r"<pre\b.*?</pre>", re.DOTALL)
_FIRST_PARAGRAPH = re.compile(r"<p\b[^>]*>.*?</p>", re.DOTALL)
_WORD = re.compile(r"\w+")
_HEADING_IDS = re.compile(r'(<h[1-6][^>]*?)\s+id="[^"]*"')
_HEADERLINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.DOTALL)
_H1 = re.compile(r"<h1\b[^>]*>.*?</h1>\s*", re.DOTALL)


def excerpt(html: str) -> tuple[str, bool]:
    """Return the excerpt of a rendered post and whether the post continues past it.

    The excerpt runs up to ``<!-- more -->``; without the marker it is the first paragraph,
    never the whole post. The top heading and anchor links are dropped so the excerpt can sit
    in a listing card.
    """
    head, marker, _ = html.partition(MORE_MARKER)
    if marker:
        text, more = head, True
    else:
        match = _FIRST_PARAGRAPH.search(html)
        text = match.group(0) if match else ""
        more = len(text) < len(html.strip())
    text = _H1.sub("", text, count=1)
    text = _HEADERLINK.sub("", text)
    text = _HEADING_IDS.sub(r"\1", text)
    return text.strip(), more


def readtime(html: str, words_per_minute: int = 265) -> int:
    """Return the reading time in whole minutes (at least 1); code blocks count half."""
    code = " ".join(_PRE.findall(html))
    prose = _PRE.sub(" ", html)
    words = len(_WORD.findall(_TAGS.sub(" ", prose))) + len(_WORD.findall(_TAGS.sub(" ", code))) / 2
    return max(1, math.ceil(words / words_per_minute))
