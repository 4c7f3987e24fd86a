"""Microsoft Teams channel threads through Microsoft Graph v1.0.

A thread is its root post, ``GET teams/{team}/channels/{channel}/messages/{id}`` (which
carries the post's reactions), and its replies, ``…/messages/{id}/replies?$top=50`` (Graph's
maximum), following ``@odata.nextLink`` verbatim. Replies with ``deletedDateTime`` are gone;
only ``messageType: message`` counts. Bodies are HTML whenever they mention someone:
``<at id="0">Priya Nair</at>`` becomes "@Priya Nair". Likes are the reactions. Authors are
Entra object ids, which ``.authors.yml`` names as ``platforms: {teams: <object id>}``. Replies
are one level deep; an executive's reply that @mentions a colleague is nested under that
colleague's latest earlier reply (the answer to their question).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import logging
import re
from collections.abc import Mapping
from typing import Any, ClassVar

from fireside.discussions.platforms import ReferenceProblem
from fireside.discussions.platforms.teams import PLATFORM, split_thread_id, thread_url
from fireside.discussions.snapshots import Reply, Thread, Totals
from fireside_sync.errors import BadPayload, ThreadReferenceError
from fireside_sync.http import HttpClient
from fireside_sync.platforms.base import BasePaginator, Fetched, Hosts, ThreadRef

log = logging.getLogger("fireside_sync.teams")

NAME = PLATFORM.name
PAGE_SIZE = 50
"""Graph's maximum ``$top`` for replies."""
_AT = re.compile(r"<at\b[^>]*\bid=\"?(\d+)\"?[^>]*>(.*?)</at>", re.IGNORECASE | re.DOTALL)
_TAGS = re.compile(r"<[^>]+>")


class NextLinkPaginator(BasePaginator[str]):
    """``@odata.nextLink``, an absolute URL followed verbatim, until it is absent."""

    def get_next(self, page: Mapping[str, object]) -> str | None:
        link = page.get("@odata.nextLink")
        return link if isinstance(link, str) and link else None


class TeamsAdapter:
    """The Microsoft Teams adapter."""

    name: ClassVar[str] = NAME

    def __init__(self, client: HttpClient) -> None:
        self.client = client

    def resolve(self, ref: ThreadRef) -> str:
        """The thread id is in the reference itself."""
        return ref.id

    def fetch_thread(self, thread_id: str, *, hosts: Hosts, now: dt.datetime) -> Fetched:
        """Read the root post, then page through its replies."""
        try:
            team, channel, root_id = split_thread_id(thread_id)
        except ReferenceProblem as exc:
            raise ThreadReferenceError(str(exc), platform=NAME, thread=thread_id) from None
        base = f"teams/{team}/channels/{channel}/messages/{root_id}"
        root = self.client.get_json(base)
        if not isinstance(root, dict) or str(root.get("id")) != root_id:
            raise BadPayload("the root post has no matching 'id'", platform=NAME,
                             thread=thread_id)
        paginator = NextLinkPaginator()
        raw: list[Mapping[str, Any]] = []
        page = self.client.get_json(f"{base}/replies", {"$top": str(PAGE_SIZE)})
        while True:
            if not isinstance(page, dict) or not isinstance(page.get("value"), list):
                raise BadPayload("the replies answer has no 'value' list", platform=NAME,
                                 thread=thread_id)
            raw.extend(m for m in page["value"] if isinstance(m, dict))
            link = paginator.advance(page)
            if link is None:
                break
            page = self.client.get_next(link)
        return _build(thread_id, root, raw, hosts, now, paginator.pages)


def _build(thread_id: str, root: Mapping[str, Any], raw: list[Mapping[str, Any]],
           hosts: Hosts, now: dt.datetime, pages: int) -> Fetched:
    execs = {k.lower() for k in hosts.names}
    replies: dict[str, Reply] = {}
    skipped = 0
    for message in raw:
        reply = _to_reply(message, execs, hosts, thread_id)
        if reply is None:
            skipped += 1
        else:
            replies[reply.id] = reply
    ordered = _answers_nested(sorted(replies.values(), key=lambda r: (r.created, r.id)))
    url = root.get("webUrl")
    thread = Thread(
        platform=NAME, thread_id=thread_id,
        url=url if isinstance(url, str) and url.startswith("https://") else
        str(thread_url(ThreadRef(NAME, "thread", thread_id))),
        content_changed_at=now,
        totals=Totals(replies=len(ordered), likes=_likes(root),
                      participants=len({r.author_id for r in ordered})),
        replies=ordered,
    )
    bookmarks = {"messages": str(len(raw) + 1)}
    modified = root.get("lastModifiedDateTime")
    if isinstance(modified, str):
        bookmarks["root_modified"] = modified
    return Fetched(thread, bookmarks, skipped, pages)


