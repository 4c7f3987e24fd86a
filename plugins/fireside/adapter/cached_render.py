"""MkDocs side of the render cache: fingerprints, link recording, and the cached ``Page.render``.

The plugin calls ``CachedRender.wrap(page)`` in ``on_pre_page``. The wrapper runs when MkDocs
converts the page, after every plugin's ``on_page_markdown``, so the key covers the Markdown
exactly as converted. On a hit it restores what ``Page.render`` sets (``content``, ``toc``, the
title from the first heading, the anchors and the links to anchors); on a miss it converts as
usual and keeps the result, unless the conversion logged anything (a page with a broken link is
converted, and warned about, on every build).
"""

from __future__ import annotations

import contextlib
import functools
import logging
import platform
import posixpath
from collections.abc import Callable, Iterator, Mapping
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from jinja2 import FileSystemBytecodeCache
from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor
from material.plugins.search import plugin as search_module
from material.plugins.search.plugin import SearchPlugin
from mkdocs.structure.toc import AnchorLink, TableOfContents

from fireside.core.render_cache import (
    CACHE_DIR,
    RenderCache,
    Rendered,
    Unstable,
    digest,
    stable_repr,
)

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.pages import Page

__all__ = ["CachedRender", "LinkRecorder"]

#: Extensions that read other files while converting: their pages depend on more than the key.
FILE_READING_EXTENSIONS = frozenset({
    "pymdownx.snippets", "pymdownx.b64", "markdown_include", "markdown_include.include",
    "mdx_include",
})
_CONVERTERS = ("mkdocs", "mkdocs-material", "markdown", "fireside")
_PAGES_LOG = "mkdocs.structure.pages"


class LinkRecorder(Extension):
    """Records every link and image URL as written, just before MkDocs makes them relative."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] | None = None
        """The URLs of the conversion in progress; ``None`` when nothing is recording."""

    def extendMarkdown(self, md: Markdown) -> None:
        """Register the recorder right before MkDocs' ``relpath`` (priority 0)."""
        md.treeprocessors.register(_Recorder(md, self), "fireside_links", 0.5)


class _Recorder(Treeprocessor):
    def __init__(self, md: Markdown, owner: LinkRecorder) -> None:
        super().__init__(md)
        self.owner = owner

    def run(self, root: Element) -> None:
        links = self.owner.links
        if links is None:
            return
        for element in root.iter():
            url = (element.get("href") if element.tag == "a" else
                   element.get("src") if element.tag == "img" else None)
            if url is not None:
                links.append(url)


