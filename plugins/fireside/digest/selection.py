"""What goes into a digest: what is new since the last one, and never anything twice.

Engine-independent. Reads the ``Site`` (visible posts only: drafts and scheduled posts are
left out by ``load_site`` and filtered here again) and the discussion snapshots through
``load_discussions``. Every post becomes a ``FeedItem``, the same model the feeds use, so the
email, its text part and the Teams card say the same thing as the RSS feed.

Sections:

- **New posts**: visible posts dated since the last digest that no digest carried yet.
- **Most discussed**: posts (not new in this digest) with the most replies written since
  the last digest, with those counts; a post is listed here at most once, ever.
- **Newly answered**: Q&A questions a host first answered since the last digest.
- **Open Q&A sessions**: sessions whose ``status`` is open, each announced once.
"""

from __future__ import annotations

import colorsys
import datetime as dt
import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import markdown

from fireside.core.content import Post, read_front_matter
from fireside.core.links import anchor_to_root
from fireside.core.readtime import excerpt
from fireside.core.settings import DiscussionSettings
from fireside.core.site import Site, is_hidden
from fireside.digest.settings import DigestSettings
from fireside.digest.state import DigestState
from fireside.discussions.panel import Discussion, Discussions, load_discussions
from fireside.discussions.qa import build_session
from fireside.discussions.sanitize import initials, initials_hue
from fireside.feeds.feedset import FeedItem, feed_item

__all__ = [
    "PERIODS",
    "AnsweredQuestion",
    "Digest",
    "DigestAuthor",
    "DigestPost",
    "DiscussedPost",
    "OpenSession",
    "select",
]

PERIODS = {"weekly": dt.timedelta(days=7), "daily": dt.timedelta(days=1)}
#: Most discussed posts and answered questions listed (the rest are counted).
DISCUSSED_LIMIT = 3
ANSWERED_LIMIT = 5
#: Characters of a summary, a question or an answer before it is cut with "…".
SUMMARY_CHARS = 280
QUOTE_CHARS = 200
#: Initials backgrounds: eight dark tones, each at least 4.5:1 against white text.
_HUES = (210, 160, 25, 275, 345, 190, 120, 300)


@dataclass(frozen=True)
class DigestAuthor:
    """An author as the digest shows them: a name and initials drawn as text."""

    name: str
    role: str
    initials: str
    color: str
    """A ``#rrggbb`` background for the initials (white text on it)."""


@dataclass(frozen=True)
class DigestPost:
    """A new post: its feed item plus what the digest adds."""

    key: str
    item: FeedItem
    authors: tuple[DigestAuthor, ...]
    summary: str
    """Plain text."""
    date_label: str
    """``20 November 2026``, in the site's time zone."""


@dataclass(frozen=True)
class DiscussedPost:
    """A post with replies written in the period."""

    key: str
    title: str
    url: str
    new_replies: int
    replies: int
    discussion_url: str | None
    platform_name: str


@dataclass(frozen=True)
class AnsweredQuestion:
    """A Q&A question a host answered in the period."""

    key: str
    session_title: str
    url: str
    """The question on the session page (``…/#q-<id>``)."""
    question: str
    answered_by: str
    answer: str
    votes: int


@dataclass(frozen=True)
class OpenSession:
    """A Q&A session open for questions."""

    key: str
    title: str
    url: str
    hosts: tuple[str, ...]
    summary: str
    questions: int
    answered: int


@dataclass(frozen=True)
class Digest:
    """One digest, ready to be rendered as email, text and a Teams card."""

    title: str
    intro: str
    blog_title: str
    blog_url: str
    """The blog's index page (absolute)."""
    since: dt.datetime
    until: dt.datetime
    period_label: str
    posts: tuple[DigestPost, ...]
    more_posts: int
    """New posts beyond ``max_posts``: counted, not listed."""
    discussed: tuple[DiscussedPost, ...]
    answered: tuple[AnsweredQuestion, ...]
    more_answered: int
    sessions: tuple[OpenSession, ...]
    shown: Mapping[str, tuple[str, ...]]
    """Kind → keys of every item this digest carries (what the state records once sent)."""

    @property
    def empty(self) -> bool:
        """Whether there is nothing to send."""
        return not (self.posts or self.discussed or self.answered or self.sessions)

    @property
    def item_count(self) -> int:
        """New posts (listed or counted), discussed posts, answers and sessions."""
        return (len(self.posts) + self.more_posts + len(self.discussed) + len(self.answered)
                + self.more_answered + len(self.sessions))

    def summary(self) -> str:
        """``3 new posts, 1 most discussed, 2 answered questions, 1 open Q&A session``."""
        parts = [(len(self.posts) + self.more_posts, "new post", "new posts"),
                 (len(self.discussed), "most discussed post", "most discussed posts"),
                 (len(self.answered) + self.more_answered, "answered question",
                  "answered questions"),
                 (len(self.sessions), "open Q&A session", "open Q&A sessions")]
        text = ", ".join(f"{n} {one if n == 1 else many}" for n, one, many in parts if n)
        return text or "nothing new"


