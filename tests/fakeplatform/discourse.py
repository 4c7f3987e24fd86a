"""A loopback Discourse: ``/t/{id}.json`` and ``/t/{id}/posts.json?post_ids[]=…``.

As documented: ``Api-Key``/``Api-Username`` headers (a wrong pair is a 403 ``invalid_access``,
"The API username or key is invalid."); the topic carries the first ``CHUNK`` posts and the
whole ``stream`` of post ids; ``posts.json`` answers at most ``CHUNK`` ids; posts have
``post_number``, ``post_type`` (1 regular, 2 moderator action, 3 small action, 4 whisper),
``deleted_at``, ``hidden``, ``reply_to_post_number``, ``actions_summary`` and ``cooked``; 404
and 429 (``extras.wait_seconds`` and ``Retry-After``) bodies as Discourse sends them.
Served under a subfolder (``/forum``), as some installs are.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from tests.fakeplatform.apifake import Answer, Loopback, Scripted, Seen, as_json

CHUNK = 20
_TOPIC = re.compile(r"^t/(\d+)\.json$")
_POSTS = re.compile(r"^t/(\d+)/posts\.json$")
NOT_FOUND = {"errors": ["The requested URL or resource could not be found."],
             "error_type": "not_found"}


def post(post_id: int, number: int, user_id: int, name: str, created: dt.datetime,
         cooked: str, *, likes: int = 0, reply_to: int | None = None, post_type: int = 1,
         **extra: Any) -> dict[str, Any]:
    """A post in Discourse's shape."""
    username = name.lower().replace(" ", "_")
    summary: list[dict[str, Any]] = [{"id": 2, "count": likes, "can_act": True}] if likes \
        else [{"id": 2, "can_act": True}]
    return {"id": post_id, "post_number": number, "user_id": user_id, "username": username,
            "name": name, "avatar_template": f"/user_avatar/forum/{username}/{{size}}/1_2.png",
            "created_at": created.astimezone(dt.UTC).isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "cooked": cooked, "reply_to_post_number": reply_to, "post_type": post_type,
            "actions_summary": summary, "hidden": False, "deleted_at": None,
            "user_deleted": False, "trust_level": 2, **extra}


def rate_limited(wait: int = 1, *, header: bool = True) -> Scripted:
    """Discourse's 429, with or without ``Retry-After``."""
    body = {"errors": [f"You\u2019ve performed this action too many times. Please wait {wait} "
                       "seconds before trying again."], "error_type": "rate_limit",
            "extras": {"wait_seconds": wait, "time_left": f"{wait} seconds"}}
    return Scripted(429, as_json(body), {"Retry-After": str(wait)} if header else {})


class FakeDiscourse(Loopback):
    """A Discourse forum on 127.0.0.1 under ``/forum`` (``api_url`` is the forum's root)."""

    prefix = "/forum"

    def __init__(self, key: str = "discourse-key", username: str = "system") -> None:
        super().__init__()
        self.key, self.username = key, username
        self.topics: dict[int, tuple[dict[str, Any], list[dict[str, Any]]]] = {}

    def add_topic(self, topic_id: int, title: str, posts: list[dict[str, Any]]) -> None:
        """Serve ``posts`` (post 1 first) as topic ``topic_id``."""
        slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
        self.topics[topic_id] = ({"id": topic_id, "title": title, "fancy_title": title,
                                  "slug": slug, "archetype": "regular"}, posts)

    def authorized(self, seen: Seen) -> Answer | None:
        if (seen.headers.get("api-key"), seen.headers.get("api-username")) == \
                (self.key, self.username):
            return None
        return 403, as_json({"errors": ["You are not permitted to view the requested "
                                        "resource. The API username or key is invalid."],
                             "error_type": "invalid_access"}), {}

    def route(self, seen: Seen) -> Answer:
        if match := _TOPIC.match(seen.path):
            return self._topic(int(match.group(1)))
        if match := _POSTS.match(seen.path):
            return self._posts(int(match.group(1)), list(seen.query.get("post_ids[]", [])))
        return 404, as_json(NOT_FOUND), {}

    def _topic(self, topic_id: int) -> Answer:
        if topic_id not in self.topics:
            return 404, as_json(NOT_FOUND), {}
        topic, posts = self.topics[topic_id]
        regular = [p for p in posts if p["post_type"] == 1 and not p["deleted_at"]]
        body = {**topic, "posts_count": len(posts), "reply_count": len(regular) - 1,
                "like_count": sum(_likes(p) for p in posts),
                "last_posted_at": posts[-1]["created_at"] if posts else None,
                "highest_post_number": max((p["post_number"] for p in posts), default=0),
                "post_stream": {"posts": posts[:CHUNK], "stream": [p["id"] for p in posts]}}
        return 200, as_json(body), {}

    def _posts(self, topic_id: int, ids: list[str]) -> Answer:
        if topic_id not in self.topics:
            return 404, as_json(NOT_FOUND), {}
        if len(ids) > CHUNK:
            return 400, as_json({"errors": ["too many post_ids"],
                                 "error_type": "invalid_parameters"}), {}
        wanted = {int(i) for i in ids}
        posts = [p for p in self.topics[topic_id][1] if p["id"] in wanted]
        return 200, as_json({"id": topic_id, "post_stream": {"posts": posts}}), {}


def _likes(item: dict[str, Any]) -> int:
    return sum(int(a.get("count", 0)) for a in item["actions_summary"] if a["id"] == 2)