class CachedRender:
    """Reuses converted pages from ``.cache/fireside/`` beside ``mkdocs.yml``."""

    def __init__(self, config: MkDocsConfig, project_dir: Path) -> None:
        """Fingerprint the build's environment and add the link recorder to the extensions.

        Raises:
            Unstable: Something the conversion depends on cannot be fingerprinted; build
                without the cache.
        """
        extensions = [e for e in config.markdown_extensions if not isinstance(e, LinkRecorder)]
        reading = FILE_READING_EXTENSIONS.intersection(e for e in extensions if isinstance(e, str))
        if reading:
            raise Unstable(f"the extension {sorted(reading)[0]} reads other files")
        self.environment = digest(
            "fireside-render-1", platform.python_version(),
            stable_repr(_versions(extensions)), stable_repr(extensions),
            stable_repr(config.mdx_configs), stable_repr(config.use_directory_urls),
            stable_repr(_validation(config)),
            str(logging.getLogger(_PAGES_LOG).getEffectiveLevel()),
        )
        self.cache = RenderCache(project_dir / CACHE_DIR, self.environment)
        self.recorder = LinkRecorder()
        self.waits_for: Callable[[str], None] | None = None
        """Called with each page's ``src_uri`` before its conversion is looked up (the
        parallel conversion waits there for its second process)."""
        self._search_index: object = None
        config.markdown_extensions.append(self.recorder)  # type: ignore[arg-type]

    def wrap(self, page: Page, config: MkDocsConfig) -> None:
        """Make ``page.render`` (and Material's search indexing) look in the cache first."""
        page.render = functools.partial(self._render, page, page.render)  # type: ignore[method-assign]
        self._wrap_search(config)

    def _wrap_search(self, config: MkDocsConfig) -> None:
        """Memoize Material's search entries of a page: a function of what the key covers.

        The key holds everything ``SearchIndex.add_entry_from_context`` reads: the HTML as the
        search plugin sees it, the TOC, URL, title, the ``search``, ``tags`` and ``title`` meta
        and the plugin's options (its version is in the environment).
        """
        plugin = next((p for p in config.plugins.values() if isinstance(p, SearchPlugin)), None)
        index = getattr(plugin, "search_index", None)
        if plugin is None or index is None or index is self._search_index:
            return
        self._search_index = index
        try:
            settings = stable_repr(dict(plugin.config)) + str(search_module.jieba is None)
        except Unstable:
            return
        add = index.add_entry_from_context
        cache = self.cache

        def add_entry_from_context(page: Page) -> None:
            meta = {name: page.meta.get(name) for name in ("search", "tags", "title")}
            try:
                key = digest(settings, page.content or "", page.url, str(page.title),
                             stable_repr([_toc_to_json(item) for item in page.toc]),
                             stable_repr(meta))
            except Unstable:
                add(page)
                return
            entries = cache.memo(page.file.src_uri, "search", key)
            if type(entries) is list:
                index.entries.extend(entries)
                return
            start = len(index.entries)
            add(page)
            cache.remember(page.file.src_uri, "search", key, index.entries[start:])

        index.add_entry_from_context = add_entry_from_context

    def index_for_search(self, page: Page) -> None:
        """Compute (and keep) ``page``'s search entries now, as the search plugin's
        ``on_page_context`` will; the second process of a parallel build does this."""
        index = self._search_index
        add = getattr(index, "add_entry_from_context", None)
        if callable(add):
            add(page)

    def memoize(self, page: Page, name: str, inputs: tuple[str, ...],
                compute: Callable[[], list[Any]]) -> list[Any]:
        """``compute()`` (JSON data), or its value from the build that had the same inputs."""
        key = digest(*inputs)
        value = self.cache.memo(page.file.src_uri, name, key)
        if type(value) is list:
            return value
        value = compute()
        self.cache.remember(page.file.src_uri, name, key, value)
        return value

    def compile_templates_once(self, env: Environment) -> None:
        """Keep the theme's compiled templates too (Jinja's own cache checks each source)."""
        if env.bytecode_cache is None:
            directory = self.cache.directory / "templates"
            directory.mkdir(parents=True, exist_ok=True)
            env.bytecode_cache = FileSystemBytecodeCache(str(directory))

    def save(self) -> None:
        """Write the cache (after a successful build)."""
        self.cache.save()

    def discard(self) -> None:
        """Keep the previous cache (after a failed build)."""
        self.cache.discard()

    def _render(self, page: Page, render: Callable[[MkDocsConfig, Files], None],
                config: MkDocsConfig, files: Files) -> None:
        file = page.file
        assert page.markdown is not None
        if self.waits_for is not None:
            self.waits_for(file.src_uri)
        key = digest(file.src_uri, file.url, file.dest_uri, file.inclusion.name, page.markdown)
        resolve = functools.partial(_resolve, file, files)
        hit = self.cache.get(file.src_uri, key, resolve)
        if hit is not None and _restore(page, hit, files):
            return
        self.recorder.links = []
        try:
            with _logged() as records:
                render(config, files)
            links = self.recorder.links
        finally:
            self.recorder.links = None
        if records or page.content is None:
            return
        relative = [u for u in links if not (urlsplit(u).scheme or urlsplit(u).netloc)]
        to_anchors = page.links_to_anchors
        self.cache.put(file.src_uri, key, Rendered(
            content=page.content, toc=[_toc_to_json(item) for item in page.toc],
            title=page._title_from_render, anchors=sorted(page.present_anchor_ids or ()),
            links_to_anchors=None if to_anchors is None else {
                target.src_uri: dict(anchors) for target, anchors in to_anchors.items()},
            links={url: resolve(url) for url in relative},
        ))