def select(site: Site, settings: DigestSettings, discussions: DiscussionSettings, *,
           docs_dir: Path, state: DigestState, site_url: str,
           hidden: frozenset[str] = frozenset(), since: dt.datetime | None = None) -> Digest:
    """Choose the digest's content.

    Arguments:
        site: The blog, loaded for a build (no preview).
        settings: The ``digest:`` options.
        discussions: Where the snapshots are (``discussions.enabled: false`` skips them).
        docs_dir: The content folder (a post without ``description`` is excerpted from it).
        state: What earlier digests carried.
        site_url: The absolute site URL; every link is made absolute against it.
        hidden: Reply ids the moderation file hides.
        since: Start of the period (default: the last digest, else one period back).
    """
    site_url = site_url.rstrip("/") + "/"
    now = site.options.now
    tz = site.options.timezone
    period = PERIODS[settings.schedule]
    start = since or state.last_sent_at or now - period
    # A post dated shortly before the last digest may have been a draft then: look one
    # period further back for posts (``shown`` keeps the ones already sent out).
    floor = since or (state.last_sent_at - period if state.last_sent_at else start)
    visible = [p for p in site.posts if p.kind == "post" and not is_hidden(p, now)]
    sessions = [s for s in site.sessions if not is_hidden(s, now)]
    found = (load_discussions([*visible, *sessions], discussions, now=now,
                              authors=site.authors, hidden=hidden)
             if discussions.enabled else None)

    new = [p for p in visible if floor < p.created <= now and not state.seen("posts", p.src_uri)]
    new.sort(key=lambda p: (-p.created.timestamp(), p.src_uri))
    listed = new[: settings.max_posts]
    author_urls = ({k: urljoin(site_url, site.routes.author(k)) for k in site.authors}
                   if site.options.author_pages else {})
    posts = tuple(_digest_post(p, site, docs_dir, site_url, author_urls) for p in listed)

    discussed = _discussed(visible, {p.src_uri for p in new}, found, state, start, now,
                           site_url) if found else []
    answered = _answered(sessions, site, found, state, start, now, site_url) if found else []
    open_sessions = [_open_session(s, site, found, site_url) for s in sessions
                     if (s.meta.status or "open") == "open" and not state.seen("sessions",
                                                                               s.src_uri)]
    title = settings.title or f"{site.options.blog_title}: the {_period_noun(settings)} digest"
    return Digest(
        title=title, intro=settings.intro, blog_title=site.options.blog_title,
        blog_url=urljoin(site_url, site.routes.index()), since=start, until=now,
        period_label=_period_label(start, now, tz), posts=posts,
        more_posts=len(new) - len(listed), discussed=tuple(discussed[:DISCUSSED_LIMIT]),
        answered=tuple(answered[:ANSWERED_LIMIT]),
        more_answered=max(len(answered) - ANSWERED_LIMIT, 0), sessions=tuple(open_sessions),
        shown={"posts": tuple(p.src_uri for p in new),
               "discussed": tuple(d.key for d in discussed[:DISCUSSED_LIMIT]),
               "questions": tuple(a.key for a in answered),
               "sessions": tuple(s.key for s in open_sessions)},
    )


def _period_noun(settings: DigestSettings) -> str:
    return "week's" if settings.schedule == "weekly" else "day's"


def _period_label(start: dt.datetime, end: dt.datetime, tz: dt.tzinfo) -> str:
    first, last = start.astimezone(tz), end.astimezone(tz)
    if first.date() == last.date():
        return _date(last)
    if first.year != last.year:
        return f"{_date(first)} to {_date(last)}"
    if first.month != last.month:
        return f"{first.day} {first:%B} to {_date(last)}"
    return f"{first.day} to {_date(last)}"


def _date(value: dt.datetime) -> str:
    return f"{value.day} {value:%B %Y}"


def _digest_post(post: Post, site: Site, docs_dir: Path, site_url: str,
                 author_urls: Mapping[str, str]) -> DigestPost:
    if not post.meta.description and not post.excerpt:
        post.excerpt = anchor_to_root(_excerpt_of(docs_dir, post), post.url)
    item = feed_item(post, authors=site.authors, site_url=site_url, author_url=author_urls,
                     full_content=False)
    people = []
    for key in post.meta.authors:
        author = site.authors.get(key)
        if author is not None:
            people.append(DigestAuthor(author.name, author.description, initials(author.name),
                                       initials_color(key)))
    return DigestPost(post.src_uri, item, tuple(people),
                      _clip(plain_text(item.summary_html), SUMMARY_CHARS),
                      _date(post.created.astimezone(site.options.timezone)))