def _answers_nested(replies: list[Reply]) -> tuple[Reply, ...]:
    """Channel replies are flat; an executive's reply that @mentions someone answers that
    person's latest earlier reply, so it is nested under it (as Q&A pages and panels expect).
    """
    nested: list[Reply] = []
    for reply in replies:
        if reply.is_host and reply.mentions:
            asked = next((r for r in reversed(nested) if not r.is_host and r.parent_id is None
                          and r.author_id in reply.mentions), None)
            if asked is not None:
                reply = dataclasses.replace(reply, parent_id=asked.id)
        nested.append(reply)
    return tuple(nested)


def _likes(message: Mapping[str, Any]) -> int:
    reactions = message.get("reactions")
    return len(reactions) if isinstance(reactions, list) else 0


def _author(message: Mapping[str, Any]) -> tuple[str, str] | None:
    """``(id, display name)`` of the sender: a user, else an app (a bot)."""
    sender = message.get("from")
    if not isinstance(sender, dict):
        return None
    for kind in ("user", "application"):
        who = sender.get(kind)
        if isinstance(who, dict) and isinstance(who.get("id"), str) and who["id"]:
            return who["id"].lower(), str(who.get("displayName") or "")
    return None


def _to_reply(message: Mapping[str, Any], execs: set[str], hosts: Hosts,
              thread_id: str) -> Reply | None:
    """Map one reply; ``None`` for deleted, system and malformed ones (logged)."""
    ident = message.get("id")
    if not isinstance(ident, str) or not ident:
        return None
    if message.get("deletedDateTime") or message.get("messageType") != "message":
        return None
    try:
        created = dt.datetime.fromisoformat(str(message.get("createdDateTime")))
    except ValueError:
        log.info("skipped reply %s of thread %s: unreadable date", ident, thread_id)
        return None
    if created.tzinfo is None:
        created = created.replace(tzinfo=dt.UTC)
    author = _author(message)
    if author is None:
        log.info("skipped reply %s of thread %s: no sender", ident, thread_id)
        return None
    author_id, author_name = author
    # An executive keeps the id as .authors.yml writes it (GUIDs come in either case).
    host_key, host_name = next(((key, name) for key, name in hosts.names.items()
                                if key.lower() == author_id), (author_id, None))
    body, body_format, mentions = _body(message)
    return Reply(
        id=ident, parent_id=None,  # channel replies are one level deep
        author_id=host_key,
        author_name=author_name or host_name or "Unknown user",
        created=created.astimezone(dt.UTC),
        body=body, body_format=body_format, likes=_likes(message),
        is_host=author_id in execs, mentions=mentions,
    )


def _body(message: Mapping[str, Any]) -> tuple[str, str, tuple[str, ...]]:
    """The body as stored (``<at>`` mentions become "@Name"), its format, the mentioned ids."""
    raw = message.get("body")
    body: Mapping[str, Any] = raw if isinstance(raw, dict) else {}
    content = str(body.get("content") or "")
    names: dict[str, str] = {}
    mentioned: list[str] = []
    for mention in message.get("mentions") or ():
        if not isinstance(mention, dict):
            continue
        target = mention.get("mentioned")
        user = target.get("user") if isinstance(target, dict) else None
        if isinstance(user, dict) and isinstance(user.get("id"), str):
            mentioned.append(user["id"].lower())
            if user.get("displayName"):
                names[str(mention.get("id"))] = str(user["displayName"])
    if str(body.get("contentType", "")).lower() != "html":
        return content, "text", tuple(dict.fromkeys(mentioned))

    def name(match: re.Match[str]) -> str:
        shown = names.get(match.group(1)) or html.unescape(_TAGS.sub("", match.group(2)))
        return "@" + html.escape(shown.lstrip("@"), quote=False)

    return _AT.sub(name, content), "html", tuple(dict.fromkeys(mentioned))
