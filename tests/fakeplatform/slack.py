"""A loopback Slack Web API: ``conversations.replies``, ``users.info`` and ``auth.test``.

As documented: bearer tokens; errors as HTTP 200 with ``{"ok": false, "error": …}``
(``invalid_auth``, ``channel_not_found``, ``thread_not_found``, ``user_not_found``); cursor
paging with ``response_metadata.next_cursor`` and the parent repeated at the top of every
page; a deleted parent left as a ``tombstone``; deleted replies simply gone; bot replies with
``bot_id``/``bot_profile``; reactions with counts; 429 ``ratelimited`` with ``Retry-After``.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Iterable
from typing import Any

from tests.fakeplatform.apifake import Answer, Loopback, Scripted, Seen, as_json

WORKSPACE = "https://northwind.slack.com/"
PAGE_SIZE = 15


def ts_of(when: dt.datetime, micro: int = 0) -> str:
    """Slack's ``ts`` for a time: epoch seconds and six digits."""
    return f"{int(when.timestamp())}.{micro:06d}"


def msg(ts: str, user: str, text: str, *, thread_ts: str | None = None,
        reactions: Iterable[tuple[str, int]] = (), **extra: Any) -> dict[str, Any]:
    """A message in Slack's shape."""
    data: dict[str, Any] = {"type": "message", "user": user, "text": text, "ts": ts,
                            "thread_ts": thread_ts or ts}
    if reactions:
        data["reactions"] = [{"name": name, "count": count,
                              "users": [f"U0R{i:05d}" for i in range(count)]}
                             for name, count in reactions]
    data.update(extra)
    return data


def bot(ts: str, name: str, text: str, *, thread_ts: str) -> dict[str, Any]:
    """A bot's reply (``subtype: bot_message``, no ``user``)."""
    return {"type": "message", "subtype": "bot_message", "bot_id": "B0DEPLOY1", "text": text,
            "ts": ts, "thread_ts": thread_ts, "username": name,
            "bot_profile": {"id": "B0DEPLOY1", "name": name, "app_id": "A0DEPLOY1"}}


def tombstone(ts: str, reply_count: int) -> dict[str, Any]:
    """What Slack leaves of a deleted parent that still has replies."""
    return {"type": "message", "subtype": "tombstone", "text": "This message was deleted.",
            "user": "USLACKBOT", "hidden": True, "ts": ts, "thread_ts": ts,
            "reply_count": reply_count}


def person(user_id: str, real_name: str) -> dict[str, Any]:
    """A ``users.info`` user (with an email, which must never reach a snapshot)."""
    handle = real_name.lower().replace(" ", ".")
    return {"id": user_id, "name": handle, "real_name": real_name, "is_bot": False,
            "profile": {"real_name": real_name, "display_name": handle,
                        "email": f"{handle}@northwind.example",
                        "image_72": f"https://avatars.slack-edge.com/{handle}_72.png"}}


class FakeSlack(Loopback):
    """Slack's Web API on 127.0.0.1 (``api_url`` is ``<root>/api``)."""

    prefix = "/api"

    def __init__(self, token: str = "xoxp-test") -> None:
        super().__init__()
        self.token = token
        self.page_size = PAGE_SIZE
        self.threads: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.users: dict[str, dict[str, Any]] = {}

    def add_thread(self, channel: str, messages: list[dict[str, Any]],
                   users: Iterable[dict[str, Any]] = ()) -> None:
        """Serve ``messages`` (the parent first) in ``channel``."""
        self.threads[(channel, messages[0]["ts"])] = messages
        for entry in users:
            self.users[entry["id"]] = entry

    def ratelimited(self, count: int, retry_after: int = 1) -> None:
        """Answer the next ``count`` requests with HTTP 429 ``ratelimited``."""
        self.storm(count, Scripted(429, as_json({"ok": False, "error": "ratelimited"}),
                                   {"Retry-After": str(retry_after)}))

    def authorized(self, seen: Seen) -> Answer | None:
        if seen.headers.get("authorization") == f"Bearer {self.token}":
            return None
        error = "not_authed" if "authorization" not in seen.headers else "invalid_auth"
        return 200, as_json({"ok": False, "error": error}), {}

    def route(self, seen: Seen) -> Answer:
        if seen.path == "conversations.replies":
            return self._replies(seen)
        if seen.path == "users.info":
            user = self.users.get(seen.arg("user") or "")
            if user is None:
                return 200, as_json({"ok": False, "error": "user_not_found"}), {}
            return 200, as_json({"ok": True, "user": user}), {}
        if seen.path == "auth.test":
            return 200, as_json({"ok": True, "url": WORKSPACE, "team": "Northwind",
                                 "user": "fireside", "team_id": "T0NORTH01",
                                 "user_id": "U0FIRESD1"}), {}
        return 404, b"", {"Content-Type": "text/plain"}

    def _replies(self, seen: Seen) -> Answer:
        channel, ts = seen.arg("channel") or "", seen.arg("ts") or ""
        if not any(c == channel for c, _ in self.threads):
            return 200, as_json({"ok": False, "error": "channel_not_found"}), {}
        thread = self.threads.get((channel, ts))
        if thread is None:
            return 200, as_json({"ok": False, "error": "thread_not_found"}), {}
        limit = min(int(seen.arg("limit") or 1000), self.page_size)
        cursor = seen.arg("cursor")
        start = int(base64.b64decode(cursor).decode().removeprefix("next_ts:")) if cursor else 0
        replies = thread[1:]
        page = replies[start:start + limit]
        more = start + limit < len(replies)
        parent = {**thread[0], "reply_count": len(replies),
                  "reply_users": sorted({m.get("user", "") for m in replies}),
                  "latest_reply": replies[-1]["ts"] if replies else thread[0]["ts"]}
        body: dict[str, Any] = {"ok": True, "messages": [parent, *page], "has_more": more}
        next_cursor = base64.b64encode(f"next_ts:{start + limit}".encode()).decode() \
            if more else ""
        body["response_metadata"] = {"next_cursor": next_cursor}
        return 200, as_json(body), {}
