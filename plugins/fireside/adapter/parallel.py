"""Convert half of the pages' Markdown in a second process while MkDocs converts the rest.

MkDocs converts one page after another on one core. When ``mkdocs build`` starts reading
pages (``on_nav``), :class:`ParallelConversion` forks: the child runs MkDocs' own
``_populate_page`` for the later half of the pages, which goes through the render cache
(``cached_render.py``) and so leaves each conversion in the cache's journal; it hands the
journal over and exits. The parent converts the first half meanwhile, and when it reaches the
child's pages it waits for the child and adopts its conversions as if they came from the cache.
A conversion is used only when its key matches the page as the parent read it (source, URL,
extensions, versions, link targets), so the result is byte for byte what converting in the
parent gives; a page the child could not convert, or converted with a warning, is converted
(and warned about) by the parent.

It runs only where it is safe and worth it: ``mkdocs build`` (not ``serve``, whose server
threads must not be forked) on Linux with two or more cores, at least :data:`MIN_PAGES` pages,
the render cache on, and no plugin besides search and Fireside that acts on pages while they
are read (its side effects would happen twice).
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.commands.build import _populate_page
from mkdocs.structure.files import InclusionLevel
from mkdocs.structure.pages import Page

from fireside.adapter.cached_render import CachedRender

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files

__all__ = ["MIN_PAGES", "ParallelConversion"]

MIN_PAGES = 200
"""Fewer pages than this convert in less time than forking is worth."""
CHILD_SHARE = 0.58
"""The child's part of the pages: the parent also reads (cheaply) the pages the child
converted, so an even split would leave the child idle at the end."""
#: Events of a plugin that run while pages are read; another plugin with one turns this off.
_READING_EVENTS = ("on_pre_page", "on_page_read_source", "on_page_markdown", "on_page_content")
_KNOWN_PLUGINS = ("material.plugins.search.", "mkdocs.contrib.search", "fireside.")

log = logging.getLogger(__name__)


def parallel_allowed(config: MkDocsConfig, *, serving: bool) -> str | None:
    """Why the pages cannot be converted in two processes here, or ``None`` when they can."""
    if serving:
        return "mkdocs serve"
    if sys.platform != "linux" or not hasattr(os, "fork"):
        return f"platform {sys.platform}"
    if (os.cpu_count() or 1) < 2:
        return "one core"
    for name, plugin in config.plugins.items():
        if type(plugin).__module__.startswith(_KNOWN_PLUGINS):
            continue
        if any(getattr(plugin, event, None) is not None for event in _READING_EVENTS):
            return f"the plugin {name} acts on pages as they are read"
    return None


class ParallelConversion:
    """One forked child converting the later pages into the render cache's journal."""

    def __init__(self, cached: CachedRender) -> None:
        self.cached = cached
        self.pages: frozenset[str] = frozenset()
        """The pages (``src_uri``) the child converts."""
        self._pid: int | None = None
        self._handover: Path | None = None

    def start(self, config: MkDocsConfig, files: Files) -> None:
        """Fork the child for the later part of the pages MkDocs is about to read."""
        docs = files.documentation_pages(inclusion=InclusionLevel.is_included)
        if len(docs) < MIN_PAGES:
            return
        mine = docs[len(docs) - int(len(docs) * CHILD_SHARE):]
        directory = self.cached.cache.directory
        directory.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=directory, prefix=".parallel.", suffix=".tmp")
        os.close(fd)
        self._handover = Path(name)
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the child: convert, hand over, and leave without any cleanup
            status = 1
            try:
                _quiet()
                for file in mine:
                    page = file.page if file.page is not None else Page(None, file, config)
                    _populate_page(page, config, files)
                self.cached.cache.export(self._handover)
                status = 0
            finally:
                os._exit(status)
        self._pid = pid
        self.pages = frozenset(file.src_uri for file in mine)

    def collect(self) -> None:
        """Wait for the child and adopt its conversions (none when it failed)."""
        if self._pid is None or self._handover is None:
            return
        pid, self._pid = self._pid, None
        _, status = os.waitpid(pid, 0)
        try:
            if os.waitstatus_to_exitcode(status) == 0:
                count = self.cached.cache.adopt(self._handover)
                log.debug("fireside: %d pages converted in a second process", count)
        finally:
            with contextlib.suppress(OSError):
                self._handover.unlink()

    def abandon(self) -> None:
        """Stop waiting for the child (a failed build)."""
        if self._pid is not None:
            with contextlib.suppress(OSError, ChildProcessError):
                os.kill(self._pid, 9)
                os.waitpid(self._pid, 0)
            self._pid = None
        if self._handover is not None:
            with contextlib.suppress(OSError):
                self._handover.unlink()


def _quiet() -> None:
    """The child says nothing: the parent reports every page it converts itself."""
    for logger in (logging.getLogger(), logging.getLogger("mkdocs")):
        for handler in list(logger.handlers):
            logger.removeHandler(handler)
