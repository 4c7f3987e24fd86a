"""The web editor (Decap CMS), generated from Fireside's own schema. No MkDocs import.

Decap's ``config.yml`` is never kept by hand: ``build_config`` derives the ``posts`` collection
from ``schema.POST_FIELDS`` (one widget per field kind), the author select from
``.authors.yml`` and the category select from the ``categories_allowed`` allow-list. A field of
the schema is either mapped here or listed in ``HIDDEN_FIELDS`` with the reason, and a test
holds that, so a new front-matter field cannot silently miss the editor.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from fireside.core.errors import BlogPluginError
from fireside.core.schema import POST_FIELDS, Author, Field
from fireside.discussions.platforms import PLATFORMS, Registry

__all__ = [
    "DECAP_DIST",
    "EDITOR_ASSETS",
    "EDITOR_FILES",
    "HIDDEN_FIELDS",
    "JS_YAML",
    "JS_YAML_NAME",
    "NO_WORKFLOW_BACKENDS",
    "EditorAssetsMissing",
    "EditorSettings",
    "build_config",
    "decap_assets",
    "find_repo_root",
    "preview_data",
    "render_config",
    "render_index",
]

#: Where ``npm ci`` puts Decap's prebuilt bundle, relative to the project.
DECAP_DIST = PurePosixPath("node_modules/decap-cms/dist")
#: js-yaml's browser build (pinned in package.json): editor.js reads and writes front matter.
JS_YAML = PurePosixPath("node_modules/js-yaml/dist/browser/js-yaml.umd.min.js")
JS_YAML_NAME = "js-yaml.min.js"
#: The editor's entry script; webpack loads its chunks and WebAssembly from the same folder.
DECAP_SCRIPT = "decap-cms.js"
#: Fireside's own editor files (stylesheet, preview and locale script), served beside Decap.
EDITOR_ASSETS = Path(__file__).parent / "assets"
EDITOR_FILES = ("editor.css", "editor.js")
#: The local backend proxy started by ``fireside edit`` (``decap-server``).
LOCAL_PROXY_PORT = 8081

#: Decap backends without the editorial workflow (Decap's gitea backend refuses to start with
#: it): they get ``publish_mode: simple``, and review happens in the host's pull requests.
NO_WORKFLOW_BACKENDS = frozenset({"gitea"})

#: Schema fields the editor leaves out, and why (they keep working when written by hand).
HIDDEN_FIELDS: Mapping[str, str] = {
    "slug": "the file name already carries the slug Decap derives from the title",
    "readtime": "computed by the build; an override is rare",
    "links": "mkdocs-material compatibility only; no form widget fits it",
}

#: The collection's file format: ``editor.js`` registers it with Decap. It reads and writes
#: front matter as ``fireside new`` writes it (flow lists, no line wrapping, the file's own key
#: order), shows a ``{created, updated}`` date as two fields, and marks drafts and scheduled posts.
FORMAT = "fireside-frontmatter"

#: Labels shown in the form.
_LABELS = {
    "title": "Title", "date": "Publication date and time", "authors": "Authors",
    "categories": "Categories", "tags": "Tags", "description": "Summary",
    "draft": "Draft (not published yet)", "pin": "Pin to the top of the blog",
    "discussion": "Discussion thread", "comments": "Show the discussion",
}
_DISCUSSION_HINT = ("Paste the link of the post's conversation on "
                    f"{' or '.join(p.display_name for p in PLATFORMS.values())}, copied from "
                    "the browser's address bar. Leave it empty if there is none yet.")
#: Help under each field, for people who have never seen the file behind the form.
_HINTS = {
    "title": "The headline, as readers will see it.",
    "date": "When the post appears on the blog. A time in the future schedules it: it stays "
            "hidden until then.",
    "authors": "Who the post is from. Choose one or more leaders.",
    "categories": "The topics readers can follow. Choose at least one.",
    "tags": "Optional keywords, one per entry (for example q3 or hybrid working).",
    "description": "One sentence that makes colleagues want to read on. It appears on the "
                   "blog's front page and in Outlook and Teams.",
    "draft": "Switched on, the post is kept back: it is saved but not published.",
    "pin": "Keeps this post at the top of the blog's front page.",
    "comments": "Shows the conversation from the discussion platform under the post.",
}


class EditorAssetsMissing(BlogPluginError):
    """The editor is enabled but Decap's JavaScript has not been installed."""

    def __init__(self, missing: Path) -> None:
        self.missing = missing
        super().__init__(
            f"the web editor is enabled but {missing} is missing: run 'npm ci' in "
            "the folder holding package.json (or set 'editor: {enabled: false}')")


