"""The MkDocs adapter: hands MkDocs events to the engine-independent core."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Concatenate, Literal, ParamSpec, TypeVar, cast

from markupsafe import Markup
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel

from fireside.adapter.cached_render import CachedRender
from fireside.adapter.config import FiresideConfig
from fireside.adapter.editor import editor_files_for
from fireside.adapter.insights import add_insights_files
from fireside.adapter.page_outputs import PageOutputs
from fireside.adapter.parallel import ParallelConversion, ParallelRender, parallel_allowed
from fireside.adapter.settings import settings_from_config
from fireside.adapter.shared_nav import SharedNav
from fireside.core.errors import ConfigError, ContentError, FiresideError
from fireside.core.generated import GeneratedFile
from fireside.core.i18n import Translator
from fireside.core.links import anchor_to_root
from fireside.core.readtime import excerpt, readtime
from fireside.core.render_cache import CACHE_DIR, Unstable
from fireside.core.site import Site, site_from_settings
from fireside.digest.settings import digest_settings
from fireside.discussions.pages import attach_discussions, qa_index_src, qa_index_url
from fireside.discussions.qa import FEED_PATH as QA_FEED_PATH
from fireside.feeds.feedset import STYLESHEET_PATH, FeedOptions, FeedSet
from fireside.theme.helpers import Helpers, autoescaped
from fireside.theme.pagefix import add_to_head, name_search_dialog

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page
    from mkdocs.utils.templates import TemplateContext

log = get_plugin_logger(__name__)

THEME = Path(__file__).parent.parent / "theme"
TEMPLATES = THEME / "templates"
ASSETS = THEME / "assets"
CSS = "assets/fireside/fireside.css"
JS = "assets/fireside/fireside.js"


_P = ParamSpec("_P")
_R = TypeVar("_R")


def _reported(hook: Callable[Concatenate[FiresidePlugin, _P], _R],
              ) -> Callable[Concatenate[FiresidePlugin, _P], _R]:
    """The hook boundary: a ``FiresideError`` becomes MkDocs' ``PluginError``, whose message
    is the whole report (no traceback); anything else is a bug and keeps its traceback."""

    @functools.wraps(hook)
    def wrapper(self: FiresidePlugin, /, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        try:
            return hook(self, *args, **kwargs)
        except FiresideError as exc:
            raise PluginError(f"fireside: {exc}") from None

    return wrapper


class FiresidePlugin(BasePlugin[FiresideConfig]):
    """Builds the leadership blog: post pages, listings, and (via later stages) feeds and Q&A."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.is_serve = False
        self.translator = Translator()
        self.has_qa_feed = False
        self.site: Site | None = None
        self.feeds: FeedSet | None = None
        self.feed_files: dict[str, File] = {}
        self.render_cache: CachedRender | None = None
        self.page_outputs: PageOutputs | None = None
        self.parallel: ParallelConversion | None = None
        self.parallel_render: ParallelRender | None = None
        self.nav: Navigation | None = None
        self.helpers: Helpers | None = None

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"],
                   dirty: bool) -> None:
        """Remember whether this is a preview, where drafts are shown marked."""
        self.is_serve = command == "serve"

    @_reported
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        """Validate options, reset per-build state and register templates and assets."""
        self.site = None
        if not self.config.enabled:
            return config
        self.settings = settings_from_config(self.config, config)
        self.translator = Translator(config.theme.get("language"), warn=log.warning)
        # The build does not send the digest, but a wrong option fails it early.
        digest_settings(self.config.digest, config_dir=self.settings.project_dir)
        # After the user's custom_dir, before the theme: user overrides still win.
        dirs = config.theme.dirs
        custom = config.theme.custom_dir
        position = 1 if custom and dirs and Path(dirs[0]) == Path(custom) else 0
        if str(TEMPLATES) not in dirs:
            dirs.insert(position, str(TEMPLATES))
        for asset, target in ((CSS, config.extra_css), (JS, config.extra_javascript)):
            if asset not in [str(x) for x in target]:
                target.append(asset)
        self.render_cache = self.page_outputs = None
        if self.config.cache:
            try:
                self.render_cache = CachedRender(config, self.settings.project_dir)
            except Unstable as exc:
                log.info("building without the render cache: %s", exc)
        return config

    @event_priority(50)  # early: other plugins (search) must see our generated pages
    @_reported
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        """Read the content, place posts at their URLs and add the generated pages."""
        if not self.config.enabled:
            return files
        site = site_from_settings(self.settings, preview=self.is_serve)
        errors = [p for p in site.problems if p.severity == "error"]
        if errors:
            raise ContentError(errors)
        for problem in site.problems:
            log.warning("%s", problem)
        self.site = site
        self._place_posts(files, config, site)
        self._generate_listings(files, config, site)
        # Before the feeds: they read each post's ``discussion``.
        attached = attach_discussions(site, self.settings.discussions,
                                      site_url=config.site_url, site_name=config.site_name,
                                      translator=self.translator, cache_dir=(
                                          self.settings.project_dir / CACHE_DIR
                                          if self.config.cache else None))
        for level, message in attached.notes:
            log.log(level, "%s", message)
        _add_generated(files, config, attached.files)
        self.has_qa_feed = files.get_file_from_path(qa_index_url(site) + QA_FEED_PATH) is not None
        add_insights_files(self.config, config, files, site,
                           discussions=self.settings.discussions)
        self._generate_feeds(files, config, site)
        if self.feeds is not None and self.has_qa_feed:
            t = self.translator.t
            self.feeds.add_qa(qa_index_url(site), name=t("New sessions and answers"),
                              title=f"{config.site_name}: {t('Q&A')}")
        self._add_editor(files, config, site)
        for asset in (CSS, JS):
            files.append(File.generated(config, asset, abs_src_path=str(ASSETS / Path(asset).name),
                                        inclusion=InclusionLevel.NOT_IN_NAV))
        return files

    def _add_editor(self, files: Files, config: MkDocsConfig, site: Site) -> None:
        _add_generated(files, config, editor_files_for(self.config.editor, config, site,
                                                       self.settings))

    def _place_posts(self, files: Files, config: MkDocsConfig, site: Site) -> None:
        shown = {p.src_uri for p in site.posts} | {s.src_uri for s in site.sessions}
        for src_uri, post in site.by_src.items():
            file = files.get_file_from_path(src_uri)
            if file is None:
                continue
            if src_uri not in shown:
                file.inclusion = InclusionLevel.EXCLUDED
                continue
            file.inclusion = (InclusionLevel.DRAFT if self.is_serve and Helpers(site).status(post)
                              else InclusionLevel.NOT_IN_NAV)
            self._set_url(file, post.url, config)

    @staticmethod
    def _set_url(file: File, url: str, config: MkDocsConfig) -> None:
        if config.use_directory_urls:
            file.dest_uri = url + "index.html"
            file.url = url
        else:
            file.dest_uri = (url.rstrip("/") or "index") + ".html"
            file.url = file.dest_uri
        file.abs_dest_path = str(Path(config.site_dir) / file.dest_uri)

    def _generate_listings(self, files: Files, config: MkDocsConfig, site: Site) -> None:
        for src_uri, page in site.pages_by_src.items():
            existing = files.get_file_from_path(src_uri)
            if existing is not None:  # a hand-written index.md becomes the listing's header
                continue
            title = page.listing.title
            if page.listing.kind == "overview":  # Archive, Categories, Tags, Authors
                title = self.translator.t(title)
            front = (f"---\ntitle: {_yaml_str(title)}\n"
                     "template: fireside/listing.html\nsearch:\n  exclude: true\n---\n")
            inclusion = (InclusionLevel.INCLUDED if page.listing.kind == "index"
                         and page.number == 1 else InclusionLevel.NOT_IN_NAV)
            files.append(File.generated(config, src_uri, content=front, inclusion=inclusion))

    def _generate_feeds(self, files: Files, config: MkDocsConfig, site: Site) -> None:
        """Add the feed files, the OPML file, the XSL stylesheet and the Subscribe page.

        Feed bytes need every post's HTML, which exists only after all pages are converted, so
        the files are created empty here (other plugins see them, nothing goes into docs_dir)
        and filled in ``on_env``: MkDocs 1.6 calls it after converting every page and before
        copying files (``mkdocs/commands/build.py``).
        """
        self.feeds, self.feed_files = None, {}
        if not self.config.feeds.enabled:
            return
        if not config.site_url:
            log.warning("feeds need absolute links: set 'site_url' in mkdocs.yml, or turn "
                        "feeds off with 'feeds: {enabled: false}' under the fireside plugin")
            return
        self.feeds = feeds = FeedSet(site, _feed_options(self.config, config),
                                     site_url=config.site_url, translator=self.translator)
        for path in feeds.feed_paths():  # check all first: each append resets Files' lookup
            if files.get_file_from_path(path) is not None:
                raise ConfigError(f"the feed file '{path}' is also a file in "
                                  f"docs_dir; rename or remove that file")
        for path in feeds.feed_paths():
            self.feed_files[path] = File.generated(config, path, content=b"",
                                                   inclusion=InclusionLevel.NOT_IN_NAV)
            files.append(self.feed_files[path])
        if self.config.feeds.stylesheet:
            files.append(File.generated(config, STYLESHEET_PATH,
                                        abs_src_path=str(ASSETS / "feed.xsl"),
                                        inclusion=InclusionLevel.NOT_IN_NAV))
        if feeds.subscribe_path and files.get_file_from_path(feeds.subscribe_path) is None:
            files.append(File.generated(config, feeds.subscribe_path,
                                        content=feeds.subscribe_markdown(
                                            self.translator.t("Subscribe")),
                                        inclusion=InclusionLevel.INCLUDED))

    @event_priority(-100)  # last: every plugin's nav is final when the second process forks
    def on_nav(self, nav: Navigation, *, config: MkDocsConfig,
               files: Files) -> Navigation | None:
        """Convert half of the pages in a second process, where that is safe (``parallel.py``)."""
        self.parallel, self.nav = None, nav
        if self.render_cache is None or not self.config.enabled:
            return nav
        reason = parallel_allowed(config, serving=self.is_serve)
        if reason is not None:
            log.debug("converting pages in one process: %s", reason)
            return nav
        parallel = ParallelConversion(self.render_cache)
        parallel.start(config, files)
        self.parallel = parallel if parallel.pages else None
        return nav

    def on_pre_page(self, page: Page, *, config: MkDocsConfig, files: Files) -> Page | None:
        """Let the render cache answer before the page is converted."""
        if self.render_cache is not None:
            self.render_cache.wrap(page, config)
        return page

    @event_priority(100)  # before search writes its index: what is released here is reused
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Keep this build's conversions and pages for the next one, then let them go."""
        self._end_build(succeeded=True)
        if self.helpers is not None:
            self.helpers.release()

    def on_build_error(self, *, error: Exception) -> None:
        """A failed build leaves the caches as they were."""
        self._end_build(succeeded=False)

    def _end_build(self, *, succeeded: bool) -> None:
        if self.parallel is not None:
            self.parallel.end(succeeded=succeeded)
        if self.parallel_render is not None:
            self.parallel_render.end()
        for cache in (self.render_cache, self.page_outputs):
            if cache is None:
                continue
            if succeeded:
                cache.save()
            else:
                cache.discard()
        self.parallel = self.parallel_render = None
        self.render_cache = self.page_outputs = None  # per build; peak memory comes next

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig,
                         files: Files) -> str | None:
        """Pick the template; drop a leading ``# Title`` the byline header repeats."""
        if self.site is None:
            return markdown
        src = page.file.src_uri
        post = self.site.by_src.get(src)
        if post is not None:
            template = "qa.html" if post.kind == "qa" else "post.html"
            page.meta["template"] = f"fireside/{template}"
            # Material prints these unescaped (<title>, header, <meta>, search): escape them, as
            # Markup, so its templates and our autoescaping ones both show the text once.
            page.meta["title"] = Markup.escape(post.title)
            if post.meta.description:
                page.meta["description"] = Markup.escape(post.meta.description)
            if post.meta.tags:  # Material's search renders tags as HTML
                page.meta["tags"] = [Markup.escape(tag) for tag in post.meta.tags]
            return _LEADING_H1.sub("", markdown, count=1)
        if src in self.site.pages_by_src:
            page.meta["template"] = "fireside/listing.html"
            if page.file.generated_by:  # a hand-written index.md is the author's own page
                page.meta["title"] = Markup.escape(self.site.pages_by_src[src].listing.title)
            page.meta.setdefault("search", {"exclude": True})
        return markdown

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig,
                        files: Files) -> str | None:
        """Keep each post's one render: the excerpt and reading time come from it."""
        if self.site is None:
            return html
        post = self.site.by_src.get(page.file.src_uri)
        if post is not None:
            post.html = html
            wpm = self.site.options.words_per_minute

            def summary() -> list[Any]:
                text, more = excerpt(html)
                return [anchor_to_root(text, post.url), more, readtime(html, wpm)]

            values = (self.render_cache.memoize(page, "summary", (html, post.url, str(wpm)),
                                                summary) if self.render_cache else summary())
            post.excerpt, post.has_more, minutes = values
            post.readtime = post.meta.readtime or minutes
        return html

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        """Expose the blog to templates as ``fireside``."""
        if self.render_cache is not None:
            self.render_cache.compile_templates_once(env)
        if self.feeds is not None:  # every page is converted now: fill in the feed files
            built = {p.src_uri: f.url for p in self.feeds.site.posts
                     if (f := files.get_file_from_path(p.src_uri)) is not None}
            for path, data in self.feeds.render(built).items():
                self.feed_files[path].content_bytes = data
        # Our templates escape every value unless it is Markup; Material's stay as they are.
        previous = env.autoescape
        env.autoescape = lambda name: autoescaped(name) or (
            previous(name) if callable(previous) else bool(previous))
        shared_nav = SharedNav(env, config, TEMPLATES)
        if shared_nav.enabled:
            env.globals["fireside_shared_nav"] = shared_nav
        if self.site is not None:
            self.helpers = helpers = Helpers(self.site, env, self.translator, feeds=self.feeds)
            env.globals["fireside"] = helpers
            env.filters["fireside_html"] = lambda html, base: Markup(helpers.html(html, base))
            if self.render_cache is not None:
                try:
                    self.page_outputs = PageOutputs(
                        config, env, self.site, files, self.settings.project_dir,
                        self.render_cache.environment)
                except Unstable as exc:
                    log.info("rendering every page (no reuse of earlier output): %s", exc)
            self.parallel_render = None
            if (self.page_outputs is not None and self.nav is not None
                    and parallel_allowed(config, serving=self.is_serve) is None):
                self.parallel_render = ParallelRender(self.page_outputs)
                self.parallel_render.start(config, files, self.nav, env, self)
        return env

    def on_page_context(self, context: TemplateContext, *, page: Page, config: MkDocsConfig,
                        nav: Navigation) -> TemplateContext | None:
        """Hand the post or listing page behind this page to its template."""
        if self.site is None:
            return context
        for file in self.feed_files.values():  # copied to site_dir before the first page
            file.content_bytes = b""  # only the copy on disk is needed now (peak memory)
        src = page.file.src_uri
        extra = cast("dict[str, Any]", context)  # TemplateContext is open to plugins' keys
        extra["fireside_post"] = self.site.by_src.get(src)
        extra["fireside_page"] = self.site.pages_by_src.get(src)
        return context

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str | None:
        """Announce the blog's feeds (and the page's own) in ``<head>``; name the search dialog."""
        if self.site is None:
            return output
        output = name_search_dialog(output, self.translator.t("Search"))
        if self.feeds is None:
            return output
        src = page.file.src_uri
        listed = self.site.pages_by_src.get(src)
        links = (self.feeds.head_links(listed.listing.kind, listed.listing.key) if listed
                 else self.feeds.head_links())
        post = self.site.by_src.get(src)
        if (post is not None and post.kind == "qa") or src == qa_index_src(self.site):
            links += self.feeds.qa_link()
        return add_to_head(output, links)

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig,
                 builder: Any) -> LiveReloadServer | None:
        """Rebuild when the snapshots change too (default folder included)."""
        snapshots = Path(self.config.discussions.snapshots)
        if self.config.enabled and self.config.discussions.enabled and snapshots.is_dir():
            server.watch(str(snapshots))
        return server


