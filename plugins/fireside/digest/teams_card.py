"""The digest as a Teams channel post: an Adaptive Card sent to a Workflows webhook.

Teams' "Post to a channel when a webhook request is received" workflow takes a message with
one Adaptive Card attachment. The card uses schema 1.4 (what Teams renders on desktop, web
and mobile) and nothing outside it (no ``msteams`` extension, which the schema forbids): at
most five new posts, then "and N more", and an open-the-blog button. Teams refuses messages
over about 28 KB, so ``build_payload`` drops detail until the card fits.

The webhook URL carries its own signature, so it is a secret: it comes from an environment
variable and never appears in a message. ``post_card`` retries like sync (connection errors,
timeouts, 429 and 5xx, with exponential backoff and a cap on the total wait) and never
raises: the caller reports a failure as a warning, as the publish report does a stale sync.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import requests

from fireside.digest.selection import Digest
from fireside.digest.settings import TeamsSettings

__all__ = ["CARD_VERSION", "MAX_BYTES", "TeamsResult", "build_card", "build_payload",
           "post_card"]

CARD_VERSION = "1.4"
#: Teams' limit is "about 28 KB" for a whole message; stay under it with room to spare.
MAX_BYTES = 27_000
#: Posts listed on the card (the rest are counted).
CARD_POSTS = 5
CARD_ANSWERS = 3
_USER_AGENT = "fireside-digest/0.1 (+intranet leadership blog)"
_RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})


@dataclass(frozen=True)
class TeamsResult:
    """How the post went: ``posted`` or ``failed`` (with a secret-free reason)."""

    status: str
    reason: str | None = None
    attempts: int = 0


def _text(text: str, **style: Any) -> dict[str, Any]:
    return {"type": "TextBlock", "text": text, "wrap": True, **style}


def _link_block(title: str, url: str, detail: str, summary: str | None = None,
                ) -> dict[str, Any]:
    items = [_text(title, weight="Bolder", color="Accent"),
             _text(detail, isSubtle=True, size="Small", spacing="None")]
    if summary:
        items.append(_text(summary, maxLines=3, spacing="Small"))
    return {"type": "Container", "items": items, "spacing": "Medium",
            "selectAction": {"type": "Action.OpenUrl", "url": url, "title": title}}


def _heading(text: str) -> dict[str, Any]:
    return _text(text, weight="Bolder", size="Medium", spacing="Large", separator=True)


def build_card(digest: Digest, *, summaries: bool = True, sections: bool = True,
               title_chars: int | None = None) -> dict[str, Any]:
    """The Adaptive Card of ``digest`` (the attachment's ``content``).

    Arguments:
        digest: What to post.
        summaries: Include each post's summary (dropped first when the card is too big).
        sections: Include the discussed, answered and Q&A sections.
        title_chars: Cut post titles to this length (the last resort for size).
    """

    def title(text: str) -> str:
        if title_chars is None or len(text) <= title_chars:
            return text
        return text[: title_chars - 1].rstrip() + "…"

    body: list[dict[str, Any]] = [
        _text(digest.blog_title, size="Small", weight="Bolder", isSubtle=True),
        _text(title(digest.title), size="Large", weight="Bolder", spacing="None"),
        _text(f"{digest.period_label} · {digest.summary()}", isSubtle=True, spacing="None"),
    ]
    if digest.intro and title_chars is None:
        body.append(_text(digest.intro))
    if digest.posts:
        body.append(_heading("New posts"))
        for post in digest.posts[:CARD_POSTS]:
            byline = ", ".join(a.name for a in post.authors)
            body.append(_link_block(title(post.item.title), post.item.url,
                                    f"{byline} · {post.date_label}",
                                    post.summary if summaries else None))
        more = len(digest.posts) - CARD_POSTS + digest.more_posts
        if more > 0:
            body.append(_text(f"And {more} more {'post' if more == 1 else 'posts'} on the "
                              "blog.", isSubtle=True))
    if sections and digest.discussed:
        body.append(_heading("Most discussed"))
        for item in digest.discussed:
            replies = "reply" if item.new_replies == 1 else "replies"
            body.append(_link_block(item.title, item.url,
                                    f"{item.new_replies} new {replies} ({item.replies} in all)"))
    if sections and digest.answered:
        body.append(_heading("Newly answered"))
        for answer in digest.answered[:CARD_ANSWERS]:
            body.append(_link_block(answer.question, answer.url,
                                    f"{answer.answered_by} · {answer.session_title}"))
        more = len(digest.answered) - CARD_ANSWERS + digest.more_answered
        if more > 0:
            body.append(_text(f"And {more} more on the Q&A pages.", isSubtle=True))
    if sections and digest.sessions:
        body.append(_heading("Open Q&A sessions"))
        for session in digest.sessions:
            body.append(_link_block(session.title, session.url,
                                    f"With {', '.join(session.hosts)}"))
    return {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": CARD_VERSION,
        "fallbackText": f"{digest.title}: {digest.summary()}. {digest.blog_url}",
        "body": body,
        "actions": [{"type": "Action.OpenUrl", "title": "Open the blog",
                     "url": digest.blog_url}],
    }


def _message(card: dict[str, Any]) -> dict[str, Any]:
    return {"type": "message", "attachments": [
        {"contentType": "application/vnd.microsoft.card.adaptive", "contentUrl": None,
         "content": card}]}


def payload_bytes(payload: dict[str, Any]) -> bytes:
    """The JSON body as sent."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def build_payload(digest: Digest) -> dict[str, Any]:
    """The webhook's JSON body: a message with the card, trimmed to fit ``MAX_BYTES``."""
    trims: tuple[dict[str, Any], ...] = (
        {}, {"summaries": False}, {"summaries": False, "sections": False},
        {"summaries": False, "sections": False, "title_chars": 200})
    for options in trims:
        payload = _message(build_card(digest, **options))
        if len(payload_bytes(payload)) <= MAX_BYTES:
            break
    return payload  # the last: five titles of 200 characters and a button always fit


def post_card(url: str, payload: dict[str, Any], settings: TeamsSettings, *,
              session: requests.Session | None = None,
              sleep: Callable[[float], None] = time.sleep) -> TeamsResult:
    """POST ``payload`` to the webhook; never raises, never reveals ``url``."""
    data = payload_bytes(payload)
    retry = settings.retries
    waited = 0.0
    reason = "not attempted"
    http = session or requests.Session()
    try:
        for attempt in range(1, retry.attempts + 1):
            delay: float | None = retry.backoff_seconds * 2.0 ** (attempt - 1) \
                * (1 + random.random() / 4)
            try:
                response = http.post(url, data=data, timeout=(min(settings.timeout_seconds,
                                                                  10.0),
                                                              settings.timeout_seconds),
                                     headers={"Content-Type": "application/json",
                                              "User-Agent": _USER_AGENT})
            except requests.Timeout:
                reason = f"no answer within {settings.timeout_seconds:g} s"
            except requests.RequestException:
                reason = "could not connect"
            else:
                if 200 <= response.status_code < 300:
                    return TeamsResult("posted", None, attempt)
                reason = f"HTTP {response.status_code}"
                if response.status_code not in _RETRY_STATUSES:
                    hint = " (the webhook may have been deleted)" if response.status_code in (
                        401, 403, 404) else ""
                    return TeamsResult("failed", f"the webhook answered {reason}{hint}",
                                       attempt)
                after = response.headers.get("Retry-After", "").strip()
                if after.isdigit():
                    delay = float(after)
            if attempt == retry.attempts or delay is None:
                break
            if waited + delay > retry.max_wait_seconds:
                return TeamsResult("failed", f"{reason}; gave up rather than wait "
                                   f"{delay:.0f} s more", attempt)
            sleep(delay)
            waited += delay
        return TeamsResult("failed", f"{reason} after {retry.attempts} "
                           f"{'try' if retry.attempts == 1 else 'tries'}", retry.attempts)
    finally:
        if session is None:
            http.close()
