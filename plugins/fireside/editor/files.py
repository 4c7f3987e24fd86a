"""The web editor's files: ``/admin/`` (its page and config, and Decap's bundle).

The configuration itself is built by ``decap_config``; this module lists the generated files,
which the adapter adds to the site, so nothing is ever written into ``docs_dir``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fireside.core.errors import ConfigError
from fireside.core.generated import GeneratedFile
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
    from fireside.core.site import Site

#: ``local`` turns the editor on in local mode for one run (``fireside edit`` sets it).
EDITOR_ENV = "FIRESIDE_EDITOR"
#: The port of ``decap-server`` for that run.
PROXY_PORT_ENV = "FIRESIDE_EDITOR_PROXY_PORT"

_CONFLICT = "part of the web editor; remove the file or set 'editor.path'"


def editor_settings(*, enabled: bool, local_backend: bool, local_proxy_port: int,
                    backend: Mapping[str, Any], editorial_workflow: bool,
                    site_url: str | None, site_name: str,
                    env: Mapping[str, str] = os.environ) -> EditorSettings | None:
    """The editor's settings from its options, or ``None`` when it is off (the default).

    Raises:
        ConfigError: When ``$FIRESIDE_EDITOR`` or its port has an unusable value, or the
            backend has no name.
    """
    mode = env.get(EDITOR_ENV, "").strip()
    if mode not in ("", "local"):
        raise ConfigError(f"${EDITOR_ENV} is {mode!r}; expected 'local' or nothing")
    if not (enabled or mode):
        return None
    port = local_proxy_port
    raw_port = env.get(PROXY_PORT_ENV)
    if mode and raw_port:
        if not raw_port.isdigit():
            raise ConfigError(f"${PROXY_PORT_ENV} is {raw_port!r}; expected a port")
        port = int(raw_port)
    if not backend.get("name"):
        raise ConfigError("option 'editor.backend' needs a 'name' (gitlab, github, azure, "
                          "gitea …); see the README's 'For IT' section")
    return EditorSettings(
        backend=dict(backend),
        local_backend=local_backend or mode == "local",
        local_proxy_port=port,
        editorial_workflow=editorial_workflow,
        site_url=site_url or None,
        title=f"{site_name} editor",
    )


def editor_files(settings: EditorSettings, site: Site, *, path: str, npm_dir: Path,
                 project_dir: Path, docs_dir: Path, stylesheets: Sequence[str] = (),
                 palette: Mapping[str, str] | None = None) -> list[GeneratedFile]:
    """``<path>/index.html``, ``<path>/config.yml``, Decap's bundle and the editor's assets.

    ``stylesheets`` (site-relative) and ``palette`` (Material's ``data-md-color-*`` values)
    style the preview as the site.

    Raises:
        FiresideError: When the bundle is missing (the message says to run ``npm ci``) or the
            content sits outside the repository.
    """
    base = path.strip("/") or "admin"
    decap = build_config(
        project_dir=project_dir, docs_dir=docs_dir, posts_dir=site.options.posts_dir,
        authors=site.authors, categories=site.options.categories_allowed, settings=settings)
    assets = decap_assets(npm_dir / DECAP_DIST)
    js_yaml = npm_dir / JS_YAML
    if not js_yaml.is_file():
        raise EditorAssetsMissing(js_yaml)
    root = "../" * (base.count("/") + 1)  # from the editor's folder to the site's root
    preview = preview_data(site.authors, root=root,
                           stylesheets=[root + css for css in stylesheets],
                           palette=dict(palette or {}))
    pages = [GeneratedFile(f"{base}/{name}", text, conflict_hint=_CONFLICT)
             for name, text in (("index.html", render_index(settings, preview)),
                                ("config.yml", render_config(decap)))]
    served = {a.name: a for a in assets} | {n: EDITOR_ASSETS / n for n in EDITOR_FILES}
    served[JS_YAML_NAME] = js_yaml
    return pages + [GeneratedFile(f"{base}/{name}", source=asset, conflict_hint=_CONFLICT)
                    for name, asset in served.items()]