def _excerpt_of(docs_dir: Path, post: Post) -> str:
    """The post's excerpt, rendered from its Markdown (the digest runs without a build)."""
    source = docs_dir / post.src_uri
    try:
        text = source.read_text(encoding="utf-8-sig")
    except OSError:
        return ""
    _, body, _, _ = read_front_matter(text, path=post.src_uri, required=True)
    head = body.split("<!-- more -->", 1)[0]
    rendered = markdown.markdown(head, extensions=["attr_list", "tables"])
    return excerpt(rendered)[0]


def _discussed(posts: Sequence[Post], new: set[str], found: Discussions, state: DigestState,
               start: dt.datetime, now: dt.datetime, site_url: str) -> list[DiscussedPost]:
    ranked: list[tuple[int, Post, Discussion]] = []
    for post in posts:
        discussion = post.extra.get("discussion")
        if post.src_uri in new or not isinstance(discussion, Discussion) or \
                state.seen("discussed", post.src_uri):
            continue
        count = 0
        for reference in post.meta.discussion:  # one link per platform: count them all
            _, thread = found.resolve(reference)
            if thread is not None:
                count += sum(1 for r in thread.replies if start < r.created <= now)
        if count:
            ranked.append((count, post, discussion))
    ranked.sort(key=lambda t: (-t[0], -t[1].created.timestamp(), t[1].src_uri))
    return [DiscussedPost(post.src_uri, post.title, urljoin(site_url, post.url), count,
                          discussion.replies, discussion.url, discussion.platform_name)
            for count, post, discussion in ranked]


def _answered(sessions: Sequence[Post], site: Site, found: Discussions, state: DigestState,
              start: dt.datetime, now: dt.datetime, site_url: str) -> list[AnsweredQuestion]:
    out: list[tuple[dt.datetime, AnsweredQuestion]] = []
    for session in sessions:
        qa = build_session(session, found, site.authors)
        thread = qa.discussion.thread if qa.discussion else None
        if thread is None:
            continue
        url = urljoin(site_url, session.url)
        for question in qa.questions:
            when = question.answered_at
            key = f"{thread.platform}:{thread.thread_id}:{question.reply.id}"
            if when is None or not start < when <= now or state.seen("questions", key):
                continue
            shown = question.shown
            first = shown.answers[0] if shown and shown.answers else None
            out.append((when, AnsweredQuestion(
                key=key, session_title=session.title, url=f"{url}#{question.anchor}",
                question=_clip(plain_text(shown.body if shown else ""), QUOTE_CHARS),
                answered_by=first.author_name if first else "",
                answer=_clip(plain_text(first.body), QUOTE_CHARS) if first else "",
                votes=question.votes)))
    out.sort(key=lambda pair: (-pair[0].timestamp(), pair[1].key))
    return [a for _, a in out]


def _open_session(session: Post, site: Site, found: Discussions | None,
                  site_url: str) -> OpenSession:
    hosts = tuple(site.authors[k].name for k in session.meta.authors if k in site.authors)
    questions = answered = 0
    if found is not None:
        qa = build_session(session, found, site.authors)
        questions, answered = len(qa.questions), qa.answered
    summary = session.meta.description or f"A Q&A session with {', '.join(hosts)}"
    return OpenSession(session.src_uri, session.title, urljoin(site_url, session.url), hosts,
                       _clip(summary, SUMMARY_CHARS), questions, answered)


def initials_color(key: str) -> str:
    """A stable dark background for an author's initials (``#rrggbb``; Outlook has no hsl())."""
    hue = _HUES[initials_hue(key)]
    red, green, blue = colorsys.hls_to_rgb(hue / 360, 0.32, 0.55)
    return f"#{round(red * 255):02x}{round(green * 255):02x}{round(blue * 255):02x}"


_BLOCK = re.compile(r"</?(?:p|br|div|li|ul|ol|h[1-6]|blockquote|pre|tr|td|table)\b[^>]*>", re.I)
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


def plain_text(fragment: str) -> str:
    """Text of an HTML fragment: tags dropped (blocks become spaces), entities decoded."""
    text = _TAG.sub("", _BLOCK.sub(" ", fragment))
    return _SPACE.sub(" ", html.unescape(text)).strip()


def _clip(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,.;:")
    return cut + "…"
