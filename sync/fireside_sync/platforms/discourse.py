"""Discourse through its JSON API: ``/t/{id}.json`` and ``/t/{id}/posts.json``.

``GET /t/{id}.json`` gives the topic, the first chunk of posts and ``post_stream.stream``, the
ids of every post; the others are fetched ``CHUNK`` at a time with
``/t/{id}/posts.json?post_ids[]=…``. Post 1 is the executive's post; the replies are the
regular posts (``post_type`` 1) that are neither deleted nor hidden. ``reply_to_post_number``
gives the nesting, ``actions_summary`` entry 2 the likes, and ``cooked`` is the HTML body
(cleaned again by the build). Requests carry ``Api-Key`` and ``Api-Username``.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Mapping
from typing import Any, ClassVar

from fireside.discussions.platforms.discourse import PLATFORM
from fireside.discussions.snapshots import Reply, Thread, Totals
from fireside_sync.errors import BadPayload
from fireside_sync.http import HttpClient, Refusal
from fireside_sync.platforms.base import Fetched, Hosts, ThreadRef

log = logging.getLogger("fireside_sync.discourse")

NAME = PLATFORM.name
#: Post ids asked for per ``posts.json`` request (Discourse's own chunk size).
CHUNK = 20
REGULAR = 1
LIKE = 2


def check(status: int, data: Any) -> Refusal | None:
    """Discourse's refusals: a bad key is a 403 ``invalid_access``; 429 says how long to wait."""
    errors = data.get("errors") if isinstance(data, dict) else None
    said = " ".join(str(e) for e in errors)[:200] if isinstance(errors, list) else ""
    if status == 403 and "key is invalid" in said:
        return Refusal("auth", "Discourse refused the API key (HTTP 403: the API username or "
                       "key is invalid); check the key in the environment and the 'username' "
                       "option (Api-Username)")
    if status == 429:
        extras = data.get("extras") if isinstance(data, dict) else None
        wait = extras.get("wait_seconds") if isinstance(extras, dict) else None
        return Refusal("rate_limited", "Discourse is rate limiting the API key (HTTP 429)",
                       retry=True, after=float(wait) if isinstance(wait, int | float) else None)
    return None


class DiscourseAdapter:
    """The Discourse adapter."""

    name: ClassVar[str] = NAME

    def __init__(self, client: HttpClient) -> None:
        self.client = client

    def resolve(self, ref: ThreadRef) -> str:
        """Discourse links name the topic itself."""
        return ref.id

    def fetch_thread(self, thread_id: str, *, hosts: Hosts, now: dt.datetime) -> Fetched:
        """Read the topic, then the posts beyond its first chunk."""
        topic = self.client.get_json(f"t/{thread_id}.json", check=check)
        stream_data = topic.get("post_stream") if isinstance(topic, dict) else None
        if not isinstance(stream_data, dict) or not isinstance(stream_data.get("stream"), list):
            raise BadPayload("the topic has no 'post_stream.stream'", platform=NAME,
                             thread=thread_id)
        stream = [i for i in stream_data["stream"] if isinstance(i, int)]
        posts = _by_id(stream_data.get("posts"))
        missing = [i for i in stream if i not in posts]
        pages = 1
        for start in range(0, len(missing), CHUNK):
            chunk = missing[start:start + CHUNK]
            page = self.client.get_json(f"t/{thread_id}/posts.json",
                                        {"post_ids[]": [str(i) for i in chunk]}, check=check)
            more = page.get("post_stream") if isinstance(page, dict) else None
            posts.update(_by_id(more.get("posts") if isinstance(more, dict) else None))
            pages += 1
        return _build(thread_id, topic, [posts[i] for i in stream if i in posts], hosts, now,
                      self.client.settings.web_url or self.client.settings.api_url, pages)


_RELATIVE_LINK = re.compile(r'(<a\b[^>]*?\bhref=")(/(?!/)[^"]*)"')


