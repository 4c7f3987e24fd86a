"""Bound what one platform string can cost: clean text, capped size, capped nesting.

Platforms limit their messages (Viva Engage and Teams to a few tens of thousands of
characters), so a body past ``MAX_BODY_CHARS`` or nested past ``MAX_DEPTH`` is not a real
reply. It is cut, and marked, before anything expensive sees it: nh3's time grows faster than
linearly with nesting (80,000 nested ``<div>`` took minutes). ``fireside sync`` applies this
where a snapshot is written; ``sanitize.render_body`` applies it again, cheaply, to snapshots
written by hand or by an older version.
"""

from __future__ import annotations

import re

__all__ = ["MAX_BODY_CHARS", "MAX_DEPTH", "MAX_NAME_CHARS", "TRUNCATED_HTML", "TRUNCATED_TEXT",
           "clean_text", "limit_body"]

#: Longest body kept, in characters (above every supported platform's own message limit).
MAX_BODY_CHARS = 40_000
#: Deepest element nesting kept in an HTML body.
MAX_DEPTH = 40
#: Longest author name or other one-line field kept.
MAX_NAME_CHARS = 200

TRUNCATED_HTML = ('<p class="fs-truncated"><em>[This reply is too long or too deeply nested '
                  "to show in full here; the platform has all of it.]</em></p>")
TRUNCATED_TEXT = ("\n\n[This reply is too long to show in full here; the platform has all "
                  "of it.]")

_SURROGATES = re.compile("[\ud800-\udfff]")
#: C0 controls but tab, newline and carriage return; DEL; the two XML non-characters.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)[^>]*?(/?)>")
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                   "param", "source", "track", "wbr"})


def clean_text(value: str) -> str:
    """``value`` with unpaired surrogates replaced and control characters removed.

    A lone surrogate (half an emoji, ``\\ud83d``) cannot be encoded as UTF-8, so it would
    crash the snapshot write; it becomes U+FFFD. Paired surrogates that reached a ``str`` as
    two code points (a JSON ``\\ud83d\\ude00`` decodes to one character, so this is rare)
    are recombined first.
    """
    if _SURROGATES.search(value):
        value = value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return _CONTROLS.sub("", value) if _CONTROLS.search(value) else value


def limit_body(body: str, body_format: str) -> tuple[str, bool]:
    """``body`` cut to the size and (for HTML) nesting limits; whether it was cut.

    Idempotent: a body cut once (marker included) passes unchanged.
    """
    marker = TRUNCATED_HTML if body_format == "html" else TRUNCATED_TEXT
    if body.endswith(marker):  # cut before: unchanged if what precedes the mark is in bounds
        head = body[: -len(marker)]
        if len(head) <= MAX_BODY_CHARS and (body_format != "html" or
                                            _too_deep_at(head) is None):
            return body, False
    cut = len(body) > MAX_BODY_CHARS
    if cut:
        body = body[:MAX_BODY_CHARS]
    if body_format == "html":
        deep = _too_deep_at(body)
        if deep is not None:
            body, cut = body[:deep], True
    return (body + marker, True) if cut else (body, False)


def _too_deep_at(html: str) -> int | None:
    """The offset of the first tag that opens past ``MAX_DEPTH``, or ``None``."""
    if html.count("<") <= MAX_DEPTH:
        return None
    depth = 0
    for match in _TAG.finditer(html):
        closing, name, self_closing = match.groups()
        if closing:
            depth = max(0, depth - 1)
        elif not self_closing and name.lower() not in _VOID:
            depth += 1
            if depth > MAX_DEPTH:
                return match.start()
    return None
