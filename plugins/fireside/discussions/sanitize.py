"""Make reply bodies from the platforms safe to embed: clean HTML, escape text.

Bodies are hostile input. HTML bodies go through one reused ``nh3.Cleaner`` with a small
allow-list; plain-text bodies are escaped (never "cleaned": that would turn ``x<y and y>z`` into
``xz``). Mentions read as names, and e-mail addresses are never published.
"""

from __future__ import annotations

import html
import re
import zlib
from collections.abc import Mapping

import nh3

from fireside.discussions.bodylimits import clean_text, limit_body

__all__ = ["ALLOWED_TAGS", "LINK_REL", "initials", "initials_hue", "redact_emails",
           "render_body"]

ALLOWED_TAGS = frozenset({"p", "br", "em", "strong", "b", "i", "ul", "ol", "li", "blockquote",
                          "code", "pre", "a"})
LINK_REL = "nofollow noopener noreferrer"
#: Elements removed together with their content (never useful as text in a reply).
_DROP_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "noscript", "template",
                      "svg", "math", "textarea", "title", "xmp", "noembed", "noframes",
                      "select", "applet", "frameset", "head"}
_SCHEMES = ("http:", "https:", "mailto:")
_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
_HIDDEN_EMAIL = "[email hidden]"
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")
#: Characters XML 1.0 forbids: harmless in a page, fatal in a feed.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _filter_attribute(element: str, attribute: str, value: str) -> str | None:
    if element == "a" and attribute == "href":
        plain = _CONTROL.sub("", value).lower()
        if not plain.startswith(_SCHEMES) or _EMAIL.search(value):
            return None  # relative, odd scheme, or a mailto that would publish an address
    return value


_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags=_DROP_WITH_CONTENT,
    attributes={"a": {"href", "title"}},
    url_schemes={"http", "https", "mailto"},
    url_relative="deny",
    link_rel=LINK_REL,
    strip_comments=True,
    attribute_filter=_filter_attribute,
)


def redact_emails(text: str) -> str:
    """Replace every e-mail address in ``text``."""
    return _EMAIL.sub(_HIDDEN_EMAIL, text) if "@" in text else text


def _mention_names(body: str, mention: re.Pattern[str], names: Mapping[str, str],
                   *, escape: bool) -> str:
    def name(match: re.Match[str]) -> str:
        found = names.get(match.group(1))
        if found is None:
            return "@a colleague"
        return "@" + (html.escape(found) if escape else found)

    return mention.sub(name, body)


def render_body(body: str, body_format: str, names: Mapping[str, str] | None = None,
                mention: re.Pattern[str] | None = None) -> str:
    """Return safe HTML for a reply body.

    Arguments:
        body: The body as received from the platform.
        body_format: ``html`` (cleaned against the allow-list) or ``text`` (escaped; blank
            lines become paragraphs, newlines line breaks).
        names: Platform user id → display name, for mentions.
        mention: The platform's mention token (the registry's ``Platform.mention``).
    """
    # Snapshots written by sync are already cut; this guards hand-written or older ones.
    body, _ = limit_body(clean_text(body), body_format)
    body = _NOT_XML.sub("", body)
    if mention is not None:
        # Only the names mentioned are escaped (a thread has dozens, a body one or two).
        body = _mention_names(body, mention, names or {}, escape=body_format == "html")
    if body_format == "html":
        return redact_emails(_CLEANER.clean(body)).strip()
    paragraphs = [p.strip("\n") for p in re.split(r"\n\s*\n", body.replace("\r\n", "\n"))]
    return "".join(
        "<p>" + redact_emails(html.escape(p, quote=False)).replace("\n", "<br>") + "</p>"
        for p in paragraphs if p.strip()
    )


def initials(name: str) -> str:
    """One or two initials for a locally drawn avatar (``Dana Whitfield`` → ``DW``)."""
    words = [w for w in re.split(r"[\s\-_.]+", name) if w and w[0].isalnum()]
    if not words:
        return "?"
    letters = words[0][0] + (words[-1][0] if len(words) > 1 else "")
    return letters.upper()


def initials_hue(key: str) -> int:
    """A stable colour slot (0-7) for an author's initials."""
    return zlib.crc32(key.encode("utf-8")) % 8
