"""Q&A sessions ("ask me anything" threads): questions, answers, stats and their feed.

Engine-independent. Questions are the thread's top-level replies (the hosts' own excepted),
votes are their likes, and an answer is any reply by a host beneath a question (hosts are
matched through the ``platforms`` ids of ``.authors.yml``). Moderation applies: a hidden
question or answer appears nowhere.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from urllib.parse import urljoin

from fireside.core.content import Post
from fireside.core.i18n import Translator
from fireside.core.schema import Author
from fireside.discussions.panel import (
    Discussion,
    Discussions,
    ShownReply,
    children_of,
    descendants,
)
from fireside.discussions.snapshots import Reply, Thread
from fireside.feeds.feedset import FeedAuthor, FeedItem, FeedSpec, build_rss

__all__ = ["FEED_PATH", "INDEX_SRC", "QASession", "Question", "build_session",
           "format_duration", "qa_feed", "questions_of"]

#: The Q&A index page and its RSS feed, relative to the Q&A folder.
INDEX_SRC = "index.md"
FEED_PATH = "rss.xml"


@dataclass(frozen=True)
class Question:
    """One question of a session, with the hosts' answers."""

    reply: Reply
    answers: tuple[Reply, ...]
    """The hosts' replies beneath the question, oldest first."""
    shown: ShownReply | None = None
    """The question and its answers ready for a page (sanitized bodies)."""

    @property
    def anchor(self) -> str:
        """The permalink fragment (``q-<reply id>``)."""
        return f"q-{self.reply.id}"

    @property
    def votes(self) -> int:
        """The question's likes."""
        return self.reply.likes

    @property
    def answered_at(self) -> dt.datetime | None:
        """When a host first answered."""
        return self.answers[0].created if self.answers else None

    @property
    def time_to_answer(self) -> dt.timedelta | None:
        """How long the first answer took."""
        return self.answered_at - self.reply.created if self.answered_at else None


@dataclass(frozen=True)
class QASession:
    """A session page's data: the thread's questions in vote order, and the stats."""

    post: Post
    discussion: Discussion | None
    questions: tuple[Question, ...]

    @property
    def answered(self) -> int:
        """How many questions have an answer."""
        return sum(1 for q in self.questions if q.answers)

    @property
    def unanswered(self) -> int:
        """How many questions wait for an answer."""
        return len(self.questions) - self.answered

    @property
    def median_time_to_answer(self) -> dt.timedelta | None:
        """The median time from question to first answer (answered questions only)."""
        waits = [q.time_to_answer.total_seconds() for q in self.questions if q.time_to_answer]
        return dt.timedelta(seconds=round(statistics.median(waits))) if waits else None

    @property
    def status(self) -> str:
        """``open`` or ``closed`` (front matter ``status``, ``open`` by default)."""
        return self.post.meta.status or "open"


def host_ids(session: Post, authors: Mapping[str, Author], platform: str) -> frozenset[str]:
    """The hosts' user ids on ``platform``."""
    ids = set()
    for key in session.meta.authors:
        author = authors.get(key)
        user_id = (author.platforms or {}).get(platform) if author else None
        if user_id is not None:
            ids.add(str(user_id))
    return frozenset(ids)


def questions_of(thread: Thread, hosts: frozenset[str]) -> list[Question]:
    """The questions by votes (most first), then oldest first, then id."""
    children = children_of(thread)
    questions = [
        Question(reply, tuple(sorted((r for r in descendants(children, reply)
                                      if r.author_id in hosts), key=lambda r: (r.created, r.id))))
        for reply in children.get(None, []) if reply.author_id not in hosts
    ]
    return sorted(questions, key=lambda q: (-q.votes, q.reply.created, q.reply.id))


def build_session(session: Post, discussions: Discussions,
                  authors: Mapping[str, Author]) -> QASession:
    """The Q&A data of ``session`` (no questions before the first sync)."""
    discussion = discussions.discussion(session) if session.meta.discussion else None
    thread = discussion.thread if discussion else None
    if thread is None:
        return QASession(session, discussion, ())
    questions = tuple(
        replace(q, shown=discussions.show(thread, q.reply, q.answers))
        for q in questions_of(thread, host_ids(session, authors, thread.platform)))
    return QASession(session, discussion, questions)


def format_duration(value: dt.timedelta | None) -> str:
    """``45 min``, ``3 h 20 min``, ``2 days 4 h`` (empty for ``None``)."""
    if value is None:
        return ""
    minutes = max(int(value.total_seconds() // 60), 0)
    if minutes < 1:
        return "under a minute"
    days, rest = divmod(minutes, 1440)
    hours, mins = divmod(rest, 60)
    if days:
        unit = "day" if days == 1 else "days"
        return f"{days} {unit} {hours} h" if hours else f"{days} {unit}"
    return f"{hours} h {mins} min" if hours and mins else f"{hours} h" if hours else f"{mins} min"


def _plain(body: str, limit: int = 90) -> str:
    text = html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)).strip())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def qa_feed(sessions: Sequence[QASession], authors: Mapping[str, Author], *, site_url: str,
            index_url: str, title: str, items: int = 50,
            translator: Translator | None = None) -> bytes:
    """The Q&A RSS feed: new sessions and newly answered questions, newest first.

    Arguments:
        sessions: The visible sessions.
        authors: ``.authors.yml`` entries by key (the hosts).
        site_url: The absolute site URL with a trailing slash.
        index_url: The Q&A index page, site-relative (``qa/``).
        title: The blog's title.
        items: The most items the feed holds.
        translator: The site's language (English by default).
    """
    t = (translator or Translator()).t
    entries: list[FeedItem] = []
    for session in sessions:
        post = session.post
        url = urljoin(site_url, post.url)
        hosts = tuple(FeedAuthor(authors[k].name) for k in post.meta.authors if k in authors)
        about = post.meta.description or t("A Q&A session: {title}", title=post.title)
        entries.append(FeedItem(
            id=url, url=url, title=t("New Q&A session: {title}", title=post.title), authors=hosts,
            categories=(), tags=tuple(post.meta.tags), published=post.created,
            updated=post.created, summary_html=_escape(about), content_html=None))
        for question in session.questions:
            shown = question.shown
            if shown is None or question.answered_at is None:
                continue
            body = shown.body + "".join(
                f"<p><strong>{_escape(a.author_name)}:</strong></p>{a.body}"
                for a in shown.answers)
            link = f"{url}#{question.anchor}"
            entries.append(FeedItem(
                id=link, url=link, title=t("Answered: {question}", question=_plain(shown.body)),
                authors=tuple(FeedAuthor(a.author_name) for a in shown.answers[:1]),
                categories=(), tags=(), published=question.answered_at,
                updated=question.answered_at, summary_html=body, content_html=None))
    entries.sort(key=lambda i: (-i.published.timestamp(), i.id))
    entries = entries[:items]
    path = index_url + FEED_PATH
    home = urljoin(site_url, index_url)
    spec = FeedSpec(
        kind="qa", key="", name=t("Q&A"), title=f"{title}: {t('Q&A')}",
        description=t("New Q&A sessions and newly answered questions"), home_url=home,
        paths={"rss": path}, urls={"rss": urljoin(site_url, path)},
        blog_url=urljoin(site_url, index_url),
        fallback_updated=max((s.post.created for s in sessions),
                             default=dt.datetime(1970, 1, 1, tzinfo=dt.UTC)))
    return build_rss(spec, entries)


def _escape(text: str) -> str:
    return html.escape(text, quote=False)