def absolute_links(cooked: str, forum: str) -> str:
    """``cooked`` with site-relative links (``/u/ana``, ``/t/…``) made absolute on ``forum``.

    The build drops relative links; these point into the forum and stay useful. Anything
    else (protocol-relative ``//…``, other schemes) is left for the build's sanitizer.
    """
    return _RELATIVE_LINK.sub(lambda m: f'{m.group(1)}{forum.rstrip("/")}{m.group(2)}"', cooked)


def _by_id(posts: Any) -> dict[int, Mapping[str, Any]]:
    return {p["id"]: p for p in posts or () if isinstance(p, dict) and isinstance(p.get("id"),
                                                                                  int)}


def _build(thread_id: str, topic: Mapping[str, Any], posts: list[Mapping[str, Any]],
           hosts: Hosts, now: dt.datetime, forum: str, pages: int) -> Fetched:
    root = next((p for p in posts if p.get("post_number") == 1), {})
    number_to_id = {p.get("post_number"): str(p["id"]) for p in posts}
    replies: list[Reply] = []
    skipped = 0
    for post in posts:
        if post.get("post_number") == 1:
            continue
        reply = _to_reply(post, hosts, thread_id, forum)
        if reply is None:
            skipped += 1
            continue
        replies.append(reply)
    # A reply to a deleted, hidden or root post is shown at the top level rather than lost.
    kept = {r.id for r in replies}
    replies = [_with_parent(r, number_to_id, kept) for r in replies]
    replies.sort(key=lambda r: (r.created, r.id))
    slug = str(topic.get("slug") or "topic")
    thread = Thread(
        platform=NAME, thread_id=thread_id, url=f"{forum.rstrip('/')}/t/{slug}/{thread_id}",
        content_changed_at=now,
        totals=Totals(replies=len(replies), likes=_likes(root),
                      participants=len({r.author_id for r in replies})),
        replies=tuple(replies))
    bookmarks = {"messages": str(len(posts)),
                 "last_posted_at": str(topic.get("last_posted_at") or "")}
    return Fetched(thread, bookmarks, skipped, pages)


def _with_parent(reply: Reply, number_to_id: Mapping[Any, str], kept: set[str]) -> Reply:
    """``parent_id`` holds ``reply_to_post_number`` until here; map it to a kept post's id."""
    parent = number_to_id.get(int(reply.parent_id)) if reply.parent_id else None
    return Reply(reply.id, parent if parent in kept else None, reply.author_id,
                 reply.author_name, reply.created, reply.body, reply.body_format, reply.likes,
                 reply.is_host, reply.mentions)


def _likes(post: Mapping[str, Any]) -> int:
    for action in post.get("actions_summary") or ():
        if isinstance(action, dict) and action.get("id") == LIKE:
            count = action.get("count")
            return count if isinstance(count, int) and count > 0 else 0
    return 0


def _to_reply(post: Mapping[str, Any], hosts: Hosts, thread_id: str,
              forum: str) -> Reply | None:
    """Map one post; ``None`` for whispers, small actions, deleted and hidden posts."""
    ident = str(post["id"])
    if post.get("post_type") != REGULAR or post.get("deleted_at") or post.get("hidden") \
            or post.get("user_deleted"):
        return None
    try:
        created = dt.datetime.fromisoformat(str(post.get("created_at")))
    except ValueError:
        log.info("skipped post %s of topic %s: unreadable date", ident, thread_id)
        return None
    if created.tzinfo is None:
        created = created.replace(tzinfo=dt.UTC)
    author_id = str(post.get("user_id", ""))
    number = post.get("reply_to_post_number")
    parent = str(number) if isinstance(number, int) and number > 1 else None
    return Reply(
        id=ident, parent_id=parent, author_id=author_id,
        author_name=str(post.get("name") or post.get("username") or "Unknown user"),
        created=created.astimezone(dt.UTC),
        body=absolute_links(str(post.get("cooked") or ""), forum),
        body_format="html", likes=_likes(post), is_host=author_id in hosts)
