"""The render cache: each unchanged page's converted HTML and table of contents, kept on disk.

Engine-independent: the adapter computes the fingerprints and hands over plain data. One file
of JSON lines, ``<project>/.cache/fireside/pages.jsonl``: a header, then a record per page and
one per value derived from a page (search entries, excerpt), which follows its page::

    {"environment":"<sha256>","schema_version":3}
    {"page":"posts/hello.md","key":"<sha256>","links":{"other.md":"posts/other/ DRAFT"},
     "content":"<p>...","toc":[["Title","id",2,[]]],"title":null,"anchors":[...],
     "links_to_anchors":null}
    {"page":"posts/hello.md","memo":"search","key":"<sha256>","value":[...]}

A hit needs three things to match: the **environment** (Markdown extensions and their
configuration, the versions of the packages that convert, the link-validation settings), the
page's **key** (its Markdown source and URL) and the current **resolution of every relative
link** the page had (so a page linking to a post that appears, disappears or moves is
converted again). Anything else is a miss: a wrong hit is worse than none.
"""

from __future__ import annotations

import contextlib
import enum
import functools
import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import BuiltinFunctionType, FunctionType, MethodType, ModuleType
from typing import Any, TextIO

from fireside.core.errors import FiresideError

__all__ = [
    "CACHE_DIR",
    "RenderCache",
    "Rendered",
    "Unstable",
    "clear_cache",
    "digest",
    "stable_repr",
]

CACHE_DIR = Path(".cache") / "fireside"
"""Relative to the folder holding ``mkdocs.yml``."""
PAGES_FILE = "pages.jsonl"
SCHEMA_VERSION = 3


class Unstable(FiresideError):
    """A setting has no text that stays the same between builds (so nothing can be cached)."""


def stable_repr(value: object) -> str:
    """A text form of a configuration value that is the same in every build of the same config.

    Functions and classes are named by module and qualified name, enum members by name; objects
    must have a
    ``getConfigs()`` (Markdown extensions) or a repr without a memory address.

    Raises:
        Unstable: For a value whose only text form is its memory address.
    """
    if value is None or isinstance(value, bool | int | float | str):
        return repr(value)
    if isinstance(value, Mapping):
        items = sorted((stable_repr(k), stable_repr(v)) for k, v in value.items())
        return "{" + ", ".join(f"{k}: {v}" for k, v in items) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(stable_repr(v) for v in value) + "]"
    if isinstance(value, set | frozenset):
        return "{" + ", ".join(sorted(stable_repr(v) for v in value)) + "}"
    if isinstance(value, enum.Enum):
        return f"<{type(value).__qualname__}.{value.name}>"
    if isinstance(value, functools.partial):
        return (f"<partial {stable_repr(value.func)} {stable_repr(value.args)} "
                f"{stable_repr(value.keywords)}>")
    if isinstance(value, FunctionType | BuiltinFunctionType | MethodType | type | ModuleType):
        name = getattr(value, "__qualname__", getattr(value, "__name__", ""))
        return f"<{getattr(value, '__module__', '')}.{name}>"
    kind = f"{type(value).__module__}.{type(value).__qualname__}"
    configs = getattr(value, "getConfigs", None)
    if callable(configs):
        return f"<{kind} {stable_repr(configs())}>"
    text = repr(value)
    if " at 0x" in text or text.startswith("<"):
        raise Unstable(f"{kind} has no stable text form")
    return f"<{kind} {text}>"


def digest(*parts: str) -> str:
    """SHA-256 over ``parts`` (each length-prefixed, so no two lists collide)."""
    sha = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogatepass")
        sha.update(f"{len(data)}:".encode())
        sha.update(data)
    return sha.hexdigest()


