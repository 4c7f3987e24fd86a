"""Reuse the rendered HTML of Fireside's pages whose every input is unchanged.

A warm build has the converted Markdown from the render cache; what is left is the theme render
of every post and listing page. This module keeps each page's template output in the output
store (``core/output_cache.py``) under a key holding everything the render reads:

- the **build**: the render cache's environment (MkDocs, Material, Python-Markdown and Fireside
  versions, the Markdown extensions), Jinja's version, the files of Fireside's package and of
  every theme folder that is not an installed theme's, the MkDocs configuration (theme options,
  ``extra``, every plugin's options, the nav as configured), the nav as built, and the list of
  documentation pages;
- the **blog**: every visible post's front matter, title, URL and status (the neighbours, bylines
  and category links of a post page read them); for pages other than posts also every post's
  excerpt, reading time and discussion and Q&A summary (listings, "most discussed", Q&A index);
- the **page**: its template, URLs, title, converted HTML, table of contents, metadata, its place
  in the nav, and for a post its own reading time, discussion and Q&A data.

Other plugins' ``on_page_context``, ``on_env`` or template hooks can put anything into a page, so
with such a plugin installed nothing is reused. Plugins' ``on_post_page`` still runs on every
page, reused or not: only the template render is skipped.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator, Mapping
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from mkdocs.plugins import BasePlugin
from mkdocs.structure.nav import Link, Section
from mkdocs.structure.pages import Page

from fireside.core.output_cache import OutputStore
from fireside.core.render_cache import CACHE_DIR, Unstable, digest, stable_repr

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation

    from fireside.core.content import Post
    from fireside.core.site import Site

__all__ = ["PageOutputs"]

#: Plugin events that change what a template sees; a plugin (other than these) with one of them
#: turns reuse off.
_CONTEXT_EVENTS = ("on_page_context", "on_env", "on_pre_template", "on_template_context")
_KNOWN_PLUGINS = ("material.plugins.search.", "mkdocs.contrib.search", "fireside.")
#: Options that name this machine's folders, not what the pages show.
_LOCAL_OPTIONS = frozenset({"site_dir", "docs_dir", "config_file_path", "dev_addr", "watch",
                            "plugins", "theme", "markdown_extensions", "mdx_configs", "hooks"})
PACKAGE = Path(__file__).resolve().parent.parent
"""Fireside's own files (code, templates, translations): any edit changes every key."""
_INSTALLED = (Path(jinja2.__file__).parent.parent,)  # site-packages: themes there are versioned


class PageOutputs:
    """Decides, per page, whether the last build's output can be reused, and keeps new ones."""

    def __init__(self, config: MkDocsConfig, env: Environment, site: Site, files: Files,
                 project_dir: Path, environment: str) -> None:
        """Fingerprint the build once; installs a template class that consults the store.

        Raises:
            Unstable: A plugin changes template contexts, or the configuration has a value
                with no stable text; render every page.
        """
        for name, plugin in config.plugins.items():
            if type(plugin).__module__.startswith(_KNOWN_PLUGINS):
                continue
            for event in _CONTEXT_EVENTS:  # a hooks file is a module: its functions count too
                method = getattr(plugin, event, None)
                method = getattr(method, "__func__", method)
                if method not in (None, getattr(BasePlugin, event, None)):
                    raise Unstable(f"the plugin {name} has {event}")
        self.site = site
        self.store = OutputStore(project_dir / CACHE_DIR)
        self.used: set[str] = set()
        self._posts = {src for src, post in site.by_src.items() if post.kind == "post"}
        self._owned = set(site.by_src) | set(site.pages_by_src)
        build = digest(environment, "fireside-output-1", metadata.version("jinja2"),
                       _tree(PACKAGE),
                       *(_theme_dir(d) for d in config.theme.dirs),
                       _config_repr(config), stable_repr(sorted(
                           (f.src_uri, f.url) for f in files.documentation_pages())))
        self._blog = digest(build, *(_post_identity(site, post) for post in site.posts),
                            stable_repr(sorted(site.by_src)), repr(site.authors))
        self._everything = digest(self._blog, *(_post_summary(post) for post in site.posts),
                                  *(_post_summary(post) for post in site.sessions))
        self._nav: str | None = None
        self.helper: OutputStore | None = None
        """A second store to read: in the build, the pages a second process rendered (once
        collected); in that process, the build's own store (``parallel.ParallelRender``)."""
        self.delegated: frozenset[str] = frozenset()
        """Pages (``src_uri``) a second process renders; the first of them waits for it."""
        self.collect: Callable[[], OutputStore | None] | None = None
        owner = self

        class Template(env.template_class):  # type: ignore[name-defined,misc]
            """A template whose top-level render may come from the store."""

            def render(self, *args: Any, **kwargs: Any) -> str:
                return owner.render(self, super().render, dict(*args, **kwargs))

        env.template_class = Template
        if env.cache is not None:  # templates loaded before now are of the old class
            env.cache.clear()

    def render(self, template: jinja2.Template, render: Callable[..., str],
               context: dict[str, Any]) -> str:
        """The page's HTML: kept from the last build when its key matches, else rendered."""
        page = context.get("page")
        if not (isinstance(page, Page) and page.active and page.file.src_uri in self._owned
                and template.name == page.meta.get("template", "main.html")):
            return render(context)
        try:
            key = self._key(page, context)
        except Unstable:
            return render(context)
        dest = page.file.dest_uri
        self.used.add(dest)
        html = self.store.get(dest, key)
        if html is not None:
            return html
        if self.collect is not None and page.file.src_uri in self.delegated:
            collect, self.collect = self.collect, None
            self.helper = collect()
        html = self.helper.get(dest, key) if self.helper is not None else None
        if html is None:
            html = render(context)
        self.store.put(dest, key, html)
        return html

    def owns(self, src_uri: str) -> bool:
        """Whether the page is one whose output may be kept (a post, session or listing)."""
        return src_uri in self._owned

    def save(self) -> None:
        """Keep this build's pages (after a successful build)."""
        self.store.save(self.used)

    def discard(self) -> None:
        """Keep the previous build's index (after a failed build)."""
        self.store.discard()

    def _key(self, page: Page, context: Mapping[str, Any]) -> str:
        src = page.file.src_uri
        post = self.site.by_src.get(src)
        nav = context.get("nav")
        own = _post_own(post) if post is not None else ""
        return digest(
            self._blog if src in self._posts else self._everything,
            self._nav_repr(nav), str(page.meta.get("template", "main.html")),
            str(context.get("base_url")), page.file.dest_uri, str(page.url),
            str(page.canonical_url), str(page.edit_url), str(page.is_homepage),
            str(page.title), page.content or "", stable_repr(_toc(page.toc)),
            stable_repr(page.meta), _place(page), own,
            stable_repr(sorted(k for k in context if k not in _STANDARD_CONTEXT)),
        )

    def _nav_repr(self, nav: Navigation | None) -> str:
        """The nav as built: every item's kind, title and URL (the same for every page)."""
        if nav is None:
            return ""
        if self._nav is None:
            self._nav = stable_repr(list(_nav_items(nav.items)))
        return self._nav


