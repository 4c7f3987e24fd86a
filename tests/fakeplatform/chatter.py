"""A loopback Salesforce Chatter (Connect REST under ``/services/data/v62.0``).

As documented: bearer tokens (401 ``[{"errorCode": "INVALID_SESSION_ID", …}]`` otherwise);
``chatter/feed-elements/{id}`` with ``capabilities.chatterLikes.page.total``;
``…/capabilities/comments/items?pageSize=&page=`` answering a Comment Page (``items``,
``total``, ``currentPageToken``, ``nextPageToken``, ``nextPageUrl``: null on the last page),
newest page first; errors as JSON arrays (404 ``NOT_FOUND``); throttling as a bare HTTP 503
with no body and no ``Retry-After``. Ids may be asked in their 15-character form.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from tests.fakeplatform.apifake import Answer, Loopback, Scripted, Seen, as_json

VERSION = "v62.0"
_ELEMENT = re.compile(r"^chatter/feed-elements/(0D5\w+)$")
_ITEMS = re.compile(r"^chatter/feed-elements/(0D5\w+)/capabilities/comments/items$")
NOT_FOUND = [{"errorCode": "NOT_FOUND", "message": "The requested resource does not exist"}]
THROTTLED = Scripted(503, b"", {"Content-Type": "text/html"})


def segment_text(value: str) -> dict[str, Any]:
    """A ``Text`` segment."""
    return {"type": "Text", "text": value}


def comment(comment_id: str, user: tuple[str, str], when: dt.datetime,
            segments: Iterable[dict[str, Any]], *, likes: int = 0) -> dict[str, Any]:
    """A comment in Chatter's shape."""
    parts = list(segments)
    return {"id": comment_id, "type": "TextComment",
            "body": {"text": "".join(str(s.get("text", "")) for s in parts),
                     "messageSegments": parts, "isRichText": True},
            "createdDate": when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
            "user": {"id": user[0], "displayName": user[1], "name": user[1], "type": "User",
                     "photo": {"smallPhotoUrl": "https://northwind.file.force.com/profilephoto/"
                               f"{user[0]}/T"}},
            "likes": {"items": [], "total": likes}, "myLike": None}


class FakeChatter(Loopback):
    """Salesforce on 127.0.0.1."""

    prefix = f"/services/data/{VERSION}"

    def __init__(self, token: str = "00Dsession!token") -> None:
        super().__init__()
        self.token = token
        self.page_cap = 100
        self.elements: dict[str, tuple[int, list[dict[str, Any]]]] = {}

    def add_post(self, feed_item_id: str, comments: list[dict[str, Any]], *,
                 likes: int = 0) -> None:
        """Serve a feed item (18-character id) with its comments, oldest first."""
        self.elements[feed_item_id] = (likes, comments)

    def throttle(self, count: int) -> None:
        """Answer the next ``count`` requests with the bare hourly-window 503."""
        self.storm(count, THROTTLED)

    def authorized(self, seen: Seen) -> Answer | None:
        if seen.headers.get("authorization") == f"Bearer {self.token}":
            return None
        return 401, as_json([{"errorCode": "INVALID_SESSION_ID",
                              "message": "Session expired or invalid"}]), {}

    def _find(self, ident: str) -> str | None:
        return next((k for k in self.elements if k == ident or k[:15] == ident), None)

    def route(self, seen: Seen) -> Answer:
        if match := _ELEMENT.match(seen.path):
            key = self._find(match.group(1))
            if key is None:
                return 404, as_json(NOT_FOUND), {}
            likes, comments = self.elements[key]
            return 200, as_json({
                "id": key, "type": "FeedItem", "url": f"{self.prefix}/chatter/feed-elements/{key}",
                "capabilities": {"chatterLikes": {"page": {"total": likes, "items": []}},
                                 "comments": {"page": {"total": len(comments)}}}}), {}
        if match := _ITEMS.match(seen.path):
            key = self._find(match.group(1))
            if key is None:
                return 404, as_json(NOT_FOUND), {}
            return self._page(key, seen)
        return 404, as_json(NOT_FOUND), {}

    def _page(self, key: str, seen: Seen) -> Answer:
        comments = self.elements[key][1]
        size = min(int(seen.arg("pageSize") or 25), self.page_cap)
        # Newest page first; the token names how many of the newest comments were served.
        served = int((seen.arg("page") or "p0").removeprefix("p"))
        end = len(comments) - served
        page = comments[max(0, end - size):max(0, end)]
        more = end - size > 0
        path = f"{self.prefix}/chatter/feed-elements/{key}/capabilities/comments/items"
        token = f"p{served + size}" if more else None
        return 200, as_json({
            "items": page, "total": len(comments),
            "currentPageToken": seen.arg("page"), "currentPageUrl": path,
            "nextPageToken": token,
            "nextPageUrl": f"{path}?page={token}&pageSize={size}" if token else None}), {}
