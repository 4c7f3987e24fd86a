"""The digest's HTML part: an email-safe table layout, 600 px wide, CSS inlined by css-inline.

Built with Jinja (autoescaped) from the ``Digest``, whose posts are the feeds' ``FeedItem``s.
Email clients differ: Outlook for Windows renders with Word (tables, ``bgcolor`` and ``width``
attributes, no ``border-radius``), Gmail drops most of ``<style>``, and dark mode is either
``prefers-color-scheme`` (Apple Mail, Outlook for Mac and iOS) or the client's own inversion
(Gmail, Outlook for Windows). So every rule is inlined, the few rules that cannot be (media
queries) stay in one ``<style>``, and the light palette keeps its contrast when inverted.

No remote images and no tracking: the only pictures are the authors' initials, drawn as
text; links go straight to ``site_url``.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import css_inline
import jinja2

from fireside.digest.selection import Digest

__all__ = ["render_html"]

TEMPLATES = Path(__file__).parent / "templates"


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                              trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


@cache
def _inliner() -> css_inline.CSSInliner:
    # Never fetch a stylesheet: the template links none, and the build stays offline.
    return css_inline.CSSInliner(load_remote_stylesheets=False)


def render_html(digest: Digest, *, unsubscribe: str | None, language: str = "en") -> str:
    """Return the digest as a complete HTML document with inlined CSS."""
    css = (TEMPLATES / "email.css").read_text(encoding="utf-8")
    kept = (TEMPLATES / "email-clients.css").read_text(encoding="utf-8")
    paragraphs = [p.strip() for p in digest.intro.split("\n\n") if p.strip()]
    summary = digest.summary()
    # The preview line inboxes show after the subject.
    preheader = f"{summary[:1].upper()}{summary[1:]}. {digest.intro}".strip()
    document = _environment().get_template("email.html").render(
        digest=digest, css=css, unsubscribe=unsubscribe, language=language,
        intro_paragraphs=paragraphs, preheader=preheader)
    inlined: str = _inliner().inline(document)
    return inlined.replace("</head>", f"<style>\n{kept}</style>\n</head>", 1)
