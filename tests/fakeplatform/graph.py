"""A loopback Microsoft Graph v1.0 serving Teams channel threads as documented.

- ``GET /v1.0/teams/{team}/channels/{channel}/messages/{id}``: the root post (``chatMessage``
  with its ``reactions``);
- ``GET …/messages/{id}/replies``: newest first, 20 a page by default, ``$top`` at most 50
  (more is a 400), no other OData options; an absolute ``@odata.nextLink`` with an opaque
  ``$skiptoken`` the server remembers, so only a link followed verbatim works;
- Bearer tokens checked against ``tokens`` (401 ``InvalidAuthenticationToken``), channels in
  ``forbidden`` answer 403 ``Forbidden``, unknown ones 404 ``NotFound``;
- ``rate_limit=(n, seconds)`` per channel: over it, 429 ``TooManyRequests`` with
  ``Retry-After``. ``fail()`` scripts any other answer.
"""

from __future__ import annotations

import base64
import collections
import datetime as dt
import html
import secrets
import threading
import time
import urllib.parse
import uuid
from collections.abc import Iterable
from typing import Any

from tests.fakeplatform.loopback import Answer, Loopback, Request, json_answer

TEAM = "6b1c0e2a-0d4c-4f6e-9b8a-1c2d3e4f5a6b"
CHANNEL = "19:c0ffee42a7b84f1e9d3c5b6a7e8f9012@thread.tacv2"
TENANT = "0d3c9a4e-5b1f-4e2a-9c7d-2f6a8b1e4c90"
DEFAULT_TOP = 20
MAX_TOP = 50


def person(index: int, name: str) -> tuple[str, str]:
    """``(Entra object id, display name)`` of a made-up colleague."""
    return str(uuid.uuid5(uuid.NAMESPACE_DNS, f"{index}.{name}.northwind.example")), name


