"""Microsoft Teams channel threads: the links users paste, and the registry entry.

"Copy link" on a channel post or reply gives ``https://teams.microsoft.com/l/message/
{channelId}/{messageId}?tenantId=…&groupId={teamId}&parentMessageId={rootId}&…``: the team is
``groupId``, the thread's root is ``parentMessageId`` when present (a reply's link), else the
message itself. The short form is ``teams:{teamId}/{channelId}/{messageId}``.

The thread id is ``{teamId},{channelId percent-encoded},{rootId}``: all three are needed to
read it, and the encoding keeps ``:`` and ``@`` out of snapshot file names.
"""

from __future__ import annotations

import re
import urllib.parse

from fireside.discussions.platforms import Defaults, Platform, ReferenceProblem, ThreadRef

_GUID = re.compile(r"^[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
_CHANNEL = re.compile(r"^19:[^/\s,]+@thread\.(?:tacv2|skype)$")
_MESSAGE = re.compile(r"^\d+$")
_HOW = "open the post in its channel, choose '…' then 'Copy link', and paste that link"


def thread_id(team: str, channel: str, message: str) -> str:
    """The thread id (and snapshot file name) of a root post."""
    return f"{team.lower()},{urllib.parse.quote(channel, safe='')},{message}"


def split_thread_id(ident: str) -> tuple[str, str, str]:
    """``(team id, channel id, root message id)`` of a thread id.

    Raises:
        ReferenceProblem: ``ident`` is not a Teams thread id.
    """
    parts = ident.split(",")
    if len(parts) != 3:
        raise ReferenceProblem(f"{ident!r} is not a Teams thread id")
    return _checked(parts[0], urllib.parse.unquote(parts[1]), parts[2])


def _checked(team: str, channel: str, message: str) -> tuple[str, str, str]:
    if not _GUID.match(team):
        raise ReferenceProblem(f"the team id {team[:40]!r} is not a GUID; {_HOW}")
    if not _CHANNEL.match(channel):
        raise ReferenceProblem(f"{channel[:60]!r} is not a channel id (19:…@thread.tacv2); "
                               f"{_HOW}")
    if not _MESSAGE.match(message):
        raise ReferenceProblem(f"the message id {message[:30]!r} is not a number; {_HOW}")
    return team.lower(), channel, message


def parse_url(parts: urllib.parse.SplitResult) -> ThreadRef | None:
    """A pasted Teams link → the thread of its channel post."""
    segments = [urllib.parse.unquote(s) for s in parts.path.split("/") if s]
    if segments[:2] == ["l", "entity"]:
        return None  # an app tab (Viva Engage inside Teams is the yammer entry's)
    if segments[:2] != ["l", "message"] or len(segments) < 4:
        raise ReferenceProblem("this Teams link points to no channel post; " + _HOW)
    query = dict(urllib.parse.parse_qsl(parts.query))
    team = query.get("groupId", "")
    if not team:
        raise ReferenceProblem("this Teams link has no team (groupId): it is a chat message, "
                               "and only channel posts can be synced; " + _HOW)
    parent = query.get("parentMessageId", "")
    root = parent if parent.isdigit() and parent != "0" else segments[3]
    team, channel, root = _checked(team, segments[2], root)
    return ThreadRef("teams", "thread", thread_id(team, channel, root))


def parse_id(ident: str) -> ThreadRef:
    """``teams:{teamId}/{channelId}/{messageId}``."""
    parts = ident.split("/")
    if len(parts) != 3:
        raise ReferenceProblem(f"'teams:{ident}': expected teams:<team id>/<channel id>/"
                               "<message id>, as in teams:6b1c0e2a-0d4c-4f6e-9b8a-"
                               "1c2d3e4f5a6b/19:ab12@thread.tacv2/1738573200000")
    return ThreadRef("teams", "thread", thread_id(*_checked(*parts)))


def thread_url(ref: ThreadRef) -> str | None:
    """The post's link in Teams, rebuilt from the thread id."""
    try:
        team, channel, message = split_thread_id(ref.id)
    except ReferenceProblem:
        return None
    query = urllib.parse.urlencode({"groupId": team, "parentMessageId": message})
    return (f"https://teams.microsoft.com/l/message/{urllib.parse.quote(channel, safe='')}/"
            f"{message}?{query}")


PLATFORM = Platform(
    name="teams",
    display_name="Microsoft Teams",
    hosts=("teams.microsoft.com", "teams.cloud.microsoft", "teams.microsoft.us"),
    parse_url=parse_url,
    parse_id=parse_id,
    short_form="teams:<team id>/<channel id>/<message id>",
    adapter="fireside_sync.platforms.teams:TeamsAdapter",
    # Graph documents at most 4 requests a second per app on one team or channel.
    defaults=Defaults(api_url="https://graph.microsoft.com/v1.0", rate_requests=4,
                      rate_per_seconds=1, auth="entra"),
    thread_url=thread_url,
    id_pattern=r"[0-9a-fA-F-]{36}/19:[^/\s]+@thread\.(tacv2|skype)/\d+",
)
