"""Small pieces for adapters that build HTML from a platform's own markup (Slack, Chatter).

The build cleans every stored HTML body again with nh3; building it safely here too means a
hostile link never reaches a snapshot as a link in the first place.
"""

from __future__ import annotations

import html
import re
import urllib.parse

__all__ = ["SAFE_SCHEMES", "link", "safe_url", "text"]

SAFE_SCHEMES = ("http", "https", "mailto")
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")


def text(value: str) -> str:
    """Plain text as HTML."""
    return html.escape(value, quote=False)


def safe_url(url: str) -> str | None:
    """``url`` when its scheme is http, https or mailto (ignoring hiding tricks), else ``None``."""
    scheme = urllib.parse.urlsplit(_CONTROL.sub("", url)).scheme.lower()
    return url if scheme in SAFE_SCHEMES else None


def link(url: str, label: str) -> str:
    """A link to ``url`` showing ``label``; just the label's text when the URL is not safe."""
    target = safe_url(url)
    if target is None:
        return text(label)
    return f'<a href="{html.escape(target, quote=True)}">{text(label)}</a>'
