"""Viva Engage (Yammer): the links users paste, and the registry entry.

Forms: ``…/threads/show?threadId=<id>`` (classic), ``/threads/<base64url token>`` (new web, on
``web.yammer.com`` and ``engage.cloud.microsoft``, with or without ``/org/<network>``),
``/messages/<id>`` permalinks (resolved by sync), Viva Engage inside Teams (the Engage path
URL-encoded in a JSON ``context``), and ``yammer:<thread id>``.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import urllib.parse

from fireside.discussions.platforms import Defaults, Platform, ReferenceProblem, ThreadRef

_THREAD_ID = re.compile(r"[?&]threadId=(\d+)", re.IGNORECASE)
_TOKEN = re.compile(r"/threads/([A-Za-z0-9_\-+/]+={0,2})")
_MESSAGE = re.compile(r"/messages/(\d+)(?:[/?#]|$)")


def parse_url(parts: urllib.parse.SplitResult) -> ThreadRef | None:
    """A pasted Viva Engage link → its thread (or message permalink)."""
    host = (parts.hostname or "").lower()
    # Teams embeds the Engage path URL-encoded in a JSON ``context``: decode twice.
    plain = urllib.parse.unquote(urllib.parse.unquote(parts.geturl()))
    if host.endswith("teams.microsoft.com") and "/threads/" not in plain:
        return None  # a Teams channel link, not Viva Engage inside Teams
    if match := _THREAD_ID.search(plain):
        return ThreadRef("yammer", "thread", match.group(1))
    if match := _TOKEN.search(plain):
        return _decode_token(match.group(1))
    if match := _MESSAGE.search(plain):
        return ThreadRef("yammer", "message", match.group(1))
    raise ReferenceProblem("this Viva Engage link points to no thread; open the "
                           "conversation, choose 'Copy link' and paste that link")


def parse_id(ident: str) -> ThreadRef:
    """``yammer:<thread id>``: the id is a number."""
    if not ident.isdigit():
        raise ReferenceProblem(f"'yammer:{ident}': a Viva Engage thread id is a number, as in "
                               "yammer:2000000001")
    return ThreadRef("yammer", "thread", ident)


def thread_url(ref: ThreadRef) -> str | None:
    """The classic thread link, which Viva Engage redirects to the current web app."""
    return f"https://www.yammer.com/#/threads/show?threadId={ref.id}" if ref.kind == "thread" \
        else None


def _decode_token(token: str) -> ThreadRef:
    """Decode ``base64url({"_type": "Thread", "id": "123"})`` (padding often stripped)."""
    try:
        data = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    except (binascii.Error, ValueError):
        raise ReferenceProblem(f"the link's thread token {token[:24]!r} cannot be read; "
                               "copy the link again from Viva Engage") from None
    kind = data.get("_type") if isinstance(data, dict) else None
    ident = str(data.get("id", "")) if isinstance(data, dict) else ""
    if not ident.isdigit() or kind not in ("Thread", "Message"):
        raise ReferenceProblem(f"the link names a {kind or 'thing'} rather than a thread; "
                               "copy the link of the conversation itself")
    return ThreadRef("yammer", "thread" if kind == "Thread" else "message", ident)


PLATFORM = Platform(
    name="yammer",
    display_name="Viva Engage",
    hosts=("yammer.com", "engage.cloud.microsoft", "teams.microsoft.com"),
    parse_url=parse_url,
    parse_id=parse_id,
    short_form="yammer:<thread id>",
    adapter="fireside_sync.platforms.yammer:YammerAdapter",
    defaults=Defaults(api_url="https://www.yammer.com/api/v1", rate_requests=10,
                      rate_per_seconds=30),
    thread_url=thread_url,
    mention=re.compile(r"\[\[user:(\d+)\]\]"),
    id_pattern=r"\d+",
)
