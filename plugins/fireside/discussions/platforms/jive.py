"""Jive: the links users paste, and the registry entry.

Forms: ``https://{host}/thread/{id}`` (a discussion) and ``https://{host}/docs/DOC-{id}`` (a
document, with or without a title after the number), on the configured ``api_url``'s host
(any context path before them) or on Jive's hosting (``*.jiveon.com``), and ``jive:{contentID}``.
The ids in links are object ids, not API content ids: sync resolves them through
``entityDescriptor`` and remembers the answer.
"""

from __future__ import annotations

import re
import urllib.parse

from fireside.discussions.platforms import Defaults, Platform, ReferenceProblem, ThreadRef

_THREAD = re.compile(r"/thread/(\d+)/?$")
_DOC = re.compile(r"/docs/DOC-(\d+)(?:-[^/]*)?/?$")
#: Jive's object type codes for ``entityDescriptor``.
OBJECT_TYPES = {"thread": 1, "DOC": 102}


def parse_url(parts: urllib.parse.SplitResult) -> ThreadRef | None:
    """A pasted Jive discussion or document link → a reference sync resolves."""
    if match := _THREAD.search(parts.path):
        return ThreadRef("jive", "page", f"thread-{int(match.group(1))}")
    if match := _DOC.search(parts.path):
        return ThreadRef("jive", "page", f"DOC-{int(match.group(1))}")
    raise ReferenceProblem("this Jive link names no discussion or document; paste the "
                           "address of the discussion (…/thread/<number>) or document "
                           "(…/docs/DOC-<number>)")


def descriptor(ref_id: str) -> tuple[int, str]:
    """``thread-123`` / ``DOC-123`` → ``(object type, object id)`` for ``entityDescriptor``."""
    kind, _, number = ref_id.partition("-")
    return OBJECT_TYPES[kind], number


def parse_id(ident: str) -> ThreadRef:
    """``jive:{contentID}``: the API's content id, a number."""
    if not ident.isdigit():
        raise ReferenceProblem(f"'jive:{ident}': a Jive content id is a number, as in "
                               "jive:88012 (or paste the discussion's link)")
    return ThreadRef("jive", "thread", str(int(ident)))


PLATFORM = Platform(
    name="jive",
    display_name="Jive",
    hosts=("jiveon.com",),
    parse_url=parse_url,
    parse_id=parse_id,
    short_form="jive:<content id>",
    adapter="fireside_sync.platforms.jive:JiveAdapter",
    # Jive documents no limit: a polite one request a second.
    defaults=Defaults(api_url="https://community.example.com/api/core/v3", rate_requests=60,
                      rate_per_seconds=60),
    mention=None,  # Jive's HTML renders @mentions as links with the name
    self_hosted=True,
    id_pattern=r"\d+",
)
