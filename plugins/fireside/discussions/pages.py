"""MkDocs side of discussions: read the snapshots once, then add the Q&A index and feed.

Called by ``FiresidePlugin.on_files``; the discussion logic itself lives in the
engine-independent ``discussions`` and ``qa`` modules.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel

from fireside.core.i18n import Translator
from fireside.core.settings import SettingsError, settings_from_options
from fireside.core.urls import join
from fireside.discussions.moderation import ModerationError, load_hidden
from fireside.discussions.panel import load_discussions
from fireside.discussions.qa import FEED_PATH, INDEX_SRC, build_session, qa_feed

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

    from fireside.adapter.config import FiresideConfig
    from fireside.core.site import Site

log = get_plugin_logger("fireside.discussions.panel")

QA_INDEX_TEMPLATE = "fireside/qa-index.html"


def qa_index_url(site: Site) -> str:
    """The Q&A index page, site-relative (``qa/``)."""
    return join(site.options.qa_dir)


def qa_index_src(site: Site) -> str:
    """The source path of the Q&A index page (``qa/index.md``)."""
    return qa_index_url(site) + INDEX_SRC


def attach_discussions(site: Site, options: FiresideConfig, config: MkDocsConfig, files: Files,
                       *, project_dir: Path, translator: Translator | None = None) -> None:
    """Attach discussion summaries and Q&A data to posts; add the Q&A index and feed pages.

    ``discussions: {enabled: false}`` turns all of it off (the panel, counts and Q&A data).

    Raises:
        PluginError: The ``discussions`` options or the moderation file are invalid.
    """
    try:
        settings = settings_from_options(dict(options), config_dir=project_dir,
                                         docs_dir=Path(config.docs_dir)).discussions
        if not settings.enabled:
            return
        hidden = load_hidden(settings.moderation)
    except (SettingsError, ModerationError) as exc:
        raise PluginError(f"fireside: {exc}") from None
    found = load_discussions(site.posts, settings, now=site.options.now, authors=site.authors,
                             hidden=hidden, registry=site.options.registry)
    sessions = [build_session(s, found, site.authors) for s in site.sessions]
    for session in sessions:
        session.post.extra["qa"] = session
    for level, message in dict.fromkeys(found.notes):  # each message once
        log.log(level, "%s", message)
    if not site.sessions:
        return
    index = qa_index_url(site)
    src = qa_index_src(site)
    if files.get_file_from_path(src) is None:
        title = (translator or Translator()).t("Q&A sessions")
        front = f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\n" \
                f"template: {QA_INDEX_TEMPLATE}\n---\n"
        files.append(File.generated(config, src, content=front,
                                    inclusion=InclusionLevel.INCLUDED))
    site_url = config.site_url or "http://localhost/"
    feed = qa_feed(sessions, site.authors, site_url=site_url, index_url=index,
                   title=config.site_name, translator=translator)
    files.append(File.generated(config, index + FEED_PATH, content=feed,
                                inclusion=InclusionLevel.NOT_IN_NAV))
