"""Map a ``discussion:`` reference to the thread whose snapshot the build reads.

Pure and offline. It mirrors the parsing of ``fireside_sync.platforms`` for the forms the build
must recognise without importing the sync package (whose platform modules import ``requests``):
``platform:id``, Viva Engage ``threadId=`` links, ``/threads/<base64 token>`` links and
``/messages/<id>`` permalinks (resolved through the sync state's ``resolved`` map).
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = [
    "PLATFORM_NAMES",
    "ThreadRef",
    "ThreadReferenceProblem",
    "fallback_url",
    "id_problem",
    "parse_reference",
    "parse_yammer_url",
    "platform_name",
    "platform_of_url",
    "reference_problem",
]

#: How each platform is named to readers ("Join the discussion on …").
PLATFORM_NAMES: Mapping[str, str] = {
    "yammer": "Viva Engage", "teams": "Microsoft Teams", "slack": "Slack",
    "discourse": "Discourse", "jive": "Jive", "chatter": "Chatter",
}

_HOSTS = re.compile(r"(^|\.)(yammer\.com|engage\.cloud\.microsoft|teams\.microsoft\.com)$")
_THREAD_ID = re.compile(r"[?&]threadId=(\d+)", re.IGNORECASE)
_TOKEN = re.compile(r"/threads/([A-Za-z0-9_\-+/]+={0,2})")
_MESSAGE = re.compile(r"/messages/(\d+)(?:[/?#]|$)")
_SHORT = re.compile(r"^([a-z]+):(\S+)$")
#: A thread id becomes a file name and a URL segment: no separator, space, control
#: character or leading dot.
_SAFE_ID = re.compile(r"^[^./\\\x00-\x20\x7f][^/\\\x00-\x20\x7f]{0,199}$")
#: Hosts whose links name a platform whose own parser (in its sync adapter) reads them.
_PLATFORM_HOSTS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(^|\.)teams\.microsoft\.com$"), "teams"),
    (re.compile(r"(^|\.)slack\.com$"), "slack"),
    (re.compile(r"(^|\.)(force|salesforce)\.com$"), "chatter"),
    (re.compile(r"(^|\.)jive(software)?\.com$"), "jive"),
)


class ThreadReferenceProblem(ValueError):
    """A platform link that names no thread; the message tells the author what to paste."""


@dataclass(frozen=True)
class ThreadRef:
    """A parsed reference: ``kind`` is ``thread`` or ``message`` (a permalink)."""

    platform: str
    kind: str
    id: str

    @property
    def key(self) -> str:
        """The key under which the sync state records a resolved permalink."""
        return f"{self.platform}:{self.kind}:{self.id}"

    def thread_id(self, resolved: Mapping[str, str]) -> str | None:
        """The thread id, looking a permalink up in the sync state's ``resolved`` map."""
        return self.id if self.kind == "thread" else resolved.get(self.key)


def platform_name(platform: str) -> str:
    """The platform's name as readers know it."""
    return PLATFORM_NAMES.get(platform, platform.capitalize())


def id_problem(platform: str, ident: str, *, reference: bool = False) -> str | None:
    """Why ``ident`` cannot be a thread id of ``platform``, or ``None``.

    Applied to ids from links, from ``platform:id``, from the sync state and from answers,
    so an id can never carry a path (``../``) into a file name or a request. With
    ``reference``, ``ident`` is the id part of ``platform:id``, which a platform's adapter may
    still resolve (a Teams ``channel/message`` pair): ``/`` may separate non-dot parts.
    """
    if platform == "yammer" and not ident.isdigit():
        return f"{platform}:{ident[:40]!r}: a Viva Engage thread id is a number, as in " \
               "yammer:2000000001"
    parts = ident.split("/") if reference else [ident]
    if len(ident) > 300 or not all(_SAFE_ID.match(part) for part in parts):
        return (f"{platform}:{ident[:40]!r}: a thread id has no spaces, backslashes, control "
                "characters or '..', and does not start with a dot")
    return None


def platform_of_url(url: str) -> str | None:
    """The platform whose link ``url`` is, by its host; ``None`` for any other host."""
    host = (urllib.parse.urlsplit(url.strip()).hostname or "").lower()
    if _HOSTS.search(host) and not host.endswith("teams.microsoft.com"):
        return "yammer"
    if host.endswith("teams.microsoft.com") and "threads" in urllib.parse.unquote(
            urllib.parse.unquote(url)):
        return "yammer"  # Viva Engage inside Teams
    return next((name for pattern, name in _PLATFORM_HOSTS if pattern.search(host)), None)