def _resolve(file: File, files: Files, url: str) -> str | None:
    """What a relative link of ``file`` points at now (as MkDocs' ``relpath`` looks it up)."""
    scheme, netloc, path, _, _ = urlsplit(url)
    if scheme or netloc or not path:
        return ""
    target = posixpath.normpath(
        posixpath.join(posixpath.dirname(file.src_uri), unquote(path)).lstrip("/"))
    found = files.get_file_from_path(target)
    return None if found is None else f"{found.url} {found.inclusion.name}"


def _restore(page: Page, hit: Rendered, files: Files) -> bool:
    to_anchors: dict[File, dict[str, str]] | None = None
    if hit.links_to_anchors is not None:
        to_anchors = {}
        for src_uri, anchors in hit.links_to_anchors.items():
            target = files.get_file_from_path(src_uri)
            if target is None:
                return False
            to_anchors[target] = anchors
    try:
        items = [_toc_from_json(item) for item in hit.toc]
    except (TypeError, ValueError):  # not the shape this version writes: convert again
        return False
    page.content = hit.content
    if items:
        items[0].active = True  # type: ignore[attr-defined]  # as mkdocs.structure.toc.get_toc
    page.toc = TableOfContents(items)
    page._title_from_render = hit.title
    page.present_anchor_ids = set(hit.anchors)
    if to_anchors is not None:
        page.links_to_anchors = to_anchors
    return True


def _toc_to_json(item: AnchorLink) -> list[Any]:
    """``[title, id, level, children]``: lists, which take a third of a dict's memory."""
    return [item.title, item.id, item.level, [_toc_to_json(child) for child in item.children]]


def _toc_from_json(data: list[Any]) -> AnchorLink:
    title, ident, level, children = data
    if not (type(title) is str and type(ident) is str and type(level) is int
            and type(children) is list):
        raise TypeError("not a TOC entry")
    item = AnchorLink(title, ident, level)
    item.children = [_toc_from_json(child) for child in children]
    return item


def _validation(config: MkDocsConfig) -> dict[str, Any]:
    links = config.validation.links  # not_found, absolute_links, unrecognized_links, anchors
    return {name: links[name] for name in links}


_MARKDOWN_BUILTINS = frozenset({
    "abbr", "admonition", "attr_list", "codehilite", "def_list", "extra", "fenced_code",
    "footnotes", "legacy_attrs", "legacy_em", "md_in_html", "meta", "nl2br", "sane_lists",
    "smarty", "tables", "toc", "wikilinks"})
#: Top-level modules of common extensions → their distribution (looking it up scans every one).
_KNOWN_MODULES = {"markdown": "markdown", "material": "mkdocs-material", "mkdocs": "mkdocs",
                  "pymdownx": "pymdown-extensions", "fireside": "fireside"}


@functools.cache
def _distributions() -> Mapping[str, list[str]]:
    return metadata.packages_distributions()


def _versions(extensions: list[Any]) -> dict[str, str]:
    """Versions of MkDocs, Material, Python-Markdown, Fireside and each extension's package.

    A short name (``toc``) is Python-Markdown's own or another package's entry point.
    """
    names = list(_CONVERTERS)
    for extension in extensions:
        module = extension if isinstance(extension, str) else type(extension).__module__
        if "." not in module:
            if module not in _MARKDOWN_BUILTINS:
                names += [ep.dist.name for ep in metadata.entry_points(
                    group="markdown.extensions", name=module) if ep.dist is not None]
            continue
        top = module.split(".")[0]
        names += [_KNOWN_MODULES[top]] if top in _KNOWN_MODULES else \
            _distributions().get(top, [top])
    versions = {}
    for name in dict.fromkeys(names):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "none"
    return versions


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextlib.contextmanager
def _logged() -> Iterator[list[logging.LogRecord]]:
    """Collect what is logged (``mkdocs`` does not propagate to the root logger)."""
    handler = _Records()
    loggers = (logging.getLogger("mkdocs"), logging.getLogger())
    for logger in loggers:
        logger.addHandler(handler)
    try:
        yield handler.records
    finally:
        for logger in loggers:
            logger.removeHandler(handler)