@dataclass
class Rendered:
    """What converting one page produced, ready to be handed back to the engine."""

    content: str
    toc: list[list[Any]]
    """Nested ``[title, id, level, children]``."""
    title: str | None
    """The title the page's first heading gave it."""
    anchors: list[str]
    """Every anchor id the page holds."""
    links_to_anchors: dict[str, dict[str, str]] | None
    """Target page → anchor → the link as written; ``None`` when the engine keeps none."""
    links: dict[str, str | None] = field(default_factory=dict)
    """Every relative link as written → what it resolved to when converted."""


class RenderCache:
    """Cached conversions of one project, for one environment.

    A new or changed page goes straight to a journal file (a cold build keeps no copy of the
    site in memory); ``save`` adds the reused pages and puts the journal in the cache's place.
    """

    def __init__(self, directory: Path, environment: str) -> None:
        self.directory = Path(directory)
        self.environment = environment
        self.hits = self.misses = 0
        self._pages: dict[str, dict[str, Any]] = {}
        """The previous build's pages, as read."""
        self._used: set[str] = set()
        """Pages taken from ``_pages`` by this build."""
        self._fresh: set[str] = set()
        """Pages this build converted (they are in the journal, not in memory)."""
        self._changed: set[str] = set()
        """Reused pages with a new derived value."""
        self._journal: TextIO | None = None
        self._journal_path: Path | None = None
        with contextlib.suppress(OSError, ValueError):  # no cache, or a damaged one: start over
            self._pages = _read(self.directory / PAGES_FILE, environment)
        with contextlib.suppress(OSError):  # journals of builds killed more than a day ago
            for stale in self.directory.glob(f".{PAGES_FILE}.*.tmp"):
                if time.time() - stale.stat().st_mtime > 86_400:
                    stale.unlink()

    def get(self, page: str, key: str,
            resolve: Callable[[str], str | None]) -> Rendered | None:
        """The cached conversion of ``page``, or ``None`` unless its key and links still match.

        ``resolve`` maps a relative link as written to what it points at now.
        """
        entry = self._pages.get(page)
        rendered = _rendered(entry) if entry is not None and entry.get("key") == key else None
        if rendered is not None and all(resolve(link) == target
                                        for link, target in rendered.links.items()):
            self.hits += 1
            self._used.add(page)
            return rendered
        self.misses += 1
        return None

    def put(self, page: str, key: str, rendered: Rendered) -> None:
        """Remember the conversion of ``page`` under ``key``."""
        self._pages.pop(page, None)
        self._used.discard(page)
        self._fresh.add(page)
        self._write({"page": page, "key": key, "links": rendered.links,
                     "content": rendered.content, "toc": rendered.toc, "title": rendered.title,
                     "anchors": rendered.anchors,
                     "links_to_anchors": rendered.links_to_anchors})

    def memo(self, page: str, name: str, key: str) -> Any:
        """A value derived from this build's conversion of ``page`` and kept under ``key``.

        ``None`` unless the page was reused in this build and ``key`` matches.
        """
        entry = self._pages.get(page)
        if entry is None or page not in self._used:
            return None
        memo = entry.get(name)
        return memo[1] if type(memo) is list and len(memo) == 2 and memo[0] == key else None

    def remember(self, page: str, name: str, key: str, value: object) -> None:
        """Keep ``value`` (JSON data) beside the conversion of ``page``; dropped with it."""
        if page in self._fresh:
            self._write({"page": page, "memo": name, "key": key, "value": value})
        elif page in self._used:
            self._pages[page][name] = [key, value]
            self._changed.add(page)

    def save(self) -> None:
        """Write the cache when it changed, keeping only the pages this build converted."""
        if self._journal is None and not self._changed and self._used == self._pages.keys():
            return
        self._open()
        for page in self._used:  # reused pages follow the new ones
            entry = self._pages[page]
            self._write({"page": page, **{k: v for k, v in entry.items()
                                          if type(v) is not list or k in _RENDER_LISTS}})
            for name, memo in entry.items():
                if name not in _RENDER_LISTS and type(memo) is list:
                    self._write({"page": page, "memo": name, "key": memo[0], "value": memo[1]})
        assert self._journal is not None and self._journal_path is not None
        self._journal.close()
        os.replace(self._journal_path, self.directory / PAGES_FILE)
        self._journal = self._journal_path = None
        self._changed.clear()

    def holds(self, page: str) -> bool:
        """Whether the previous build left a conversion of ``page`` (perhaps under another key)."""
        return page in self._pages

    def export(self, path: Path) -> None:
        """Move this build's journal (the pages converted so far) to ``path``.

        A worker process converting part of the pages hands its results over this way.
        """
        journal = self._open()
        journal.close()
        assert self._journal_path is not None
        os.replace(self._journal_path, path)
        self._journal = self._journal_path = None

    def adopt(self, path: Path) -> int:
        """Take the conversions another process exported to ``path`` (this build's own from
        now on, as if read from the cache); return how many. An unreadable file adds none."""
        try:
            pages = _read(path, self.environment)
        except (OSError, ValueError):
            return 0
        for page in pages:
            self._used.discard(page)
            self._fresh.discard(page)
        self._pages.update(pages)
        return len(pages)

    def discard(self) -> None:
        """Drop this build's journal (a failed build keeps the previous cache)."""
        if self._journal is not None and self._journal_path is not None:
            self._journal.close()
            with contextlib.suppress(FileNotFoundError):
                self._journal_path.unlink()
        self._journal = self._journal_path = None

    def _write(self, record: dict[str, Any]) -> None:
        self._open().write(_json(record) + "\n")

    def _open(self) -> TextIO:
        if self._journal is None:
            self.directory.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=f".{PAGES_FILE}.",
                                       suffix=".tmp")
            self._journal_path = Path(tmp)
            self._journal = os.fdopen(fd, "w", encoding="utf-8")
            self._journal.write(_json({"schema_version": SCHEMA_VERSION,
                                       "environment": self.environment}) + "\n")
        return self._journal