_STANDARD_CONTEXT = frozenset({"nav", "pages", "base_url", "extra_css", "extra_javascript",
                               "mkdocs_version", "build_date_utc", "config", "page",
                               "fireside_post", "fireside_page"})


def _nav_items(items: list[Any]) -> Iterator[Any]:
    for item in items:
        if isinstance(item, Section):
            yield ["section", str(item.title), list(_nav_items(item.children))]
        elif isinstance(item, Page):
            yield ["page", str(item.title), str(item.url), item.file.src_uri]
        elif isinstance(item, Link):
            yield ["link", str(item.title), str(item.url)]
        else:
            yield ["other", repr(item)]


def _place(page: Page) -> str:
    """Where the page sits in the nav: its ancestors and neighbours."""
    return stable_repr([
        [str(a.title) for a in page.ancestors],
        [None if p is None else [str(p.title), str(p.url)]
         for p in (page.previous_page, page.next_page)],
        page.parent is not None,
    ])


def _toc(items: Any) -> list[Any]:
    return [[str(i.title), str(i.id), int(i.level), _toc(i.children)] for i in items]


def _post_identity(site: Site, post: Post) -> str:
    """What a post shows on other posts' pages: front matter, title, URL, status."""
    return _repr([post.src_uri, post.url, post.title, post.slug, post.kind, post.meta,
                  post.status(site.options.now)])


def _post_summary(post: Post) -> str:
    """What listings and indexes show of a post beyond its identity."""
    return _repr([post.src_uri, post.excerpt, post.has_more, post.readtime, post.discussion,
                  post.qa])


def _post_own(post: Post) -> str:
    """What a post's own page shows beyond its front matter and converted body."""
    return _repr([post.readtime, post.has_more, post.excerpt, post.discussion, post.qa])


def _repr(value: object) -> str:
    text = repr(value)
    if " at 0x" in text:
        raise Unstable("a post holds a value with no stable text")
    return text


def _config_repr(config: MkDocsConfig) -> str:
    values = {k: v for k, v in config.items() if k not in _LOCAL_OPTIONS and k[0] != "_"}
    plugins = {name: [f"{type(p).__module__}.{type(p).__qualname__}",
                      {k: v for k, v in p.config.items()} if hasattr(p, "config") else None]
               for name, p in config.plugins.items()}
    theme = {"name": config.theme.name, **dict(config.theme.items())}
    return stable_repr([values, plugins, theme])


def _theme_dir(directory: str) -> str:
    """An installed theme's folder is named (its package version is in the key); any other
    folder (``custom_dir``) is fingerprinted file by file."""
    path = Path(directory).resolve()
    for root in _INSTALLED:
        if path.is_relative_to(root.resolve()):
            return path.relative_to(root.resolve()).as_posix()
    return _tree(path)


def _tree(root: Path) -> str:
    """Every file under ``root``: relative path and a digest of its bytes (not its mtime: a CI
    checkout gives every file a new one, and the restored cache must still apply)."""
    entries = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(names):
            path = Path(folder) / name
            try:
                data = path.read_bytes()
            except OSError:
                continue
            name_ = path.relative_to(root).as_posix()
            entries.append(f"{name_} {hashlib.sha256(data).hexdigest()}")
    return digest(*entries)
