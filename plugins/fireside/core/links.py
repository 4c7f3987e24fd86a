"""Rebase relative links in rendered HTML so one render serves every page and feed."""

from __future__ import annotations

import html
import posixpath
import re

#: Marks a site-root-relative URL in stored HTML; replaced per page (or by the site URL).
ROOT = "\x00fireside-root\x00/"

_ATTR = re.compile(r'(\s(?:href|src)=")([^"]*)(")')
_EXTERNAL = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//|/)")


def anchor_to_root(html: str, page_url: str) -> str:
    """Rewrite relative ``href``/``src`` values of HTML rendered at ``page_url`` to ``ROOT``.

    ``page_url`` is site-relative (``posts/hello/``). Absolute URLs, ``mailto:`` and other
    schemes are left alone; ``#anchor`` becomes a link to the page's own anchor.
    """

    def repl(match: re.Match[str]) -> str:
        url = match.group(2)
        if not url or _EXTERNAL.match(url):
            return match.group(0)
        if url.startswith("#"):
            target = page_url + url
        else:
            base = page_url if page_url.endswith("/") else posixpath.dirname(page_url) + "/"
            target = posixpath.normpath(posixpath.join(base, url))
            if url.endswith("/") and not target.endswith("/"):
                target += "/"
            if target == ".":
                target = ""
        return f"{match.group(1)}{ROOT}{target.lstrip('/')}{match.group(3)}"

    return _ATTR.sub(repl, html)


def rebase(html: str, base: str) -> str:
    """Replace ``ROOT`` marks with ``base`` (a relative ``../..`` or an absolute site URL)."""
    base = base.rstrip("/") + "/" if base not in ("", ".") else ""
    return html.replace(ROOT, base)


def quoteattr(value: str) -> str:
    """An XML or HTML attribute value in double quotes. (``xml.sax.saxutils.quoteattr`` would
    import ``urllib.request``, ``http`` and ``ssl``: 8 MB of every build's memory.)"""
    return '"' + html.escape(value, quote=True) + '"'
