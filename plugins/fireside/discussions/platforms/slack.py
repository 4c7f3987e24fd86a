"""Slack: the links users paste, and the registry entry.

Forms: ``https://{workspace}.slack.com/archives/{channel}/p{16 digits}`` ("Copy link" on a
message), the same with ``?thread_ts=…&cid=…`` when the message is a reply (the thread is then
the parent named by ``thread_ts``), Enterprise Grid hosts (``{org}.enterprise.slack.com``), and
``slack:{channel}/{ts}``. The thread id is ``{channel}-{ts}``: a snapshot file name cannot
hold a slash.
"""

from __future__ import annotations

import re
import urllib.parse

from fireside.discussions.platforms import Defaults, Platform, ReferenceProblem, ThreadRef

_ARCHIVES = re.compile(r"/archives/([A-Z0-9]+)(?:/p(\d+))?/?$")
_CHANNEL = re.compile(r"^[CGD][A-Z0-9]{2,}$")
_TS = re.compile(r"^(\d{10})\.(\d{6})$")
_SHORT = re.compile(r"^([A-Z0-9]+)/(\d+\.\d+)$")


def ts_from_permalink(digits: str) -> str:
    """``p1718243827457659`` → ``1718243827.457659`` (the last six digits are microseconds)."""
    return f"{digits[:-6]}.{digits[-6:]}"


def thread_key(channel: str, ts: str) -> str:
    """The thread id stored in snapshots and state: ``{channel}-{ts}``."""
    return f"{channel}-{ts}"


def split_key(thread_id: str) -> tuple[str, str]:
    """``{channel}-{ts}`` → ``(channel, ts)``."""
    channel, _, ts = thread_id.partition("-")
    return channel, ts


def _thread(channel: str, ts: str, shown: str) -> ThreadRef:
    if not _CHANNEL.match(channel):
        raise ReferenceProblem(f"{shown}: {channel!r} is not a Slack channel id (C…, G… or "
                               "D…); use 'Copy link' on the message in Slack")
    if not _TS.match(ts):
        raise ReferenceProblem(f"{shown}: {ts!r} is not a Slack message time stamp (ten "
                               "digits, a dot, six digits); use 'Copy link' on the message")
    return ThreadRef("slack", "thread", thread_key(channel, ts))


def parse_url(parts: urllib.parse.SplitResult) -> ThreadRef | None:
    """A pasted Slack message link → its thread (the parent, for a reply's link)."""
    match = _ARCHIVES.search(parts.path)
    if match is None or match.group(2) is None:
        raise ReferenceProblem("this Slack link names a channel or workspace, not a thread; "
                               "hover over the message that starts the thread, choose "
                               "'Copy link' and paste that link")
    channel, digits = match.group(1), match.group(2)
    if len(digits) != 16:
        raise ReferenceProblem(f"the Slack link's message number p{digits} should have 16 "
                               "digits; copy the link again from Slack")
    query = dict(urllib.parse.parse_qsl(parts.query))
    ts = query.get("thread_ts") or ts_from_permalink(digits)
    return _thread(query.get("cid") or channel, ts, "the Slack link")


def parse_id(ident: str) -> ThreadRef:
    """``slack:{channel}/{ts}``, e.g. ``slack:C0123ABCD/1718243827.457659``."""
    match = _SHORT.match(ident)
    if match is None:
        raise ReferenceProblem(f"'slack:{ident}': write slack:<channel id>/<message ts>, as in "
                               "slack:C0123ABCD/1718243827.457659")
    return _thread(match.group(1), match.group(2), f"'slack:{ident}'")


PLATFORM = Platform(
    name="slack",
    display_name="Slack",
    hosts=("slack.com",),
    parse_url=parse_url,
    parse_id=parse_id,
    short_form="slack:<channel>/<ts>",
    adapter="fireside_sync.platforms.slack:SlackAdapter",
    # conversations.replies is Tier 3 (50+ a minute) for internal customer-built apps.
    defaults=Defaults(api_url="https://slack.com/api", rate_requests=50, rate_per_seconds=60),
    mention=re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>"),
    id_pattern=r"[CGD][A-Z0-9]+/\d{10}\.\d{6}",
)
