"""The web editor's MkDocs side: its options and the theme's stylesheets and palette."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from fireside.core.generated import GeneratedFile
from fireside.editor.files import editor_files, editor_settings

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

    from fireside.adapter.config import EditorConfig
    from fireside.core.settings import Settings
    from fireside.core.site import Site


def editor_files_for(options: EditorConfig, config: MkDocsConfig, site: Site,
                     settings: Settings) -> list[GeneratedFile]:
    """The editor's generated files, or none when it is off.

    Raises:
        FiresideError: An unusable option or environment variable, or a missing bundle.
    """
    editor = editor_settings(
        enabled=options.enabled, local_backend=options.local_backend,
        local_proxy_port=options.local_proxy_port, backend=options.backend,
        editorial_workflow=options.editorial_workflow, site_url=config.site_url,
        site_name=config.site_name)
    if editor is None:
        return []
    return editor_files(editor, site, path=options.path, npm_dir=Path(options.npm_dir),
                        project_dir=settings.project_dir, docs_dir=settings.docs_dir,
                        stylesheets=_stylesheets(config), palette=_palette(config))


def _stylesheets(config: MkDocsConfig) -> list[str]:
    """The site's stylesheets, site-relative.

    The theme's own are found in its folders (mkdocs-material names them with a hash); the
    site's ``extra_css`` (Fireside's stylesheet among them) follow.
    """
    found: list[str] = []
    for folder in config.theme.dirs:
        for name in ("main", "palette"):
            found += sorted(p.relative_to(folder).as_posix()
                            for p in Path(folder).glob(f"assets/stylesheets/{name}.*.min.css"))
    found += [str(css) for css in config.extra_css]
    return list(dict.fromkeys(found))


def _palette(config: MkDocsConfig) -> dict[str, str]:
    """``data-md-color-*`` attributes of the first palette (the light one in the demo)."""
    palette = config.theme.get("palette") or {}
    first = palette[0] if isinstance(palette, list) and palette else palette
    if not isinstance(first, dict):
        return {}
    names = {"scheme": first.get("scheme"), "primary": first.get("primary"),
             "accent": first.get("accent")}
    return {key: str(value).replace(" ", "-") for key, value in names.items() if value}
