"""Discussions for the build: read the snapshots once, attach them, add the Q&A pages.

``attach_discussions`` runs once per build, after the posts are placed; the adapter adds the
files it returns and logs its notes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from fireside.core.content import authors_by_platform
from fireside.core.generated import GeneratedFile
from fireside.core.i18n import Translator
from fireside.core.urls import join
from fireside.discussions.moderation import load_hidden
from fireside.discussions.panel import load_discussions
from fireside.discussions.qa import FEED_PATH, INDEX_SRC, build_session, qa_feed
from fireside.discussions.summary_cache import SummaryCache, environment

if TYPE_CHECKING:
    from pathlib import Path

    from fireside.core.settings import DiscussionSettings
    from fireside.core.site import Site

QA_INDEX_TEMPLATE = "fireside/qa-index.html"


@dataclass
class Attached:
    """What attaching discussions adds to the build."""

    files: list[GeneratedFile] = field(default_factory=list)
    notes: list[tuple[int, str]] = field(default_factory=list)
    """``(logging level, message)``, each once."""


def qa_index_url(site: Site) -> str:
    """The Q&A index page, site-relative (``qa/``)."""
    return join(site.options.qa_dir)


def qa_index_src(site: Site) -> str:
    """The source path of the Q&A index page (``qa/index.md``)."""
    return qa_index_url(site) + INDEX_SRC


def attach_discussions(site: Site, settings: DiscussionSettings, *, site_url: str | None,
                       site_name: str, translator: Translator | None = None,
                       cache_dir: Path | None = None) -> Attached:
    """Attach discussion summaries and Q&A data to posts; return the Q&A index and feed.

    ``discussions: {enabled: false}`` turns all of it off (the panel, counts and Q&A data).
    ``cache_dir`` (``.cache/fireside/``) keeps thread summaries between builds.

    Raises:
        ModerationError: The moderation file is missing or malformed.
    """
    attached = Attached()
    if not settings.enabled:
        return attached
    hidden = load_hidden(settings.moderation)
    cache = None if cache_dir is None else SummaryCache(cache_dir, environment(
        top_replies=settings.top_replies, hidden=hidden,
        executives=authors_by_platform(site.authors)))
    found = load_discussions(site.posts, settings, now=site.options.now, authors=site.authors,
                             hidden=hidden, registry=site.options.registry, cache=cache)
    if cache is not None:
        cache.save()
    sessions = [build_session(s, found, site.authors) for s in site.sessions]
    for session in sessions:
        session.post.qa = session
    attached.notes = list(dict.fromkeys(found.notes))
    if not site.sessions:
        return attached
    index = qa_index_url(site)
    title = (translator or Translator()).t("Q&A sessions")
    front = f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\n" \
            f"template: {QA_INDEX_TEMPLATE}\n---\n"
    feed = qa_feed(sessions, site.authors, site_url=site_url or "http://localhost/",
                   index_url=index, title=site_name, translator=translator)
    attached.files += [
        GeneratedFile(qa_index_src(site), front, listed="listed", yields_to_docs=True),
        GeneratedFile(index + FEED_PATH, feed),
    ]
    return attached
