"""Checks on a built site: nothing loaded from outside the intranet, and feeds that parse.

Pure Python (stdlib only), so any engine's output can be checked the same way.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

__all__ = ["ExternalResource", "FeedCheck", "check_feeds", "find_external_resources"]

#: Attributes that make the browser fetch something when the page is viewed (``<a href>`` is a
#: link the reader may follow, so it is not one of them).
_RESOURCE_ATTRS = {
    "script": ("src",), "img": ("src", "srcset"), "source": ("src", "srcset"),
    "iframe": ("src",), "video": ("src", "poster"), "audio": ("src",), "embed": ("src",),
    "object": ("data",), "track": ("src",), "input": ("src",), "frame": ("src",),
}
#: ``<link rel=…>`` values that load a resource (``alternate``, ``canonical`` … only point).
_LOADING_RELS = {"stylesheet", "icon", "shortcut", "apple-touch-icon", "preload",
                 "modulepreload", "prefetch", "manifest", "mask-icon", "dns-prefetch",
                 "preconnect"}
_CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)""", re.IGNORECASE)
_ATOM = "{http://www.w3.org/2005/Atom}feed"


@dataclass(frozen=True)
class ExternalResource:
    """A page that makes the browser load something from outside the site."""

    page: str
    """The HTML file, relative to the site folder."""
    tag: str
    url: str

    def __str__(self) -> str:
        return f"{self.page}: <{self.tag}> loads {self.url} from outside the site"


@dataclass(frozen=True)
class FeedCheck:
    """One feed file and what parsing it found."""

    path: str
    kind: str
    """``rss``, ``atom``, ``json`` or ``invalid``."""
    items: int
    error: str | None = None


class _ResourceParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "link":
            rels = set(values.get("rel", "").lower().split())
            if rels & _LOADING_RELS and values.get("href"):
                self.found.append((tag, values["href"]))
        for attr in _RESOURCE_ATTRS.get(tag, ()):
            if attr in values:
                for url in _srcset(values[attr]) if attr == "srcset" else [values[attr]]:
                    self.found.append((tag, url))
        if "style" in values:
            self.found.extend((f"{tag} style", url) for url in _CSS_URL.findall(values["style"]))
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.found.extend(("style", url) for url in _CSS_URL.findall(data))


def _srcset(value: str) -> list[str]:
    return [part.strip().split()[0] for part in value.split(",") if part.strip()]


def _is_external(url: str, site: tuple[str, str]) -> bool:
    url = url.strip()
    if url.startswith("//"):
        url = "https:" + url
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        return False  # relative, data:, blob:, mailto: … load nothing from elsewhere
    host, path = site
    if not host:
        return True
    return parts.netloc.lower() != host or not (parts.path or "/").startswith(path)


def _pages(site_dir: Path) -> Iterator[Path]:
    yield from sorted(site_dir.rglob("*.html"))


def find_external_resources(site_dir: Path, site_url: str | None) -> list[ExternalResource]:
    """Every resource a built page loads from outside ``site_url`` (or from anywhere, without).

    Arguments:
        site_dir: The built site.
        site_url: The site's public address; resources under it are the site's own.
    """
    parts = urlsplit(site_url or "")
    site = (parts.netloc.lower(), parts.path or "/")
    found: list[ExternalResource] = []
    for page in _pages(site_dir):
        parser = _ResourceParser()
        parser.feed(page.read_text(encoding="utf-8", errors="replace"))
        parser.close()
        rel = page.relative_to(site_dir).as_posix()
        found.extend(ExternalResource(rel, tag, url) for tag, url in parser.found
                     if _is_external(url, site))
    return found


def check_feeds(site_dir: Path) -> list[FeedCheck]:
    """Parse every RSS, Atom and JSON feed in the built site.

    Feeds are found by content, not by name: any ``.xml`` file whose root is ``<rss>`` or an
    Atom ``<feed>``, and any ``feed*.json``. A file that does not parse is reported as
    ``invalid``; other XML (the sitemap) is skipped.
    """
    import json

    checks: list[FeedCheck] = []
    for path in sorted(site_dir.rglob("*.xml")):
        rel = path.relative_to(site_dir).as_posix()
        try:
            root = ET.parse(path).getroot()  # our own build's output: trusted
        except ET.ParseError as exc:
            if "feed" in path.name or "rss" in path.name or "atom" in path.name:
                checks.append(FeedCheck(rel, "invalid", 0, str(exc)))
            continue
        if root.tag == "rss":
            checks.append(FeedCheck(rel, "rss", len(root.findall("./channel/item"))))
        elif root.tag == _ATOM:
            checks.append(FeedCheck(rel, "atom", len(root.findall(
                "{http://www.w3.org/2005/Atom}entry"))))
    for path in sorted(site_dir.rglob("feed*.json")):
        rel = path.relative_to(site_dir).as_posix()
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError) as exc:
            checks.append(FeedCheck(rel, "invalid", 0, str(exc)))
            continue
        if not isinstance(data, dict) or not str(data.get("version", "")).startswith(
                "https://jsonfeed.org/"):
            checks.append(FeedCheck(rel, "invalid", 0, "not a JSON Feed (no 'version')"))
            continue
        items = data.get("items")
        checks.append(FeedCheck(rel, "json", len(items) if isinstance(items, list) else 0))
    return checks
