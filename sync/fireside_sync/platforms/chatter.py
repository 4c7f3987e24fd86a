"""Salesforce Chatter through the Connect REST API.

``GET chatter/feed-elements/{id}`` gives the post and its likes
(``capabilities.chatterLikes.page.total``); the comments come from
``…/capabilities/comments/items?pageSize=…&page=<nextPageToken>`` until ``nextPageToken`` is
null. A comment's ``body.messageSegments`` (text, mentions, links, hashtags and
``MarkupBegin``/``MarkupEnd``) become HTML here; likes are ``likes.total``. Chatter throttles
with a bare HTTP 503 on an hourly window: the client backs off (``retries``), and if the window
is still closed the rest of the platform waits for the next run (``quota``).
"""

from __future__ import annotations

import datetime as dt
import html as html_escape
import logging
import urllib.parse
from collections.abc import Mapping
from typing import Any, ClassVar

from fireside.discussions.platforms.chatter import PLATFORM
from fireside.discussions.snapshots import Reply, Thread, Totals
from fireside_sync.errors import BadPayload
from fireside_sync.http import HttpClient, Refusal
from fireside_sync.platforms.base import (
    BasePaginator,
    Fetched,
    Hosts,
    ThreadRef,
    nest_by_mentions,
)
from fireside_sync.platforms.markup import link, safe_url, text

log = logging.getLogger("fireside_sync.chatter")

NAME = PLATFORM.name
PAGE_SIZE = 100
#: ``MarkupBegin.markupType`` → the tag the build's sanitizer keeps (others: text only).
MARKUP_TAGS = {"Bold": "strong", "Italic": "em", "Paragraph": "p", "UnorderedList": "ul",
               "OrderedList": "ol", "ListItem": "li", "Code": "code", "CodeBlock": "pre"}


def check(status: int, data: Any) -> Refusal | None:
    """Chatter's refusals: 401, the hourly 503, ``REQUEST_LIMIT_EXCEEDED``."""
    codes = [str(e.get("errorCode")) for e in data if isinstance(e, dict)] \
        if isinstance(data, list) else []
    if status == 401:
        return Refusal("auth", "Salesforce refused the access token (HTTP 401" +
                       (f": {codes[0][:40]}" if codes else "") + "); check the token in the "
                       "environment and the connected app")
    if status == 503:
        return Refusal("quota", "Chatter's hourly request limit is used up (HTTP 503); the "
                       "remaining Chatter threads wait for the next run", retry=True)
    if status == 403 and "REQUEST_LIMIT_EXCEEDED" in codes:
        return Refusal("quota", "the org's daily API allocation is used up "
                       "(REQUEST_LIMIT_EXCEEDED); Chatter waits for the next run")
    return None


class PageTokenPaginator(BasePaginator[str]):
    """``page=<nextPageToken>`` until it is null."""

    def get_next(self, page: Mapping[str, object]) -> str | None:
        token = page.get("nextPageToken")
        return str(token) if isinstance(token, str) and token else None


class ChatterAdapter:
    """The Chatter adapter."""

    name: ClassVar[str] = NAME

    def __init__(self, client: HttpClient) -> None:
        self.client = client

    def resolve(self, ref: ThreadRef) -> str:
        """Chatter links name the feed item (already in its 18-character form)."""
        return ref.id

    def fetch_thread(self, thread_id: str, *, hosts: Hosts, now: dt.datetime) -> Fetched:
        """Read the feed element, then page through its comments."""
        base = f"chatter/feed-elements/{thread_id}"
        element = self.client.get_json(base, check=check)
        if not isinstance(element, dict):
            raise BadPayload("the feed element is not an object", platform=NAME,
                             thread=thread_id)
        paginator = PageTokenPaginator()
        comments: dict[str, Mapping[str, Any]] = {}
        params = {"pageSize": str(PAGE_SIZE)}
        while True:
            page = self.client.get_json(f"{base}/capabilities/comments/items", params,
                                        check=check)
            items = page.get("items") if isinstance(page, dict) else None
            if not isinstance(items, list):
                raise BadPayload("the comment page has no 'items'", platform=NAME,
                                 thread=thread_id)
            for item in items:
                if isinstance(item, dict) and isinstance(item.get("id"), str):
                    comments[item["id"]] = item
            token = paginator.advance(page)
            if token is None:
                break
            params = {"pageSize": str(PAGE_SIZE), "page": token}
        replies: list[Reply] = []
        skipped = 0
        for item in comments.values():
            reply = _to_reply(item, hosts, thread_id)
            if reply is None:
                skipped += 1
            else:
                replies.append(reply)
        replies = nest_by_mentions(sorted(replies, key=lambda r: (r.created, r.id)))
        root = urllib.parse.urlsplit(self.client.settings.api_url)
        web = self.client.settings.web_url or f"{root.scheme}://{root.netloc}"
        thread = Thread(
            platform=NAME, thread_id=thread_id, url=f"{web}/{thread_id}",
            content_changed_at=now,
            totals=Totals(replies=len(replies), likes=_post_likes(element),
                          participants=len({r.author_id for r in replies})),
            replies=tuple(replies))
        return Fetched(thread, {"messages": str(len(comments) + 1)}, skipped,
                       paginator.pages + 1)