def chat_message(ident: str, root: str | None, sender: tuple[str, str], created: dt.datetime,
                 text: str, *, html_body: str | None = None, reactions: int = 0,
                 deleted: bool = False, message_type: str = "message",
                 mentions: Iterable[tuple[str, str]] = (), team: str = TEAM,
                 channel: str = CHANNEL) -> dict[str, Any]:
    """A ``chatMessage`` as Graph returns it; ``root`` is ``None`` for the root post."""
    at = "".join(f'<at id="{i}">{html.escape(name)}</at> ' for i, (_, name) in
                 enumerate(mentions))  # Teams puts the mention where it is typed: first
    content = html_body if html_body is not None else (
        f"<p>{at}{html.escape(text)}</p>" if at else text)
    stamp = created.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.") + \
        f"{created.microsecond // 1000:03d}Z"
    link_query = urllib.parse.urlencode({"groupId": team, "tenantId": TENANT,
                                         "createdTime": ident, "parentMessageId": root or ident})
    return {
        "id": ident, "replyToId": root, "etag": ident, "messageType": message_type,
        "createdDateTime": stamp, "lastModifiedDateTime": stamp, "lastEditedDateTime": None,
        "deletedDateTime": stamp if deleted else None, "subject": None, "summary": None,
        "chatId": None, "importance": "normal", "locale": "en-us",
        "webUrl": f"https://teams.microsoft.com/l/message/{urllib.parse.quote(channel, safe='')}"
                  f"/{ident}?{link_query}",
        "policyViolation": None, "eventDetail": None if message_type == "message" else {
            "@odata.type": "#microsoft.graph.membersAddedEventMessageDetail"},
        "from": None if message_type != "message" else {
            "application": None, "device": None,
            "user": {"@odata.type": "#microsoft.graph.teamworkUserIdentity",
                     "id": sender[0], "displayName": sender[1], "userIdentityType": "aadUser",
                     "tenantId": TENANT}},
        "body": {"contentType": "html" if (at or html_body) else "text",
                 "content": "" if deleted else content},
        "channelIdentity": {"teamId": team, "channelId": channel},
        "attachments": [],
        "mentions": [{"id": i, "mentionText": name, "mentioned": {
            "application": None, "device": None, "conversation": None, "tag": None,
            "user": {"@odata.type": "#microsoft.graph.teamworkUserIdentity", "id": oid,
                     "displayName": name, "userIdentityType": "aadUser", "tenantId": TENANT}}}
                     for i, (oid, name) in enumerate(mentions)],
        "reactions": [{"reactionType": "like" if k % 3 else "💯",
                       "displayName": "Like" if k % 3 else None,
                       "reactionContentUrl": None, "createdDateTime": stamp,
                       "user": {"application": None, "device": None, "user": {
                           "id": str(uuid.uuid5(uuid.NAMESPACE_OID, f"{ident}.{k}")),
                           "displayName": None, "userIdentityType": "aadUser"}}}
                      for k in range(reactions)],
    }


class FakeGraph(Loopback):
    """Graph's Teams endpoints for the threads added with ``add_thread``."""

    def __init__(self, tokens: set[str] | None = None) -> None:
        super().__init__()
        self.tokens: set[str] = tokens if tokens is not None else {"graph-test-token"}
        self.threads: dict[tuple[str, str, str], tuple[dict[str, Any], list[dict[str, Any]]]] = {}
        self.forbidden: set[str] = set()
        self.rate_limit: tuple[int, float] | None = None
        self.retry_after = "1"
        self._skiptokens: dict[str, int] = {}
        self._windows: dict[str, collections.deque[float]] = collections.defaultdict(
            collections.deque)
        self._rate_lock = threading.Lock()

    @property
    def url(self) -> str:
        """The ``api_url`` to configure."""
        return f"{self.origin}/v1.0"

    def add_thread(self, root: dict[str, Any], replies: list[dict[str, Any]],
                   team: str = TEAM, channel: str = CHANNEL) -> str:
        """Serve a thread; return its ``teams:`` short form."""
        self.threads[(team, channel, root["id"])] = (root, list(replies))
        return f"teams:{team}/{channel}/{root['id']}"

    def reply_requests(self) -> list[Request]:
        """The requests for reply pages."""
        return [r for r in self.requests if r.path.endswith("/replies")]

    def route(self, request: Request) -> Answer:
        auth = request.headers.get("authorization", "")
        if not auth.startswith("Bearer ") or auth[len("Bearer "):] not in self.tokens:
            return _error(401, "InvalidAuthenticationToken",
                          "Access token validation failure. Invalid audience.")
        parts = request.path.removeprefix("/v1.0/").split("/")
        if len(parts) not in (6, 7) or parts[0] != "teams" or parts[2] != "channels" or \
                parts[4] != "messages" or (len(parts) == 7 and parts[6] != "replies"):
            return _error(400, "BadRequest", "Resource not found for the segment.")
        team, channel, root_id = parts[1], parts[3], parts[5]
        if self._over_limit(channel):
            return _error(429, "TooManyRequests", "Too many requests.",
                          {"Retry-After": self.retry_after})
        if channel in self.forbidden:
            return _error(403, "Forbidden", "Missing role permissions on the request. API "
                          "requires one of 'ChannelMessage.Read.All, ChannelMessage.Read.Group'"
                          ". Roles on the request ''.")
        thread = self.threads.get((team, channel, root_id))
        if thread is None:
            return _error(404, "NotFound", "Message not found.")
        if len(parts) == 6:
            return json_answer({"@odata.context": f"{self.url}/$metadata#teams('{team}')/"
                                                  f"channels('{channel}')/messages/$entity",
                                **thread[0]})
        return self._replies(request, team, channel, root_id, thread[1])

    def _replies(self, request: Request, team: str, channel: str, root_id: str,
                 replies: list[dict[str, Any]]) -> Answer:
        unknown = set(request.query) - {"$top", "$skiptoken"}
        if unknown:
            return _error(400, "BadRequest", f"Query option '{sorted(unknown)[0]}' is not "
                          "allowed. Only $top is supported.")
        try:
            top = int(request.query.get("$top", DEFAULT_TOP))
        except ValueError:
            return _error(400, "BadRequest", "Invalid $top value.")
        if not 1 <= top <= MAX_TOP:
            return _error(400, "BadRequest", f"The limit of '{MAX_TOP}' for Top query has been "
                          "exceeded. The value from the incoming request is "
                          f"'{top}'.")
        start = 0
        if "$skiptoken" in request.query:
            token = request.query["$skiptoken"]
            if token not in self._skiptokens:
                return _error(400, "BadRequest", "Invalid skip token.")
            start = self._skiptokens[token]
        ordered = sorted(replies, key=lambda m: m["createdDateTime"], reverse=True)
        page = ordered[start:start + top]
        body: dict[str, Any] = {
            "@odata.context": f"{self.url}/$metadata#teams('{team}')/channels('{channel}')/"
                              f"messages('{root_id}')/replies",
            "@odata.count": len(page), "value": page}
        if start + top < len(ordered):
            token = base64.urlsafe_b64encode(secrets.token_bytes(18)).decode()
            self._skiptokens[token] = start + top
            body["@odata.nextLink"] = (
                f"{self.url}/teams/{team}/channels/{urllib.parse.quote(channel, safe='')}/"
                f"messages/{root_id}/replies?$top={top}&$skiptoken={token}")
        return json_answer(body)

    def _over_limit(self, channel: str) -> bool:
        if self.rate_limit is None:
            return False
        count, window = self.rate_limit
        now = time.monotonic()
        with self._rate_lock:
            done = self._windows[channel]
            while done and done[0] <= now - window:
                done.popleft()
            if len(done) >= count:
                return True
            done.append(now)
        return False


def _error(status: int, code: str, message: str,
           headers: dict[str, str] | None = None) -> Answer:
    return json_answer({"error": {"code": code, "message": message, "innerError": {
        "date": "2026-03-10T08:00:00", "request-id": str(uuid.uuid4()),
        "client-request-id": str(uuid.uuid4())}}}, status, **(headers or {}))
