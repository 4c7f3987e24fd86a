"""The leader's inbox: what is worth that leader's reply now, one static page per leader.

Engine-independent. Items come from the moderated snapshots (a hidden reply, and everything
beneath it, never appears) and show the reply's text, which all staff can already read on the
platform, its age and likes, and a link to answer there. No author names are shown.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

from fireside.discussions.panel import children_of, descendants
from fireside.discussions.platforms import PLATFORMS, display_name
from fireside.discussions.sanitize import redact_emails
from fireside.discussions.snapshots import Reply, Thread, format_time
from fireside.insights.page import render_page
from fireside.insights.sources import Inputs, Item

__all__ = ["Inbox", "InboxItem", "Rising", "build_inbox", "render_inbox", "reply_url"]

#: "Rising" compares the replies of the last 48 hours with the 48 hours before.
WINDOW = dt.timedelta(hours=48)
TEXT_LIMIT = 600


@dataclass(frozen=True)
class InboxItem:
    """A reply worth answering: a question or a follow-up."""

    kind: str
    """``question`` or ``follow-up``."""
    text: str
    """Plain text (emails redacted), shortened."""
    created: dt.datetime
    likes: int
    url: str
    """The reply on the platform where the platform gives a link, else the thread."""
    title: str
    """The post or session it belongs to."""
    post_url: str
    platform: str = ""
    """Where to answer (a registry name)."""


@dataclass(frozen=True)
class Rising:
    """A thread whose reply rate rose in the last 48 hours."""

    title: str
    post_url: str
    url: str
    recent: int
    before: int


@dataclass(frozen=True)
class Inbox:
    """One leader's inbox."""

    key: str
    name: str
    delegates: tuple[str, ...]
    questions: tuple[InboxItem, ...]
    follow_ups: tuple[InboxItem, ...]
    rising: tuple[Rising, ...]
    as_of: dt.datetime
    platforms: tuple[str, ...]


def reply_url(thread: Thread, reply: Reply) -> str:
    """The link to ``reply`` on its platform (from the platform registry), or to the thread
    when the platform gives none."""
    platform = PLATFORMS.get(thread.platform)
    link = platform.reply_url(thread.url, reply.id) if platform else None
    return link or thread.url


