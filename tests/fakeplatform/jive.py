"""A loopback Jive (REST v3 under ``/api/core/v3``).

As documented: every body, errors included, starts with ``throw 'allowIllegalResourceCall is
false.';``; ``/contents?filter=entityDescriptor(type,id)`` resolves a link's object id;
``/contents/{id}`` answers the content (``type``, ``likeCount``, ``resources.html.ref``);
discussions list replies at ``/messages/contents/{id}``, documents at
``/contents/{id}/comments``, with ``startIndex``/``count`` paging and an absolute
``links.next`` while more remain; nested replies name their parent's URI in ``parent``;
dates look like ``2026-02-03T10:53:20.123+0000``; bearer or Basic auth (401 otherwise).
"""

from __future__ import annotations

import base64
import datetime as dt
import re
from typing import Any

from tests.fakeplatform.apifake import Answer, Loopback, Seen, as_json

PREFIX = b"throw 'allowIllegalResourceCall is false.';\n"
_CONTENT = re.compile(r"^contents/(\d+)$")
_COMMENTS = re.compile(r"^contents/(\d+)/comments$")
_MESSAGES = re.compile(r"^messages/contents/(\d+)$")
_DESCRIPTOR = re.compile(r"^entityDescriptor\((\d+),(\d+)\)$")


def jive_date(when: dt.datetime) -> str:
    """Jive's date format."""
    return when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.") + \
        f"{when.microsecond // 1000:03d}+0000"


def error(status: int, message: str) -> Answer:
    """A Jive error, prefixed like every answer."""
    return status, PREFIX + as_json({"error": {"status": status, "message": message}}), {}


class FakeJive(Loopback):
    """Jive on 127.0.0.1."""

    prefix = "/api/core/v3"

    def __init__(self, token: str = "jive-token", basic: tuple[str, str] | None = None,
                 site: str = "https://northwind.jiveon.com") -> None:
        super().__init__()
        self.token = token
        self.site = site
        self.basic = basic
        self.page_cap = 100
        self.contents: dict[str, dict[str, Any]] = {}
        self.replies: dict[str, list[dict[str, Any]]] = {}
        self.objects: dict[tuple[int, int], str] = {}

    def add_content(self, content_id: str, kind: str, object_id: int, subject: str,
                    replies: list[dict[str, Any]], *, likes: int = 0) -> None:
        """Serve a discussion or document with its (flat, nested through ``parent``) replies."""
        object_type = 1 if kind == "discussion" else 102
        html = f"{self.site}/{'thread' if kind == 'discussion' else 'docs'}" \
               f"/{'' if kind == 'discussion' else 'DOC-'}{object_id}"
        self.objects[(object_type, object_id)] = content_id
        self.contents[content_id] = {
            "type": kind, "id": content_id, "contentID": content_id, "subject": subject,
            "likeCount": likes, "replyCount": len(replies), "status": "published",
            "resources": {"html": {"ref": html, "allowed": ["GET"]}}}
        self.replies[content_id] = replies

    def reply(self, content_id: str, reply_id: str, author: tuple[str, str],
              when: dt.datetime, html: str, *, parent: str | None = None, likes: int = 0,
              kind: str = "comment", status: str = "published") -> dict[str, Any]:
        """A comment or message in Jive's shape."""
        base = f"{self.url}"
        collection = "messages" if kind == "message" else "comments"
        parent_uri = f"{base}/{collection}/{parent}" if parent else \
            f"{base}/contents/{content_id}"
        return {"type": kind, "id": reply_id, "status": status, "parent": parent_uri,
                "rootURI": f"{base}/contents/{content_id}",
                "author": {"id": author[0], "displayName": author[1],
                           "name": {"formatted": author[1]},
                           "emails": [{"value": f"{author[0]}@northwind.example",
                                       "primary": True}]},
                "content": {"type": "text/html", "text": f"<body>{html}</body>"},
                "likeCount": likes, "replyCount": 0, "published": jive_date(when),
                "updated": jive_date(when)}

    def authorized(self, seen: Seen) -> Answer | None:
        given = seen.headers.get("authorization", "")
        if self.basic is not None:
            expected = "Basic " + base64.b64encode(":".join(self.basic).encode()).decode()
        else:
            expected = f"Bearer {self.token}"
        return None if given == expected else error(401, "Invalid credentials")

    def route(self, seen: Seen) -> Answer:
        if seen.path == "contents":
            match = _DESCRIPTOR.match(seen.arg("filter") or "")
            if not match:
                return error(400, "Invalid filter")
            found = self.objects.get((int(match.group(1)), int(match.group(2))))
            listed = [self.contents[found]] if found else []
            return 200, PREFIX + as_json({"startIndex": 0, "itemsPerPage": 1,
                                          "list": listed}), {}
        if match := _CONTENT.match(seen.path):
            content = self.contents.get(match.group(1))
            if content is None:
                return error(404, f"The requested content {match.group(1)} does not exist")
            return 200, PREFIX + as_json(content), {}
        for pattern, kind in ((_COMMENTS, "document"), (_MESSAGES, "discussion")):
            if match := pattern.match(seen.path):
                return self._list(seen, match.group(1), kind)
        return error(404, "No such resource")

    def _list(self, seen: Seen, content_id: str, kind: str) -> Answer:
        content = self.contents.get(content_id)
        if content is None:
            return error(404, f"The requested content {content_id} does not exist")
        if (content["type"] == "discussion") != (kind == "discussion"):
            return error(400, f"Content {content_id} is a {content['type']}")
        start = int(seen.arg("startIndex") or 0)
        count = min(int(seen.arg("count") or 25), self.page_cap)
        items = self.replies[content_id]
        body: dict[str, Any] = {"startIndex": start, "itemsPerPage": count,
                                "list": items[start:start + count], "links": {}}
        if start + count < len(items):
            body["links"]["next"] = f"{self.url}/{seen.path}?startIndex={start + count}" \
                                    f"&count={count}"
        if start > 0:
            body["links"]["previous"] = f"{self.url}/{seen.path}?startIndex=" \
                                        f"{max(0, start - count)}&count={count}"
        return 200, PREFIX + as_json(body), {}
