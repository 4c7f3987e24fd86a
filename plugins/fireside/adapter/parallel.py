"""Use the second core: convert, index and render part of the pages in forked processes.

MkDocs converts and renders one page after another on one core. In ``mkdocs build``:

- when pages are about to be read (``on_nav``), :class:`ParallelConversion` forks a child that
  runs MkDocs' own ``_populate_page`` for the later half of the pages and computes their search
  entries. Through the render cache (``cached_render.py``) each conversion lands in the cache's
  journal, which the child hands over. The parent converts the first half meanwhile, and when it
  reaches the child's pages it adopts their conversions as if they came from the cache;
- when pages are about to be rendered (end of ``on_env``), :class:`ParallelRender` forks a child
  that renders the theme for the later Fireside pages into an output store of its own
  (``page_outputs.py``); the parent takes each page from it when it reaches that page.

A result is used only under the key the parent computes itself (source, URL, extensions,
versions, link targets; for a render, every input of the page), so the site is byte for byte
what one process builds. A page the child could not convert, or converted with a warning, is
converted (and warned about) by the parent; the children print nothing.

This runs only where it is safe and worth it: ``mkdocs build`` (not ``serve``, whose server
threads must not be forked) on Linux with two or more cores, at least :data:`MIN_PAGES` pages,
the render cache on, and no plugin besides search and Fireside that acts on pages while they
are read (its side effects would happen twice).
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.commands.build import _populate_page, get_context
from mkdocs.structure.files import InclusionLevel
from mkdocs.structure.pages import Page

from fireside.adapter.cached_render import CachedRender
from fireside.core.output_cache import OutputStore

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.plugins import BasePlugin
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation

    from fireside.adapter.page_outputs import PageOutputs

__all__ = ["MIN_PAGES", "ParallelConversion", "ParallelRender", "parallel_allowed"]

MIN_PAGES = 200
"""Fewer pages than this convert in less time than forking is worth."""
CHILD_SHARE = 0.50
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
        """Fork the child for the later part of the pages MkDocs is about to read; the render
        cache waits for it at the first of those pages."""
        docs = files.documentation_pages(inclusion=InclusionLevel.is_included)
        if len(docs) < MIN_PAGES:
            return
        mine = docs[len(docs) - int(len(docs) * CHILD_SHARE):]
        if all(self.cached.cache.holds(f.src_uri) for f in mine):
            return  # a warm build: the few edited pages are not worth a second process
        directory = self.cached.cache.directory
        directory.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=directory, prefix=".parallel.", suffix=".tmp")
        os.close(fd)
        handover = self._handover = Path(name)

        def convert() -> None:
            for file in mine:
                page = file.page if file.page is not None else Page(None, file, config)
                _populate_page(page, config, files)
                self.cached.index_for_search(page)  # kept beside the conversion
            self.cached.cache.export(handover)

        self._pid = _fork(convert)
        self.pages = frozenset(file.src_uri for file in mine)
        self.cached.waits_for = self._wait

    def _wait(self, src_uri: str) -> None:
        if src_uri in self.pages:
            self.collect()

    def collect(self) -> None:
        """Wait for the child and adopt its conversions (none when it failed)."""
        if self._pid is None or self._handover is None:
            return
        pid, self._pid = self._pid, None
        self.cached.waits_for = None
        if _reap(pid):
            count = self.cached.cache.adopt(self._handover)
            log.debug("fireside: %d pages converted in a second process", count)
        self._remove_handover()

    def end(self, *, succeeded: bool) -> None:
        """After the build: reap the child if no page waited for it, or stop it when the
        build failed."""
        if succeeded:
            self.collect()
        _stop(self._pid)
        self._pid = None
        self.cached.waits_for = None
        self._remove_handover()

    def _remove_handover(self) -> None:
        if self._handover is not None:
            with contextlib.suppress(OSError):
                self._handover.unlink()
            self._handover = None


RENDER_SHARE = 0.62
"""The second process's part of the pages to render: the parent still indexes each of them for
search and writes it, so it takes fewer."""


class ParallelRender:
    """One forked child rendering the theme for the later Fireside pages into its own store.

    Started at the end of ``on_env``, when every page is converted and the blog complete. The
    child renders each of its pages with the parent's environment and context (MkDocs'
    ``get_context`` and Fireside's ``on_page_context``; only search, which changes no context,
    is skipped) through :class:`PageOutputs`, whose keys it writes beside each page. The parent
    reads a page from the child's store only under the key it computes itself.
    """

    def __init__(self, outputs: PageOutputs) -> None:
        self.outputs = outputs
        self._pid: int | None = None
        self._directory: Path | None = None

    def start(self, config: MkDocsConfig, files: Files, nav: Navigation, env: Environment,
              plugin: BasePlugin[Any]) -> None:
        """Fork the child for the later part of the pages MkDocs is about to render."""
        docs = files.documentation_pages(inclusion=InclusionLevel.is_included)
        if len(docs) < MIN_PAGES:
            return
        later = docs[len(docs) - int(len(docs) * RENDER_SHARE):]
        mine = [f for f in later if f.page is not None and self.outputs.owns(f.src_uri)]
        if all(self.outputs.store.holds(f.dest_uri) for f in mine):
            return  # a warm build: the few changed pages are not worth a second process
        directory = self._directory = Path(
            tempfile.mkdtemp(dir=self.outputs.store.directory, prefix=".render."))

        def render() -> None:
            # The build's own store is read (a kept page needs no render), never appended to.
            outputs = self.outputs
            outputs.helper, outputs.store = outputs.store, OutputStore(directory)
            for file in mine:
                page = file.page
                assert page is not None
                page.active = True
                context = get_context(nav, docs, config, page)
                template = env.get_template(page.meta.get("template", "main.html"))
                template.render(plugin.on_page_context(
                    context, page=page, config=config, nav=nav) or context)
                page.active = False
            outputs.store.save()

        self._pid = _fork(render)
        self.outputs.delegated = frozenset(f.src_uri for f in mine)
        self.outputs.collect = self.collect

    def collect(self) -> OutputStore | None:
        """Wait for the child; its store (``None`` when it failed)."""
        if self._pid is None or self._directory is None:
            return None
        pid, self._pid = self._pid, None
        if not _reap(pid):
            return None
        store = OutputStore(self._directory)
        log.debug("fireside: %d pages rendered in a second process", store.size)
        return store

    def end(self) -> None:
        """After the build: stop the child if no page waited for it, remove its store."""
        _stop(self._pid)
        self._pid = None
        if self.outputs.helper is not None:
            self.outputs.helper.close()
        if self._directory is not None:
            shutil.rmtree(self._directory, ignore_errors=True)
            self._directory = None


def _fork(work: Callable[[], None]) -> int:
    """Run ``work`` in a forked child that prints nothing and exits without any cleanup
    (status 0 when ``work`` returned); the child's pid."""
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        status = 1
        try:
            _quiet()
            work()
            status = 0
        finally:
            os._exit(status)
    return pid


def _reap(pid: int) -> bool:
    """Wait for a child; whether it finished its work."""
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status) == 0


def _stop(pid: int | None) -> None:
    """End a child that is no longer waited for (and reap it)."""
    if pid is not None:
        with contextlib.suppress(OSError, ChildProcessError):
            os.kill(pid, 9)
            os.waitpid(pid, 0)


def _quiet() -> None:
    """The child says nothing: the parent reports every page it converts itself."""
    for logger in (logging.getLogger(), logging.getLogger("mkdocs")):
        for handler in list(logger.handlers):
            logger.removeHandler(handler)
