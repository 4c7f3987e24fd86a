"""Salesforce Chatter: the links users paste, and the registry entry.

Forms: ``https://{domain}.lightning.force.com/lightning/r/FeedItem/{id}/view``,
``https://{domain}.my.salesforce.com/{id}`` (Classic), and ``chatter:{id}``, with 15- or
18-character feed item ids (``0D5…``). A 15-character id is case-sensitive; its 18-character
form adds a checksum of the capitals. Both name the same thread, so every id is stored in its
18-character form.
"""

from __future__ import annotations

import re
import urllib.parse

from fireside.discussions.platforms import Defaults, Platform, ReferenceProblem, ThreadRef

_ID = re.compile(r"(?<![A-Za-z0-9])(0D5[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?)(?![A-Za-z0-9])")
_ANY_ID = re.compile(r"^[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$")
_SUFFIX = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"


def to_18(ident: str) -> str:
    """The 18-character form of a 15- or 18-character Salesforce id.

    Raises:
        ReferenceProblem: An 18-character id whose last three characters are not its
            checksum (a mistyped id).
    """
    suffix = ""
    for block in range(3):
        chunk = ident[block * 5:block * 5 + 5]
        bits = sum(1 << i for i, char in enumerate(chunk) if "A" <= char <= "Z")
        suffix += _SUFFIX[bits]
    if len(ident) == 18 and ident[15:].upper() != suffix:
        raise ReferenceProblem(f"{ident!r} is not a valid Salesforce id (its last three "
                               "characters do not match); copy the link again")
    return ident[:15] + suffix


def user_id(ident: str) -> str:
    """A Salesforce user id (``005…``) in its 18-character form; anything else unchanged."""
    if not _ANY_ID.match(ident):
        return ident
    try:
        return to_18(ident)
    except ReferenceProblem:
        return ident


def _thread(ident: str) -> ThreadRef:
    return ThreadRef("chatter", "thread", to_18(ident))


def parse_url(parts: urllib.parse.SplitResult) -> ThreadRef | None:
    """A pasted Chatter post link (Lightning or Classic) → the feed item."""
    match = _ID.search(parts.path)
    if match is None:
        raise ReferenceProblem("this Salesforce link names no Chatter post (a 0D5… id); "
                               "click the post's time stamp and paste that page's address")
    return _thread(match.group(1))


def parse_id(ident: str) -> ThreadRef:
    """``chatter:{feed item id}``: 15 or 18 characters starting with ``0D5``."""
    if not _ANY_ID.match(ident) or not ident.startswith("0D5"):
        raise ReferenceProblem(f"'chatter:{ident}': a Chatter post id has 15 or 18 letters and "
                               "digits starting with 0D5, as in chatter:0D5Hs00000AbCdE")
    return _thread(ident)


PLATFORM = Platform(
    name="chatter",
    display_name="Chatter",
    hosts=("lightning.force.com", "my.salesforce.com"),
    parse_url=parse_url,
    parse_id=parse_id,
    short_form="chatter:<feed item id>",
    adapter="fireside_sync.platforms.chatter:ChatterAdapter",
    # Chatter's hourly per-user limit is unpublished; Salesforce asks for at most one poll of
    # a feed a minute. 30 requests a minute keeps well inside any window seen in practice.
    defaults=Defaults(
        api_url="https://northwind.my.salesforce.com/services/data/v62.0",
        rate_requests=30, rate_per_seconds=60),
    mention=None,  # segments become names at sync time
    id_pattern=r"0D5[A-Za-z0-9]{12}([A-Za-z0-9]{3})?",
    user_id=user_id,
)