@dataclass(frozen=True)
class EditorSettings:
    """How the generated editor talks to git (a plain mirror of the ``editor`` options)."""

    backend: Mapping[str, Any] = field(
        default_factory=lambda: {"name": "git-gateway", "branch": "main"})
    """Decap's ``backend`` block for team mode (``name``, ``repo``, ``branch`` …)."""
    local_backend: bool = False
    """Talk to ``decap-server`` on this machine instead of the git host."""
    local_proxy_port: int = LOCAL_PROXY_PORT
    """The port ``decap-server`` listens on."""
    editorial_workflow: bool = True
    """Team mode: every post goes through Draft, In review, Ready before it is merged."""
    site_url: str | None = None
    """The published site, for the editor's "view live" links."""
    title: str = "Fireside editor"
    """The browser tab's title."""


def find_repo_root(project_dir: Path) -> Path:
    """The git work tree holding ``project_dir`` (Decap's paths are relative to it), else itself."""
    project_dir = project_dir.resolve()
    for folder in (project_dir, *project_dir.parents):
        if (folder / ".git").exists():
            return folder
    return project_dir


def _rel(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError as exc:
        raise BlogPluginError(f"the web editor needs {path} inside the repository {root}") \
            from exc


def _hint(f: Field) -> str:
    return _HINTS.get(f.name) or f.doc.replace("`", "")


def _authors_widget(f: Field, authors: Mapping[str, Author], _: frozenset[str] | None
                    ) -> dict[str, Any]:
    options = [{"label": f"{a.name} ({a.description})" if a.description else a.name,
                "value": key} for key, a in sorted(authors.items())]
    return {"widget": "select", "multiple": True, "min": 1, "options": options}


def _strings_widget(f: Field, _: Mapping[str, Author], categories: frozenset[str] | None
                    ) -> dict[str, Any]:
    if f.name == "categories" and categories is not None:
        return {"widget": "select", "multiple": True, "options": sorted(categories),
                "default": []}
    return {"widget": "list", "default": []}


def _discussion_widget(f: Field, _: Mapping[str, Author], __: frozenset[str] | None
                       ) -> dict[str, Any]:
    return {"widget": "string", "hint": _DISCUSSION_HINT,
            "pattern": [discussion_pattern(Registry()),
                        "Paste the conversation's link, copied from the browser's address bar"]}


def discussion_pattern(registry: Registry) -> str:
    """A JavaScript-compatible pattern for one ``discussion:`` link, from the registry."""
    hosts = sorted({h for p in registry.platforms.values() for h in registry.hosts(p)})
    host = "|".join(re.escape(h) for h in hosts)
    short = "|".join(f"{re.escape(p.name)}:{p.id_pattern}" for p in registry.platforms.values())
    return rf"^(https?://([^/?#\s]*\.)?({host})([/?#:]\S*)?|{short})$"


def _bool_widget(f: Field, _: Mapping[str, Author], __: frozenset[str] | None
                 ) -> dict[str, Any]:
    return {"widget": "boolean", "default": f.name == "comments"}


WidgetFactory = Callable[[Field, Mapping[str, Author], "frozenset[str] | None"], dict[str, Any]]

#: One Decap widget per schema kind.
_WIDGETS: Mapping[str, WidgetFactory] = {
    "string": lambda f, _a, _c: {"widget": "string"},
    "text": lambda f, _a, _c: {"widget": "text"},
    # Naive local time, the form the schema reads in the site's time zone ("2026-03-14 09:30").
    "date": lambda f, _a, _c: {"widget": "datetime", "format": "YYYY-MM-DD HH:mm",
                               "date_format": "YYYY-MM-DD", "time_format": "HH:mm",
                               "picker_utc": False, "default": "{{now}}"},
    "authors": _authors_widget,
    "strings": _strings_widget,
    "bool": _bool_widget,
    "discussion": _discussion_widget,
}


def _post_fields(authors: Mapping[str, Author], categories: frozenset[str] | None,
                 fields: Iterable[Field]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for f in fields:
        if f.name in HIDDEN_FIELDS:
            continue
        factory = _WIDGETS.get(f.kind)
        if factory is None:
            raise BlogPluginError(f"the web editor has no widget for field {f.name!r} of kind "
                                  f"{f.kind!r}; map it in editor_config or list it in "
                                  "HIDDEN_FIELDS")
        widget = {"label": _LABELS.get(f.name, f.name.title()), "name": f.name,
                  "hint": _hint(f), **factory(f, authors, categories)}
        # The title is optional in the schema (a `# heading` may stand in) but the form is the
        # only place to give one, and Decap derives the file name from it.
        widget["required"] = f.required or f.name == "title"
        out.append(widget)
        if f.name == "date":  # a `{created, updated}` date shows as two fields (editor.js)
            out.append({**widget, "label": "Last updated (optional)", "name": "updated",
                        "required": False, "default": "",
                        "hint": "Only if you change the post after it appeared: when you did."})
    out.append({"label": "Body", "name": "body", "widget": "markdown",
                # Markdown first: in rich text, Decap escapes Markdown typed by hand (**bold**
                # is saved as \*\*bold\*\*) and rewrites the whole body on every save.
                "modes": ["raw", "rich_text"],
                # Decap renders hints as Markdown: the backslashes show the stars themselves.
                "hint": "Write the post: \\*\\*bold\\*\\*, \\*italic\\*, ## for a heading, "
                        "- for a list. A line with <!-- more --> ends the opening shown on the "
                        "front page."})
    return out


def build_config(*, project_dir: Path, docs_dir: Path, posts_dir: str,
                 authors: Mapping[str, Author], categories: frozenset[str] | None,
                 settings: EditorSettings) -> dict[str, Any]:
    """Return Decap's configuration for the blog's posts.

    Arguments:
        project_dir: The folder holding ``mkdocs.yml``.
        docs_dir: The content folder.
        posts_dir: The posts folder inside ``docs_dir``.
        authors: ``.authors.yml``, validated; the author select offers these keys.
        categories: The allow-list, or ``None`` for free categories.
        settings: Backend and workflow.

    Raises:
        BlogPluginError: When the content sits outside the repository or a schema field has
            no widget.
    """
    root = find_repo_root(project_dir)
    docs = _rel(docs_dir, root)
    posts = f"{docs}/{posts_dir.strip('/')}" if posts_dir.strip("/") else docs
    config: dict[str, Any] = {"backend": dict(settings.backend)}
    if settings.local_backend:
        # decap-server in fs mode writes the files straight into the work tree: no workflow.
        config["local_backend"] = {
            "url": f"http://localhost:{settings.local_proxy_port}/api/v1",
            "allowed_hosts": ["localhost", "127.0.0.1"],
        }
        config["publish_mode"] = "simple"
    else:
        workflow = settings.editorial_workflow and \
            settings.backend.get("name") not in NO_WORKFLOW_BACKENDS
        config["publish_mode"] = "editorial_workflow" if workflow else "simple"
    if settings.site_url:
        config["site_url"] = config["display_url"] = settings.site_url
    config.update({
        "locale": "en",
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        # Required at the top level; posts override it with a folder beside the post.
        "media_folder": f"{docs}/images",
        "public_folder": "/images",
        "collections": [{
            "name": "posts",
            "label": "Posts",
            "label_singular": "Post",
            "description": "Leadership posts. Saved posts are published by the next build "
                           "unless marked as a draft or dated in the future.",
            "folder": posts,
            "create": True,
            "extension": "md",
            "format": FORMAT,
            "slug": "{{year}}-{{month}}-{{day}}-{{slug}}",
            # One folder a year, as `fireside new` does: content/posts/2026/2026-03-14-x.md.
            "path": "{{year}}/{{slug}}",
            # Relative: an `images` folder beside the post; the Markdown says images/x.png.
            "media_folder": "images",
            "public_folder": "images",
            # fs_status ("Draft: ", "Scheduled: ") is set by editor.js when it reads a file.
            "summary": "{{fs_status}}{{title}} ({{year}}-{{month}}-{{day}})",
            "sortable_fields": [{"field": "date", "label": "Date", "default_sort": "desc"},
                                "title"],
            "editor": {"preview": True},
            "fields": _post_fields(authors, categories, POST_FIELDS),
        }],
    })
    return config


def render_config(config: Mapping[str, Any]) -> str:
    """Decap's ``config.yml`` text, marked as generated."""
    head = ("# Generated by the fireside plugin from its front-matter schema, .authors.yml and\n"
            "# categories_allowed. Do not edit: change mkdocs.yml or the content instead.\n")
    return head + yaml.safe_dump(dict(config), sort_keys=False, allow_unicode=True, width=100)


def preview_data(authors: Mapping[str, Author], *, root: str, stylesheets: Iterable[str],
                 palette: Mapping[str, str]) -> dict[str, Any]:
    """What ``editor.js`` needs for a preview that looks like the post: names, roles, styles.

    Arguments:
        authors: ``.authors.yml`` entries by key.
        root: The site's root as the editor's folder reaches it (``../``).
        stylesheets: The site's stylesheets, relative to the editor's folder.
        palette: ``data-md-color-*`` attributes of the site's first palette.
    """
    return {
        "authors": {key: {"name": a.name, "role": a.description,
                          "avatar": root + a.avatar if a.avatar else None}
                    for key, a in authors.items()},
        "stylesheets": list(stylesheets),
        "palette": dict(palette),
    }


def render_index(settings: EditorSettings, preview: Mapping[str, Any] | None = None) -> str:
    """The editor's ``index.html``: loads ``decap-cms.js`` from the site itself, never a CDN.

    ``preview`` (``preview_data``) is embedded as JSON for ``editor.js``.
    """
    title = html.escape(settings.title)
    data = json.dumps(dict(preview or {}), ensure_ascii=False, sort_keys=True).replace("</", "<\\/")
    return f"""<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="robots" content="noindex">
  <title>{title}</title>
  <link rel="stylesheet" href="editor.css">
  <script>
    // editor.js registers Fireside's preview and wording before it starts Decap.
    window.CMS_MANUAL_INIT = true;
    // `mkdocs serve` reloads every page after a rebuild, and saving a post rebuilds the site.
    // A reload would throw away the form, so the editor page opts out of live reload.
    Object.defineProperty(window, "livereload", {{value: function () {{}}, writable: false}});
  </script>
</head>
<body>
  <script type="application/json" id="fireside-editor-data">{data}</script>
  <script src="{DECAP_SCRIPT}"></script>
  <script src="{JS_YAML_NAME}"></script>
  <script src="editor.js"></script>
</body>
</html>
"""


def decap_assets(dist: Path) -> list[Path]:
    """The files of Decap's bundle the site serves: the entry script, its chunks, wasm, licence.

    Raises:
        EditorAssetsMissing: When ``npm ci`` has not been run.
    """
    if not (dist / DECAP_SCRIPT).is_file():
        raise EditorAssetsMissing(dist / DECAP_SCRIPT)
    names = [DECAP_SCRIPT, f"{DECAP_SCRIPT}.LICENSE.txt"]
    chunks = sorted(p.name for p in dist.glob(f"*.{DECAP_SCRIPT}"))
    wasm = sorted(p.name for p in dist.glob("*.wasm"))
    return [dist / name for name in [*names, *chunks, *wasm] if (dist / name).is_file()]