def plain_text(reply: Reply, limit: int = TEXT_LIMIT) -> str:
    """The reply's text without markup, emails redacted, shortened to ``limit``."""
    text = reply.body
    if reply.body_format == "html":
        text = re.sub(r"<(br|/p|/li|/div)\b[^>]*>", "\n", text, flags=re.IGNORECASE)
        text = html.unescape(re.sub(r"<[^>]+>", "", text))
    text = re.sub(r"[ \t\r\f\v]+", " ", text)
    text = re.sub(r"\n\s*\n+", "\n", text).strip()
    text = redact_emails(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def build_inbox(key: str, inputs: Inputs) -> Inbox:
    """The inbox of leader ``key`` as of ``inputs.now``."""
    author = inputs.authors[key]
    now = inputs.now
    questions: list[InboxItem] = []
    follow_ups: list[InboxItem] = []
    rising: list[Rising] = []
    platforms: set[str] = set()
    for item, thread in ((i, t) for i in inputs.items for t in i.threads):
        me = str((author.platforms or {}).get(thread.platform, "")) or None
        leader_ids = item.leader_ids(thread.platform)
        children = children_of(thread)
        if key in item.leaders and me is not None:
            platforms.add(thread.platform)
            for question in children.get(None, []):
                if question.author_id in leader_ids or question.created > now:
                    continue
                if not any(r.author_id == me for r in descendants(children, question)):
                    questions.append(_item("question", item, thread, question))
        if me is not None:
            for reply in thread.replies:
                if reply.author_id != me:
                    continue
                for answer in children.get(reply.id, []):
                    if answer.author_id == me or answer.author_id in leader_ids \
                            or answer.created > now:
                        continue
                    if not any(r.author_id == me for r in descendants(children, answer)):
                        platforms.add(thread.platform)
                        follow_ups.append(_item("follow-up", item, thread, answer))
        trend = _rising(item, thread, now, inputs.options.min_group)
        if trend is not None:
            rising.append(trend)
    rising.sort(key=lambda r: (-(r.recent - r.before), r.title))
    return Inbox(key, author.name, author.delegates, tuple(sorted(questions, key=_order)),
                 tuple(sorted(follow_ups, key=_order)), tuple(rising), now,
                 tuple(sorted(platforms)))


def _order(item: InboxItem) -> tuple[int, dt.datetime, str]:
    return (-item.likes, item.created, item.url)  # most liked, then waiting longest


def _item(kind: str, item: Item, thread: Thread, reply: Reply) -> InboxItem:
    return InboxItem(kind, plain_text(reply), reply.created, reply.likes,
                     reply_url(thread, reply), item.post.title, item.post.url, thread.platform)


def _rising(item: Item, thread: Thread, now: dt.datetime, min_group: int) -> Rising | None:
    """The thread, if it had more staff replies in the last 48 h than in the 48 h before, from
    at least ``min_group`` people (so the counts are shown only for a group large enough)."""
    leaders = item.leader_ids(thread.platform)
    staff = [r for r in thread.replies if r.author_id not in leaders and not r.is_host]
    recent = [r for r in staff if now - WINDOW < r.created <= now]
    before = [r for r in staff if now - 2 * WINDOW < r.created <= now - WINDOW]
    if len(recent) <= len(before) or len({r.author_id for r in recent}) < min_group:
        return None
    return Rising(item.post.title, item.post.url, thread.url, len(recent), len(before))


# -- page ----------------------------------------------------------------------------------------


def _age(created: dt.datetime, now: dt.datetime) -> str:
    hours = max(int((now - created).total_seconds() // 3600), 0)
    if hours < 1:
        return "under an hour"
    if hours < 48:
        return f"{hours} hour{'s' if hours != 1 else ''}"
    days = hours // 24
    return f"{days} days"


def _list(items: Sequence[InboxItem], now: dt.datetime, base: str | None) -> str:
    if not items:
        return '<p class="fs-note">Nothing waiting.</p>'
    out = []
    for item in items:
        post = (f'<a href="{escape(base + item.post_url)}">{escape(item.title)}</a>'
                if base is not None else escape(item.title))
        likes = f"{item.likes} like{'s' if item.likes != 1 else ''}"
        out.append(
            f"<li><blockquote>{escape(item.text)}</blockquote>"
            f'<p class="fs-meta">{_age(item.created, now)} old · {likes} · on {post} · '
            f'<time datetime="{format_time(item.created)}">'
            f"{item.created:%d %b %Y %H:%M} UTC</time></p>"
            f'<p><a href="{escape(item.url)}">Answer on {escape(display_name(item.platform))}'
            "</a></p></li>")
    return f'<ol class="fs-items">{"".join(out)}</ol>'


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def render_inbox(inbox: Inbox, *, site_name: str, post_base: str | None) -> bytes:
    """The inbox page (``inbox/<key>/index.html``)."""
    where = " or ".join(display_name(p) for p in inbox.platforms) or "the platform"
    who = escape(inbox.name)
    if inbox.delegates:
        who += " and " + ", ".join(escape(d) for d in inbox.delegates)
    rising = "".join(
        f"<li><p><strong>{escape(r.title)}</strong></p>"
        f'<p class="fs-meta">{r.recent} replies in the last 48 hours, up from {r.before} in the '
        f'48 hours before</p><p><a href="{escape(r.url)}">Join the discussion</a></p></li>'
        for r in inbox.rising)
    body = f"""
<p>For <strong>{who}</strong>. What is worth a reply now, as of
{inbox.as_of:%d %b %Y %H:%M} UTC. Answer on {escape(where)}: each link opens the reply there.
Replies are shown as all staff see them on the platform, without names; hidden replies never
appear.</p>
<section aria-labelledby="q-h"><h2 id="q-h">Questions waiting for you
({len(inbox.questions)})</h2>
<p class="fs-note">Top-level replies on your posts and Q&amp;A sessions that you have not
replied to yet: the most liked first, then the longest waiting.</p>
{_list(inbox.questions, inbox.as_of, post_base)}</section>
<section aria-labelledby="f-h"><h2 id="f-h">Follow-ups to your replies
({len(inbox.follow_ups)})</h2>
{_list(inbox.follow_ups, inbox.as_of, post_base)}</section>
<section aria-labelledby="r-h"><h2 id="r-h">Discussions picking up ({len(inbox.rising)})</h2>
<p class="fs-note">Threads with more replies in the last 48 hours than in the 48 hours
before.</p>
{f'<ul class="fs-items">{rising}</ul>' if rising else '<p class="fs-note">None.</p>'}
</section>
"""
    return render_page(
        title=f"Inbox: {inbox.name} · {site_name}", site_name=site_name,
        heading=f"Inbox: {inbox.name}",
        subtitle=f"{_count(len(inbox.questions), 'question')} and "
                 f"{_count(len(inbox.follow_ups), 'follow-up')} waiting", body=body,
        footer="Generated by Fireside from the synced discussions. Read-only: answer on the "
               "platform.")


def inbox_files(keys: Sequence[str], inputs: Inputs, *, site_name: str,
                post_base: str | None) -> Mapping[str, bytes]:
    """``inbox/<key>/index.html`` for each leader in ``keys``."""
    return {f"inbox/{key}/index.html": render_inbox(build_inbox(key, inputs),
                                                    site_name=site_name, post_base=post_base)
            for key in keys}
