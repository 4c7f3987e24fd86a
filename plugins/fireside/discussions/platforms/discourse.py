"""Discourse: the links users paste, and the registry entry.

Forms: ``/t/{slug}/{id}``, ``/t/{slug}/{id}/{post_number}``, ``/t/{id}`` and
``/t/{id}/{post_number}``, on the forum's own host (the configured ``api_url``'s, subfolder
installs included) or on Discourse's hosting (``*.discourse.group``), and ``discourse:{id}``.
A link to a post inside a topic names the whole topic.
"""

from __future__ import annotations

import re
import urllib.parse

from fireside.discussions.platforms import Defaults, Platform, ReferenceProblem, ThreadRef

_TOPIC = re.compile(r"/t/([^/?#]+)(?:/(\d+))?(?:/(\d+))?/?$")


def parse_url(parts: urllib.parse.SplitResult) -> ThreadRef | None:
    """A pasted Discourse topic link → the topic."""
    match = _TOPIC.search(parts.path)
    if match is None:
        raise ReferenceProblem("this Discourse link names no topic; open the topic and paste "
                               "its address (…/t/<title>/<number>)")
    first, second = match.group(1), match.group(2)
    if first.isdigit():  # /t/{id} or /t/{id}/{post_number}
        if match.group(3) is not None:
            raise ReferenceProblem("this Discourse link has too many numbers after /t/; "
                                   "paste the topic's address (…/t/<title>/<number>)")
        return ThreadRef("discourse", "thread", str(int(first)))
    if second is None:
        raise ReferenceProblem("this Discourse link has a topic title but no topic number; "
                               "paste the topic's full address (…/t/<title>/<number>)")
    return ThreadRef("discourse", "thread", str(int(second)))


def parse_id(ident: str) -> ThreadRef:
    """``discourse:{topic id}``: the id is a number."""
    if not ident.isdigit():
        raise ReferenceProblem(f"'discourse:{ident}': a Discourse topic id is a number, as in "
                               "discourse:4242")
    return ThreadRef("discourse", "thread", str(int(ident)))


PLATFORM = Platform(
    name="discourse",
    display_name="Discourse",
    hosts=("discourse.group",),
    parse_url=parse_url,
    parse_id=parse_id,
    short_form="discourse:<topic id>",
    adapter="fireside_sync.platforms.discourse:DiscourseAdapter",
    # Admin API keys: 60 requests a minute, shared across every key of the forum.
    defaults=Defaults(api_url="https://forum.example.com", rate_requests=60,
                      rate_per_seconds=60, auth="api_key"),
    mention=None,  # ``cooked`` already renders @mentions as links with the name
    self_hosted=True,
    id_pattern=r"\d+",
)
