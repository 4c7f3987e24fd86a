"""Viva Engage (Yammer) through its v1 REST API.

A thread is ``GET messages/in_thread/{id}.json``, newest first, about 20 messages a page,
paged with ``older_than=<smallest id seen>`` while ``meta.older_available`` is true. Author
names come from ``references`` (``type == "user"``), likes from ``liked_by.count``, dates are
``YYYY/MM/DD HH:MM:SS +0000``. A message permalink is resolved with ``messages/{id}.json``.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import logging
from collections.abc import Mapping
from typing import Any, ClassVar

from fireside.discussions.platforms.yammer import PLATFORM
from fireside.discussions.snapshots import Reply, Thread, Totals
from fireside_sync.errors import BadPayload
from fireside_sync.http import HttpClient
from fireside_sync.platforms.base import BasePaginator, Fetched, Hosts, ThreadRef

log = logging.getLogger("fireside_sync.yammer")

NAME = PLATFORM.name
DATE_FORMAT = "%Y/%m/%d %H:%M:%S %z"


def thread_url(thread_id: str) -> str:
    """The web link of a thread, built from its id."""
    token = base64.urlsafe_b64encode(
        json.dumps({"_type": "Thread", "id": thread_id}, separators=(",", ":")).encode()
    ).decode().rstrip("=")
    return f"https://web.yammer.com/main/threads/{token}"


class OlderThanPaginator(BasePaginator[int]):
    """``older_than=<smallest message id on the page>`` while ``meta.older_available``."""

    def get_next(self, page: Mapping[str, object]) -> int | None:
        meta = page.get("meta")
        if not isinstance(meta, dict) or not meta.get("older_available"):
            return None
        messages = page.get("messages")
        ids = [m["id"] for m in messages or () if isinstance(m, dict)  # type: ignore[attr-defined]
               and isinstance(m.get("id"), int)]
        return min(ids) if ids else None


class YammerAdapter:
    """The Viva Engage adapter."""

    name: ClassVar[str] = NAME

    def __init__(self, client: HttpClient) -> None:
        self.client = client

    def resolve(self, ref: ThreadRef) -> str:
        """Return the thread id; a message permalink costs one request."""
        if ref.kind == "thread":
            return ref.id
        data = self.client.get_json(f"messages/{ref.id}.json")
        thread_id = data.get("thread_id") if isinstance(data, dict) else None
        if not isinstance(thread_id, int | str) or not str(thread_id).isdigit():
            raise BadPayload(f"message {ref.id} has no thread_id", platform=NAME)
        return str(thread_id)

    def fetch_thread(self, thread_id: str, *, hosts: Hosts, now: dt.datetime) -> Fetched:
        """Page through ``messages/in_thread/{id}.json`` and build the thread.

        Each page is turned into replies as it arrives and then dropped, so memory follows
        the thread, not the answers. The pages are bounded by the thread's own reported size
        (``references[type=thread].stats.updates``) plus a margin, or by ``MAX_PAGES``.
        """
        paginator = OlderThanPaginator(MAX_PAGES)
        page_state = _Pages(thread_id, hosts)
        params: dict[str, str] = {}
        while True:
            page = self.client.get_json(f"messages/in_thread/{thread_id}.json", params)
            if not isinstance(page, dict) or not isinstance(page.get("messages"), list):
                raise BadPayload("the answer has no 'messages' list", platform=NAME,
                                 thread=thread_id)
            page_state.read(page)
            if paginator.pages == 0 and page_state.reported is not None:
                per_page = max(len(page["messages"]), 1)
                paginator.max_pages = min(MAX_PAGES, -(-(page_state.reported + PAGE_MARGIN)
                                                       // per_page) + 1)
            token = paginator.advance(page)
            if token is None:
                break
            params = {"older_than": str(token)}
        return page_state.build(now, paginator.pages)


#: Pages read for one thread at most when it reports no size (2,000 messages at 20 a page).
MAX_PAGES = 100
#: Messages beyond the thread's reported size that paging may still bring (new replies).
PAGE_MARGIN = 40


class _Pages:
    """The thread as its pages arrive: replies mapped at once, raw messages dropped."""

    def __init__(self, thread_id: str, hosts: Hosts) -> None:
        self.thread_id = thread_id
        self.hosts = hosts
        self.users: dict[str, str] = {}
        self.replies: dict[str, Reply] = {}
        self.seen: set[int] = set()
        self.skipped = 0
        self.starter_likes: int | None = None
        self.starter_url: str | None = None
        self.thread_url: str | None = None
        self.reported: int | None = None
        """Messages in the thread by its own ``stats.updates``, if it said."""

    def read(self, page: Mapping[str, Any]) -> None:
        for ref in page.get("references") or ():
            if isinstance(ref, dict) and ref.get("type") == "user":
                self.users[str(ref.get("id"))] = str(ref.get("full_name") or ref.get("name"))
            elif isinstance(ref, dict) and ref.get("type") == "thread" and \
                    str(ref.get("id")) == self.thread_id:
                self.thread_url = str(ref.get("web_url") or "") or self.thread_url
                stats = ref.get("stats")
                updates = stats.get("updates") if isinstance(stats, dict) else None
                if isinstance(updates, int) and not isinstance(updates, bool) and updates >= 0:
                    self.reported = updates
        for message in page["messages"]:
            if not isinstance(message, dict) or not isinstance(message.get("id"), int) or \
                    message["id"] in self.seen:
                continue
            self.seen.add(message["id"])
            if str(message["id"]) == self.thread_id:
                self.starter_likes = _likes(message)
                self.starter_url = str(message.get("web_url") or "") or None
                continue
            reply = _to_reply(message, self.users, self.hosts, self.thread_id)
            if reply is None:
                self.skipped += 1
            else:
                self.replies[reply.id] = reply

    def build(self, now: dt.datetime, pages: int) -> Fetched:
        thread_id = self.thread_id
        if self.starter_likes is None:
            # ``{"messages": []}`` for a thread that exists is a broken answer, not an empty
            # thread: keep the last snapshot rather than drop its replies and likes.
            raise BadPayload(f"the answer has no thread starter (message {thread_id}); the "
                             "thread was not read", platform=NAME, thread=thread_id)
        replies = sorted(self.replies.values(), key=lambda r: int(r.id))
        ids = {r.id for r in replies}
        # A reply to a deleted reply is shown at the top level rather than lost.
        replies = [r if r.parent_id in ids or r.parent_id is None else _orphan(r)
                   for r in replies]
        replies.sort(key=lambda r: (r.created, r.id))
        url = self.thread_url or self.starter_url or thread_url(thread_id)
        thread = Thread(
            platform=NAME, thread_id=thread_id, url=url, content_changed_at=now,
            totals=Totals(replies=len(replies), likes=self.starter_likes,
                          participants=len({r.author_id for r in replies})),
            replies=tuple(replies),
        )
        bookmarks = {"messages": str(len(self.seen))}
        if self.seen:
            bookmarks["newest_id"] = str(max(self.seen))
        return Fetched(thread, bookmarks, self.skipped, pages)


def _orphan(reply: Reply) -> Reply:
    return Reply(reply.id, None, reply.author_id, reply.author_name, reply.created, reply.body,
                 reply.body_format, reply.likes, reply.is_host, reply.mentions)


def _likes(message: Mapping[str, Any]) -> int:
    liked = message.get("liked_by")
    count = liked.get("count") if isinstance(liked, dict) else 0
    return count if type(count) is int and count >= 0 else 0  # not a bool, not negative


def _to_reply(message: Mapping[str, Any], users: Mapping[str, str], hosts: Hosts,
              thread_id: str) -> Reply | None:
    """Map one message; ``None`` (logged) for system messages and malformed ones."""
    ident = str(message["id"])
    if message.get("sender_type", "user") != "user" or message.get("system_message"):
        return None
    try:
        created = dt.datetime.strptime(str(message.get("created_at")), DATE_FORMAT)
    except ValueError:
        log.info("skipped message %s of thread %s: unreadable date", ident, thread_id)
        return None
    sender = message.get("sender_id")
    if not isinstance(sender, int | str):
        log.info("skipped message %s of thread %s: no sender", ident, thread_id)
        return None
    author_id = str(sender)
    raw_body = message.get("body")
    body: Mapping[str, Any] = raw_body if isinstance(raw_body, dict) else {}
    rich, plain = body.get("rich"), body.get("plain")
    html = isinstance(rich, str) and rich.strip() != ""
    parent = message.get("replied_to_id")
    return Reply(
        id=ident,
        parent_id=None if parent is None or str(parent) == thread_id else str(parent),
        author_id=author_id,
        author_name=users.get(author_id) or hosts.names.get(author_id) or "Unknown user",
        created=created.astimezone(dt.UTC),
        body=str(rich) if html else str(plain or ""),
        body_format="html" if html else "text",
        likes=_likes(message),
        is_host=author_id in hosts,
        mentions=_mentions(str(body.get("parsed") or "")),
    )


def _mentions(parsed: str) -> tuple[str, ...]:
    """The user ids mentioned in a body's ``parsed`` form, once each, in order."""
    pattern = PLATFORM.mention
    return tuple(dict.fromkeys(pattern.findall(parsed))) if pattern else ()
