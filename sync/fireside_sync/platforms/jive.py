"""Jive through its REST v3 API (``/api/core/v3``).

Every answer, error bodies included, starts with ``throw 'allowIllegalResourceCall is
false.';``, stripped before parsing. A link's object id (``/thread/{id}``,
``/docs/DOC-{id}``) is resolved to the API's content id with
``/contents?filter=entityDescriptor({type},{id})``. ``/contents/{id}`` gives the type, the
likes and the address; the replies are ``/messages/contents/{id}`` for a discussion and
``/contents/{id}/comments`` otherwise, paged by ``startIndex``/``count`` and ``links.next``,
nested through ``parent``. Bodies are Jive's HTML (cleaned again by the build).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from collections.abc import Mapping
from typing import Any, ClassVar

from fireside.discussions.platforms.jive import PLATFORM, descriptor
from fireside.discussions.snapshots import Reply, Thread, Totals
from fireside_sync.errors import BadPayload, HttpError
from fireside_sync.http import HttpClient, Refusal
from fireside_sync.platforms.base import BasePaginator, Fetched, Hosts, ThreadRef

log = logging.getLogger("fireside_sync.jive")

NAME = PLATFORM.name
PAGE_SIZE = 100
DATE_FORMAT = "%Y-%m-%dT%H:%M:%S.%f%z"
_PREFIX = re.compile(r"^\s*throw [^;]*;\s*")
_ID_IN_URI = re.compile(r"/(?:comments|messages)/(\d+)/?$")


def decode(body: str) -> Any:
    """Jive's JSON, its anti-hijacking ``throw …;`` prefix stripped."""
    return json.loads(_PREFIX.sub("", body, count=1))


def check(status: int, data: Any) -> Refusal | None:
    """Jive's refusals, worded with the message from its (prefixed) error body."""
    error = data.get("error") if isinstance(data, dict) else None
    said = str(error.get("message"))[:160] if isinstance(error, dict) and \
        error.get("message") else ""
    if status == 401:
        return Refusal("auth", "Jive refused the credentials (HTTP 401" +
                       (f": {said}" if said else "") + "); check the token, or the username "
                       "and password, in the environment")
    if status == 404 and said:
        return Refusal("not_found", f"not found (HTTP 404): Jive says {said!r}")
    if status == 403 and said:
        return Refusal("forbidden", f"access denied (HTTP 403): Jive says {said!r}")
    return None


class NextLinkPaginator(BasePaginator[str]):
    """Follows ``links.next`` (an absolute URL) while the page has one."""

    def get_next(self, page: Mapping[str, object]) -> str | None:
        links = page.get("links")
        following = links.get("next") if isinstance(links, dict) else None
        return following if isinstance(following, str) and following else None


class JiveAdapter:
    """The Jive adapter."""

    name: ClassVar[str] = NAME

    def __init__(self, client: HttpClient) -> None:
        self.client = client

    def resolve(self, ref: ThreadRef) -> str:
        """A link's object id → the content id, through ``entityDescriptor``."""
        if ref.kind == "thread":
            return ref.id
        object_type, object_id = descriptor(ref.id)
        page = self._get("contents", {"filter": f"entityDescriptor({object_type},{object_id})",
                                      "count": "1"})
        found = page.get("list") if isinstance(page, dict) else None
        content = found[0] if isinstance(found, list) and found else None
        ident = content.get("contentID") if isinstance(content, dict) else None
        if not isinstance(ident, str | int) or not str(ident).isdigit():
            raise HttpError(f"Jive has no content for {ref.id} (entityDescriptor found "
                            "nothing); the link may be wrong or the account cannot see it",
                            kind="not_found", platform=NAME)
        return str(ident)

    def fetch_thread(self, thread_id: str, *, hosts: Hosts, now: dt.datetime) -> Fetched:
        """Read the content, then page through its replies."""
        content = self._get(f"contents/{thread_id}")
        if not isinstance(content, dict):
            raise BadPayload("the content is not an object", platform=NAME, thread=thread_id)
        path = f"messages/contents/{thread_id}" if content.get("type") == "discussion" \
            else f"contents/{thread_id}/comments"
        paginator = NextLinkPaginator()
        items: dict[str, Mapping[str, Any]] = {}
        page = self._get(path, {"startIndex": "0", "count": str(PAGE_SIZE)})
        while True:
            if not isinstance(page, dict) or not isinstance(page.get("list"), list):
                raise BadPayload("the answer has no 'list'", platform=NAME, thread=thread_id)
            for item in page["list"]:
                if isinstance(item, dict) and isinstance(item.get("id"), str | int):
                    items[str(item["id"])] = item
            following = paginator.advance(page)
            if following is None:
                break
            # Verbatim, and only under the API base (the credential goes with it).
            page = self.client.get_next(following, decode=decode, check=check)
        return _build(thread_id, content, items, hosts, now, paginator.pages + 1)

    def _get(self, path: str, params: Mapping[str, str] | None = None) -> Any:
        return self.client.get_json(path, params, decode=decode, check=check)


def _build(thread_id: str, content: Mapping[str, Any], items: Mapping[str, Mapping[str, Any]],
           hosts: Hosts, now: dt.datetime, pages: int) -> Fetched:
    replies: list[Reply] = []
    skipped = 0
    for item in items.values():
        reply = _to_reply(item, hosts, thread_id)
        if reply is None:
            skipped += 1
        else:
            replies.append(reply)
    kept = {r.id for r in replies}
    replies = [r if r.parent_id is None or r.parent_id in kept else
               Reply(r.id, None, r.author_id, r.author_name, r.created, r.body, r.body_format,
                     r.likes, r.is_host, r.mentions) for r in replies]
    replies.sort(key=lambda r: (r.created, r.id))
    resources = content.get("resources")
    html = resources.get("html") if isinstance(resources, dict) else None
    url = html.get("ref") if isinstance(html, dict) else None
    likes = content.get("likeCount")
    thread = Thread(
        platform=NAME, thread_id=thread_id, url=str(url or ""), content_changed_at=now,
        totals=Totals(replies=len(replies), likes=likes if isinstance(likes, int) else 0,
                      participants=len({r.author_id for r in replies})),
        replies=tuple(replies))
    return Fetched(thread, {"messages": str(len(items))}, skipped, pages)


def _to_reply(item: Mapping[str, Any], hosts: Hosts, thread_id: str) -> Reply | None:
    """Map one comment or message; ``None`` unless it is published and readable."""
    ident = str(item["id"])
    if item.get("status", "published") != "published":
        return None
    try:
        created = dt.datetime.strptime(str(item.get("published")), DATE_FORMAT)
    except ValueError:
        log.info("skipped reply %s of content %s: unreadable date", ident, thread_id)
        return None
    author = item.get("author")
    author = author if isinstance(author, dict) else {}
    author_id = str(author.get("id", ""))
    name = author.get("name")
    name = name.get("formatted") if isinstance(name, dict) else None
    body = item.get("content")
    body = body if isinstance(body, dict) else {}
    is_html = str(body.get("type", "text/html")) == "text/html"
    parent = _ID_IN_URI.search(str(item.get("parent") or ""))
    likes = item.get("likeCount")
    return Reply(
        id=ident, parent_id=parent.group(1) if parent else None, author_id=author_id,
        author_name=str(author.get("displayName") or name or "Unknown user"),
        created=created.astimezone(dt.UTC), body=str(body.get("text") or ""),
        body_format="html" if is_html else "text",
        likes=likes if isinstance(likes, int) and likes > 0 else 0,
        is_host=author_id in hosts)