_LEADING_H1 = re.compile(r"\A\s*#[ \t]+[^\n]*\n")


def _feed_options(config: FiresideConfig, mkdocs_config: MkDocsConfig) -> FeedOptions:
    feeds = config.feeds
    return FeedOptions(
        formats=tuple(dict.fromkeys(feeds.formats)), blog=feeds.blog, authors=feeds.authors,
        categories=feeds.categories, items=feeds.max_items, author_emails=feeds.author_emails,
        full_content=feeds.full_content, title=feeds.title or mkdocs_config.site_name,
        description=feeds.description or mkdocs_config.site_description or "",
        language=mkdocs_config.theme.get("language"), stylesheet=feeds.stylesheet,
        opml=feeds.opml, subscribe=feeds.subscribe_page,
    )


def _add_generated(files: Files, config: MkDocsConfig,
                   generated: Iterable[GeneratedFile]) -> None:
    """Add the core's generated files; a docs file of the same path wins or is an error."""
    for item in generated:
        if files.get_file_from_path(item.src_uri) is not None:
            if item.yields_to_docs:
                continue
            raise ConfigError(f"'{item.src_uri}' is both a file in docs_dir and "
                              f"{item.conflict_hint or 'generated by fireside; remove the file'}")
        inclusion = (InclusionLevel.INCLUDED if item.listed == "listed"
                     else InclusionLevel.NOT_IN_NAV)
        if item.source is not None:
            file = File.generated(config, item.src_uri, abs_src_path=str(item.source),
                                  inclusion=inclusion)
        else:
            file = File.generated(config, item.src_uri, content=item.content or "",
                                  inclusion=inclusion)
        files.append(file)


def _yaml_str(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
