"""The platform registry: adapters and reference parsers, by platform name.

A new platform adds one module with an adapter class and a ``parse_url`` function, and one
line to each table below.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Mapping

from fireside.core.schema import PLATFORMS
from fireside.discussions.threadref import id_problem
from fireside_sync.errors import ThreadReferenceError
from fireside_sync.platforms import yammer
from fireside_sync.platforms.base import AdapterFactory, ThreadRef, UrlParser

#: Platforms with an adapter.
ADAPTERS: Mapping[str, AdapterFactory] = {"yammer": yammer.YammerAdapter}

#: URL parsers, tried in order.
URL_PARSERS: Mapping[str, UrlParser] = {"yammer": yammer.parse_url}

#: Hosts of platforms recognised in a link but without a parser yet.
_HOST_HINTS = (
    (re.compile(r"(^|\.)teams\.microsoft\.com$"), "teams"),
    (re.compile(r"(^|\.)slack\.com$"), "slack"),
    (re.compile(r"(^|\.)force\.com$"), "chatter"),
    (re.compile(r"(^|\.)jive(software)?\.com$"), "jive"),
)

#: Names accepted in the ``platform:id`` form: the schema's list.
KNOWN_PLATFORMS = PLATFORMS

_SHORT = re.compile(r"^([a-z]+):(\S+)$")


def parse_reference(text: str) -> ThreadRef:
    """Parse a ``discussion:`` value: a pasted URL or ``platform:id``.

    Raises:
        ThreadReferenceError: Nothing in ``text`` names a thread; the message says what to do.
    """
    text = text.strip()
    if text.lower().startswith(("http://", "https://")):
        for parser in URL_PARSERS.values():
            ref = parser(text)
            if ref is not None:
                return ref
        host = (urllib.parse.urlsplit(text).hostname or "").lower()
        for pattern, platform in _HOST_HINTS:
            if pattern.search(host):
                return ThreadRef(platform, "url", text)
        raise ThreadReferenceError(f"the link {_shorten(text)} is not a discussion thread of a "
                                   "supported platform; paste the thread's link from Viva "
                                   "Engage, or write yammer:<thread id>")
    match = _SHORT.match(text)
    if match and match.group(1) in KNOWN_PLATFORMS:
        platform, ident = match.groups()
        if problem := id_problem(platform, ident, reference=True):
            raise ThreadReferenceError(problem)
        return ThreadRef(platform, "thread", ident)
    raise ThreadReferenceError(f"{_shorten(text)} is neither a thread link nor platform:id "
                               f"(platforms: {', '.join(KNOWN_PLATFORMS)})")


def _shorten(text: str) -> str:
    return repr(text if len(text) <= 80 else text[:77] + "...")
