"""MkDocs side of the web editor: adds ``/admin/`` (generated page and config, Decap's bundle).

The configuration itself is built by the engine-independent ``editor_config``; this module only
turns it into ``File.generated`` entries, so nothing is ever written into ``docs_dir``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel

from fireside.core.errors import BlogPluginError
from fireside.editor.decap_config import (
    DECAP_DIST,
    EDITOR_ASSETS,
    EDITOR_FILES,
    JS_YAML,
    JS_YAML_NAME,
    EditorAssetsMissing,
    EditorSettings,
    build_config,
    decap_assets,
    preview_data,
    render_config,
    render_index,
)

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

    from fireside.adapter.config import EditorConfig
    from fireside.core.site import Site

#: ``local`` turns the editor on in local mode for one run (``fireside edit`` sets it).
EDITOR_ENV = "FIRESIDE_EDITOR"
#: The port of ``decap-server`` for that run.
PROXY_PORT_ENV = "FIRESIDE_EDITOR_PROXY_PORT"


def editor_settings(options: EditorConfig, config: MkDocsConfig) -> EditorSettings | None:
    """The editor's settings, or ``None`` when it is off (the default).

    Raises:
        PluginError: When ``$FIRESIDE_EDITOR`` or its port has an unusable value.
    """
    mode = os.environ.get(EDITOR_ENV, "").strip()
    if mode not in ("", "local"):
        raise PluginError(f"fireside: ${EDITOR_ENV} is {mode!r}; expected 'local' or nothing")
    if not (options.enabled or mode):
        return None
    port = options.local_proxy_port
    raw_port = os.environ.get(PROXY_PORT_ENV)
    if mode and raw_port:
        if not raw_port.isdigit():
            raise PluginError(f"fireside: ${PROXY_PORT_ENV} is {raw_port!r}; expected a port")
        port = int(raw_port)
    if not options.backend.get("name"):
        raise PluginError("fireside: option 'editor.backend' needs a 'name' (gitlab, github, "
                          "azure, gitea …); see the README's 'For IT' section")
    return EditorSettings(
        backend=dict(options.backend),
        local_backend=options.local_backend or mode == "local",
        local_proxy_port=port,
        editorial_workflow=options.editorial_workflow,
        site_url=config.site_url or None,
        title=f"{config.site_name} editor",
    )


def add_editor_files(options: EditorConfig, config: MkDocsConfig, files: Files, site: Site,
                     *, project_dir: Path) -> None:
    """Add ``<path>/index.html``, ``<path>/config.yml`` and Decap's bundle when enabled.

    Raises:
        PluginError: When the bundle is missing (the message says to run ``npm ci``) or the
            content sits outside the repository.
    """
    settings = editor_settings(options, config)
    if settings is None:
        return
    base = options.path.strip("/") or "admin"
    try:
        decap = build_config(
            project_dir=project_dir, docs_dir=Path(config.docs_dir),
            posts_dir=site.options.posts_dir, authors=site.authors,
            categories=site.options.categories_allowed, settings=settings)
        assets = decap_assets(Path(options.npm_dir) / DECAP_DIST)
        js_yaml = Path(options.npm_dir) / JS_YAML
        if not js_yaml.is_file():
            raise EditorAssetsMissing(js_yaml)
    except BlogPluginError as exc:
        raise PluginError(f"fireside: {exc}") from None
    root = "../" * (base.count("/") + 1)  # from the editor's folder to the site's root
    preview = preview_data(site.authors, root=root, stylesheets=_stylesheets(config, root),
                           palette=_palette(config))
    for name, text in (("index.html", render_index(settings, preview)),
                       ("config.yml", render_config(decap))):
        _add(files, File.generated(config, f"{base}/{name}", content=text,
                                   inclusion=InclusionLevel.NOT_IN_NAV))
    served = {a.name: a for a in assets} | {n: EDITOR_ASSETS / n for n in EDITOR_FILES}
    served[JS_YAML_NAME] = js_yaml
    for name, asset in served.items():
        _add(files, File.generated(config, f"{base}/{name}", abs_src_path=str(asset),
                                   inclusion=InclusionLevel.NOT_IN_NAV))


def _stylesheets(config: MkDocsConfig, root: str) -> list[str]:
    """The site's stylesheets as the editor's folder reaches them (``../assets/…``).

    The theme's own are found in its folders (mkdocs-material names them with a hash); the
    site's ``extra_css`` (Fireside's stylesheet among them) follow.
    """
    found: list[str] = []
    for folder in config.theme.dirs:
        for name in ("main", "palette"):
            found += sorted(p.relative_to(folder).as_posix()
                            for p in Path(folder).glob(f"assets/stylesheets/{name}.*.min.css"))
    found += [str(css) for css in config.extra_css]
    return [root + path for path in dict.fromkeys(found)]


def _palette(config: MkDocsConfig) -> dict[str, str]:
    """``data-md-color-*`` attributes of the first palette (the light one in the demo)."""
    palette = config.theme.get("palette") or {}
    first = palette[0] if isinstance(palette, list) and palette else palette
    if not isinstance(first, dict):
        return {}
    names = {"scheme": first.get("scheme"), "primary": first.get("primary"),
             "accent": first.get("accent")}
    return {key: str(value).replace(" ", "-") for key, value in names.items() if value}


def _add(files: Files, file: File) -> None:
    if files.get_file_from_path(file.src_uri) is not None:
        raise PluginError(f"fireside: '{file.src_uri}' is both a file in docs_dir and part of "
                          "the web editor; remove the file or set 'editor.path'")
    files.append(file)
