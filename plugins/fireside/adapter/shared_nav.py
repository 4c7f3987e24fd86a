"""Material's primary navigation, rendered once per build for the pages outside the nav.

Every page of a Material site renders the whole navigation sidebar (``partials/nav.html``). For a
page that is not in the nav (every post, every listing page after the first) that HTML depends
only on the nav, the configuration and the URLs the ``url`` filter writes relative to the page.
Fireside's own ``partials/nav.html`` hands the rendering to :class:`SharedNav`, which renders
Material's partial once for each distinct set of those relative URLs and reuses the text.

The reuse is exact: the key holds every URL the partial can write (each nav item's, the home
page's and the logo's, each made relative to the page just as the filter does) and the page's
``base_url``. It is off, and the partial is rendered every time, when the page is in the nav, or
when a theme folder before Material's overrides one of the partials the nav includes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import ChoiceLoader, FileSystemLoader, PrefixLoader, TemplateNotFound
from markupsafe import Markup
from mkdocs.structure.nav import Link, Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.utils import normalize_url

if TYPE_CHECKING:
    from jinja2 import BaseLoader, Environment
    from mkdocs.config.defaults import MkDocsConfig

__all__ = ["NEXT_PREFIX", "SharedNav"]

NEXT_PREFIX = "fireside-next"
"""Template names under this prefix resolve in the theme folders after Fireside's own."""
#: The partials Material's nav renders for a page outside the nav.
_NAV_PARTIALS = ("partials/nav.html", "partials/nav-item.html", "partials/logo.html",
                 "partials/source.html")


class SharedNav:
    """Renders Material's nav partial once per distinct key in a build."""

    def __init__(self, env: Environment, config: MkDocsConfig, templates: Path) -> None:
        """Let ``fireside-next/…`` reach the theme folders after ``templates`` (Fireside's own).

        Arguments:
            env: The build's Jinja environment (its loader is extended).
            config: The MkDocs configuration.
            templates: Fireside's template folder, one of ``config.theme.dirs``.
        """
        dirs = [str(d) for d in config.theme.dirs]
        after = dirs[dirs.index(str(templates)) + 1:] if str(templates) in dirs else dirs
        loader: BaseLoader = env.loader or FileSystemLoader(dirs)
        env.loader = ChoiceLoader([loader, PrefixLoader({NEXT_PREFIX: FileSystemLoader(after)})])
        self.config = config
        self.enabled = bool(after) and all(
            _origin(loader, name) == _origin(FileSystemLoader(after), name)
            for name in _NAV_PARTIALS[1:])
        """Off when a folder before Fireside's (``custom_dir``) overrides a partial of the nav."""
        self._rendered: dict[tuple[str, ...], Markup] = {}

    def __call__(self, page: Page | None, nav: Navigation | None, base_url: str,
                 render: Callable[[], Any]) -> Markup:
        """The nav HTML for ``page``: ``render()``'s, or the same text kept from a page whose
        every nav URL comes out the same."""
        if not (self.enabled and isinstance(page, Page) and nav is not None) or _in_nav(page, nav):
            return Markup(render())
        urls = [*_urls(nav.items), str(self.config.extra.get("homepage")),
                str(self.config.theme.get("logo")),
                nav.homepage.url if nav.homepage else ""]
        key = (base_url, *(normalize_url(url, page=page, base=base_url) for url in urls))
        html = self._rendered.get(key)
        if html is None:
            html = self._rendered[key] = Markup(render())
        return html


def _in_nav(page: Page, nav: Navigation) -> bool:
    return page.parent is not None or any(page is other for other in nav.pages)


def _urls(items: list[Any]) -> Iterator[str]:
    for item in items:
        if isinstance(item, Section):
            yield from _urls(item.children)
        elif isinstance(item, Page | Link):
            yield str(item.url)


def _origin(loader: BaseLoader, name: str) -> str | None:
    """The file ``name`` loads from (``None`` when no folder has it)."""
    try:
        return loader.get_source(None, name)[1]  # type: ignore[arg-type]  # env is unused
    except TemplateNotFound:
        return None