#: The fields of a page's own record that hold lists (the rest of its lists are memos).
_RENDER_LISTS = frozenset({"toc", "anchors"})


def _read(path: Path, environment: str) -> dict[str, dict[str, Any]]:
    """The pages of a cache file written for ``environment`` (none for any other).

    Raises:
        OSError: The file cannot be read.
        ValueError: A line is not JSON.
    """
    pages: dict[str, dict[str, Any]] = {}
    with path.open(encoding="utf-8") as handle:
        header = json.loads(handle.readline())
        if (type(header) is not dict or header.get("schema_version") != SCHEMA_VERSION
                or header.get("environment") != environment):
            return pages
        for line in handle:
            record = json.loads(line)
            page = record.pop("page", None) if type(record) is dict else None
            if type(page) is not str:
                continue
            if "memo" not in record:
                pages[page] = record
            elif page in pages and type(record["memo"]) is str:
                pages[page][record["memo"]] = [record.get("key"), record.get("value")]
    return pages


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _rendered(entry: Mapping[str, Any]) -> Rendered | None:
    """The entry as ``Rendered``, or ``None`` when it does not have the expected shape."""
    try:
        rendered = Rendered(content=entry["content"], toc=entry["toc"], title=entry["title"],
                            anchors=entry["anchors"], links_to_anchors=entry["links_to_anchors"],
                            links=entry["links"])
    except (KeyError, TypeError):
        return None
    well_formed = (type(rendered.content) is str and type(rendered.toc) is list
                   and (rendered.title is None or type(rendered.title) is str)
                   and type(rendered.anchors) is list and type(rendered.links) is dict
                   and (rendered.links_to_anchors is None
                        or type(rendered.links_to_anchors) is dict))
    return rendered if well_formed else None


def clear_cache(project_dir: Path) -> bool:
    """Delete the render cache of the project in ``project_dir``; return whether there was one."""
    directory = Path(project_dir) / CACHE_DIR
    if not directory.exists():
        return False
    shutil.rmtree(directory)
    return True