def _post_likes(element: Mapping[str, Any]) -> int:
    capabilities = element.get("capabilities")
    likes = capabilities.get("chatterLikes") if isinstance(capabilities, dict) else None
    page = likes.get("page") if isinstance(likes, dict) else None
    total = page.get("total") if isinstance(page, dict) else None
    return total if isinstance(total, int) and total > 0 else 0


def _to_reply(item: Mapping[str, Any], hosts: Hosts, thread_id: str) -> Reply | None:
    ident = item["id"]
    try:
        created = dt.datetime.fromisoformat(str(item.get("createdDate")))
    except ValueError:
        log.info("skipped comment %s of %s: unreadable date", ident, thread_id)
        return None
    user = item.get("user")
    user = user if isinstance(user, dict) else {}
    author_id = str(user.get("id", ""))
    body = item.get("body")
    body = body if isinstance(body, dict) else {}
    html, mentions = to_html(body)
    likes = item.get("likes")
    total = likes.get("total") if isinstance(likes, dict) else None
    return Reply(
        id=ident, parent_id=None, author_id=author_id,
        author_name=str(user.get("displayName") or user.get("name") or "Unknown user"),
        created=(created if created.tzinfo else created.replace(tzinfo=dt.UTC))
        .astimezone(dt.UTC),
        body=html, body_format="html", likes=total if isinstance(total, int) and total > 0
        else 0, is_host=author_id in hosts, mentions=mentions)


def to_html(body: Mapping[str, Any]) -> tuple[str, tuple[str, ...]]:
    """A Chatter body's ``messageSegments`` → safe HTML, and the mentioned user ids."""
    segments = body.get("messageSegments")
    if not isinstance(segments, list) or not segments:
        return f"<p>{text(str(body.get('text') or ''))}</p>", ()
    out: list[str] = []
    open_tags: list[str] = []
    mentions: list[str] = []
    for segment in segments:
        if not isinstance(segment, dict):
            continue
        kind = segment.get("type")
        words = str(segment.get("text") or "")
        if kind == "Mention":
            record = segment.get("record")
            if isinstance(record, dict) and isinstance(record.get("id"), str):
                mentions.append(record["id"])
            out.append(text(words or "@" + str(segment.get("name") or "")))
        elif kind == "Link":
            url = str(segment.get("url") or "")
            out.append(link(url, words or url))
        elif kind == "MarkupBegin":
            tag = _markup_tag(segment)
            if tag:
                open_tags.append(tag)
                out.append(tag_open(tag, segment))
        elif kind == "MarkupEnd":
            tag = _markup_tag(segment)
            if tag and tag in open_tags:
                while open_tags:
                    closing = open_tags.pop()
                    out.append(f"</{closing}>")
                    if closing == tag:
                        break
        else:  # Text, Hashtag, EntityLink, FieldChange, InlineImage …: their text
            out.append(text(words))
    out.extend(f"</{t}>" for t in reversed(open_tags))
    html = "".join(out).replace("\n", "<br>")
    return (html if html.startswith("<p>") else f"<p>{html}</p>"), \
        tuple(dict.fromkeys(mentions))


def _markup_tag(segment: Mapping[str, Any]) -> str | None:
    kind = str(segment.get("markupType") or "")
    if kind == "Hyperlink":
        return "a"
    return MARKUP_TAGS.get(kind)


def tag_open(tag: str, segment: Mapping[str, Any]) -> str:
    """The opening tag; a hyperlink keeps its URL only when it is safe."""
    if tag != "a":
        return f"<{tag}>"
    url = safe_url(str(segment.get("url") or ""))
    return f'<a href="{html_escape.escape(url, quote=True)}">' if url else "<a>"