def reference_problem(text: str) -> str | None:
    """Why a ``discussion:`` value names no thread, worded for its author; ``None`` if fine.

    One rule for ``fireside check``, the build and ``fireside sync``: a link from a platform
    that Fireside knows (a Viva Engage link must name a thread), or ``platform:id`` with an id
    of that platform's form.
    """
    text = text.strip()
    shown = repr(text if len(text) <= 80 else text[:77] + "...")
    if text.lower().startswith(("http://", "https://")):
        try:
            if parse_yammer_url(text) is not None:
                return None
        except ThreadReferenceProblem as exc:
            return str(exc)
        if platform_of_url(text) is not None:
            return None
        return (f"the link {shown} is not a discussion thread of a supported platform; paste "
                "the thread's link from Viva Engage, or write platform:id, as in "
                "yammer:2000000001")
    match = _SHORT.match(text)
    if not match or match.group(1) not in PLATFORM_NAMES:
        return (f"{shown} is neither a thread link nor platform:id (platforms: "
                f"{', '.join(PLATFORM_NAMES)})")
    return id_problem(*match.groups(), reference=True)


def parse_reference(text: str) -> ThreadRef | None:
    """Parse a ``discussion:`` value; ``None`` when the build cannot map it to a snapshot."""
    text = text.strip()
    if text.lower().startswith(("http://", "https://")):
        try:
            return parse_yammer_url(text)
        except ThreadReferenceProblem:
            return None
    match = _SHORT.match(text)
    if match and match.group(1) in PLATFORM_NAMES:
        platform, ident = match.groups()
        if id_problem(platform, ident, reference=True):
            return None
        return ThreadRef(platform, "thread", ident)
    return None


def fallback_url(reference: str) -> str | None:
    """The link to the live thread when there is no snapshot yet (a known platform's only)."""
    reference = reference.strip()
    if reference.lower().startswith(("http://", "https://")):
        return reference if platform_of_url(reference) else None
    ref = parse_reference(reference)
    if ref is not None and ref.platform == "yammer":
        return f"https://www.yammer.com/#/threads/show?threadId={ref.id}"
    return None


def parse_yammer_url(text: str) -> ThreadRef | None:
    """Parse every URL form a user can paste from Viva Engage; ``None`` if not Viva Engage's.

    Shared by the build (which treats a problem as "no snapshot") and ``fireside sync``
    (which reports it against the post).

    Raises:
        ThreadReferenceProblem: The URL is Viva Engage's but names no thread.
    """
    parts = urllib.parse.urlsplit(text)
    host = (parts.hostname or "").lower()
    if not _HOSTS.search(host):
        return None
    # Teams embeds the Engage path URL-encoded in a JSON ``context``: decode twice.
    plain = urllib.parse.unquote(urllib.parse.unquote(text))
    if host.endswith("teams.microsoft.com") and "threads" not in plain:
        return None  # a Teams channel link, not Viva Engage inside Teams
    if match := _THREAD_ID.search(plain):
        return ThreadRef("yammer", "thread", match.group(1))
    if match := _TOKEN.search(plain):
        return _decode_token(match.group(1))
    if match := _MESSAGE.search(plain):
        return ThreadRef("yammer", "message", match.group(1))
    raise ThreadReferenceProblem("this Viva Engage link points to no thread; open the "
                                 "conversation, choose 'Copy link' and paste that link")


def _decode_token(token: str) -> ThreadRef:
    """Decode ``base64url({"_type": "Thread", "id": "123"})`` (padding often stripped)."""
    try:
        data = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    except (binascii.Error, ValueError):
        raise ThreadReferenceProblem(f"the link's thread token {token[:24]!r} cannot be read; "
                                     "copy the link again from Viva Engage") from None
    kind = data.get("_type") if isinstance(data, dict) else None
    ident = str(data.get("id", "")) if isinstance(data, dict) else ""
    if not ident.isdigit() or kind not in ("Thread", "Message"):
        raise ThreadReferenceProblem(f"the link names a {kind or 'thing'} rather than a thread; "
                                     "copy the link of the conversation itself")
    return ThreadRef("yammer", "thread" if kind == "Thread" else "message", ident)
