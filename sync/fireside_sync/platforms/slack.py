"""Slack through the Web API: ``conversations.replies``, ``users.info`` and ``auth.test``.

A thread is ``conversations.replies?channel=…&ts=…``, paged by ``cursor`` (the parent is
repeated at the top of every page). Slack answers most errors with HTTP 200 and
``{"ok": false, "error": …}``; ``ratelimited`` (or HTTP 429) is retried after ``Retry-After``.
Bodies are mrkdwn, turned into HTML here: ``<@U…>`` mentions become names (``users.info``,
once per user per run), ``<url|label>`` becomes a link when the URL is http, https or mailto,
and ``&lt; &gt; &amp;`` are read as the characters they stand for.
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import re
from collections.abc import Mapping
from typing import Any, ClassVar

from fireside.discussions.platforms.slack import PLATFORM, split_key
from fireside.discussions.snapshots import Reply, Thread, Totals
from fireside_sync.errors import BadPayload, HttpError
from fireside_sync.http import HttpClient, Refusal
from fireside_sync.platforms.base import (
    BasePaginator,
    Fetched,
    Hosts,
    ThreadRef,
    nest_by_mentions,
)
from fireside_sync.platforms.markup import link, text

log = logging.getLogger("fireside_sync.slack")

NAME = PLATFORM.name
PAGE_LIMIT = 200
#: Errors that mean the token, not the thread, is wrong: the run stops with nothing written.
AUTH_ERRORS = frozenset({"invalid_auth", "not_authed", "token_revoked", "token_expired",
                         "account_inactive", "missing_scope", "no_permission",
                         "ekm_access_denied", "not_allowed_token_type"})
NOT_FOUND = frozenset({"channel_not_found", "thread_not_found", "message_not_found",
                       "user_not_found"})
#: Message subtypes that are replies people wrote; everything else (joins, tombstones …) is not.
REPLY_SUBTYPES = frozenset({"", "bot_message", "thread_broadcast", "file_share", "me_message"})

_ESCAPED = re.compile(r"<([^<>]*)>")
_MESSAGE_TS = re.compile(r"^\d{1,12}\.\d{1,9}$")
_BOLD = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")
_ITALIC = re.compile(r"(?<![\w_])_(?=\S)([^_\n]+?)(?<=\S)_(?![\w_])")
_CODE = re.compile(r"`([^`\n]+)`")


def check(status: int, data: Any) -> Refusal | None:
    """Slack's ``ok: false`` answers (mostly HTTP 200) as refusals."""
    if not isinstance(data, dict) or data.get("ok") is not False:
        return None
    error = str(data.get("error") or "unknown_error")[:60]
    if error == "ratelimited":
        return Refusal("rate_limited", f"Slack is rate limiting the app (HTTP {status}, "
                       "ratelimited)", retry=True)
    if error in AUTH_ERRORS:
        needed = f" (needs {str(data.get('needed'))[:60]})" if data.get("needed") else ""
        return Refusal("auth", f"Slack refused the token: {error}{needed}; check the token "
                       "in the environment and the app's scopes (channels:history, "
                       "groups:history, users:read)")
    if error == "not_in_channel":
        return Refusal("forbidden", "Slack: the app's user is not in this channel; invite it "
                       "or use a user token that can see the channel")
    if error in NOT_FOUND:
        return Refusal("not_found", f"Slack: {error}; the thread may have been deleted or the "
                       "link is wrong")
    return Refusal("http", f"Slack answered {error}")


def message_ts(message: Mapping[str, Any]) -> str:
    """A message's ``ts`` (its id within the channel); empty when it is not one."""
    ts = message.get("ts")
    return ts if isinstance(ts, str) and _MESSAGE_TS.match(ts) else ""


class CursorPaginator(BasePaginator[str]):
    """``cursor=<response_metadata.next_cursor>`` until it is empty or ``has_more`` is false."""

    def get_next(self, page: Mapping[str, object]) -> str | None:
        meta = page.get("response_metadata")
        cursor = meta.get("next_cursor") if isinstance(meta, dict) else None
        if not cursor or page.get("has_more") is False:
            return None
        return str(cursor)


class SlackAdapter:
    """The Slack adapter; one instance per run keeps the run's user names."""

    name: ClassVar[str] = NAME

    def __init__(self, client: HttpClient) -> None:
        self.client = client
        self._names: dict[str, str] = {}
        self._workspace: str | None = None

    def resolve(self, ref: ThreadRef) -> str:
        """Slack links name the thread itself."""
        return ref.id

    def fetch_thread(self, thread_id: str, *, hosts: Hosts, now: dt.datetime) -> Fetched:
        """Page through ``conversations.replies`` and build the thread."""
        channel, ts = split_key(thread_id)
        paginator = CursorPaginator()
        parent: Mapping[str, Any] | None = None
        messages: dict[str, Mapping[str, Any]] = {}
        params = {"channel": channel, "ts": ts, "limit": str(PAGE_LIMIT)}
        while True:
            page = self.client.get_json("conversations.replies", params, check=check)
            items = page.get("messages") if isinstance(page, dict) else None
            if not isinstance(items, list):
                raise BadPayload("the answer has no 'messages' list", platform=NAME,
                                 thread=thread_id)
            for item in items:
                if not isinstance(item, dict) or not message_ts(item):
                    continue
                if message_ts(item) == ts:
                    parent = item  # repeated at the top of every page
                else:
                    messages[message_ts(item)] = item
            cursor = paginator.advance(page)
            if cursor is None:
                break
            params = {**params, "cursor": cursor}
        replies, skipped = self._replies(messages, hosts, thread_id)
        replies = nest_by_mentions(replies)
        thread = Thread(
            platform=NAME, thread_id=thread_id, url=self._permalink(channel, ts),
            content_changed_at=now,
            totals=Totals(replies=len(replies), likes=likes(parent or {}),
                          participants=len({r.author_id for r in replies})),
            replies=tuple(replies))
        bookmarks = {"messages": str(len(messages) + (parent is not None))}
        if messages:
            bookmarks["latest_reply"] = max(messages, key=float)
        return Fetched(thread, bookmarks, skipped, paginator.pages)

    def _replies(self, messages: Mapping[str, Mapping[str, Any]], hosts: Hosts,
                 thread_id: str) -> tuple[list[Reply], int]:
        replies: list[Reply] = []
        skipped = 0
        for ts, item in sorted(messages.items(), key=lambda kv: float(kv[0])):
            reply = self._to_reply(ts, item, hosts, thread_id)
            if reply is None:
                skipped += 1
            else:
                replies.append(reply)
        return replies, skipped

    def _to_reply(self, ts: str, item: Mapping[str, Any], hosts: Hosts,
                  thread_id: str) -> Reply | None:
        subtype = str(item.get("subtype") or "")
        if subtype not in REPLY_SUBTYPES or item.get("hidden"):
            return None
        created = dt.datetime.fromtimestamp(float(ts), dt.UTC)  # checked by message_ts
        bot = item.get("bot_id")
        if subtype == "bot_message" or (bot and not item.get("user")):
            profile = item.get("bot_profile")
            author_id = str(bot or "bot")
            author = str((profile.get("name") if isinstance(profile, dict) else None)
                         or item.get("username") or "Bot")
        elif isinstance(item.get("user"), str):
            author_id = item["user"]
            author = hosts.names.get(author_id) or self.user_name(author_id)
        else:
            log.info("skipped message %s of thread %s: no author", ts[:30], thread_id)
            return None
        body, mentions = self.to_html(str(item.get("text") or ""))
        return Reply(id=ts, parent_id=None, author_id=author_id, author_name=author,
                     created=created, body=body, body_format="html", likes=likes(item),
                     is_host=author_id in hosts, mentions=mentions)

    def user_name(self, user_id: str) -> str:
        """A user's name from ``users.info``, asked once per user per run."""
        if user_id not in self._names:
            try:
                data = self.client.get_json("users.info", {"user": user_id}, check=check)
            except HttpError as exc:
                if exc.kind != "not_found":
                    raise
                data = {}
            user = data.get("user") if isinstance(data, dict) else None
            profile = user.get("profile") if isinstance(user, dict) else None
            profile = profile if isinstance(profile, dict) else {}
            name = (profile.get("real_name") or profile.get("display_name") or
                    (user.get("real_name") or user.get("name") if isinstance(user, dict)
                     else None))
            self._names[user_id] = str(name) if name else "Unknown user"
        return self._names[user_id]

    def _permalink(self, channel: str, ts: str) -> str:
        """The thread's link, on the workspace's host (``auth.test``, once per run)."""
        if self._workspace is None:
            data = self.client.get_json("auth.test", check=check)
            url = data.get("url") if isinstance(data, dict) else None
            self._workspace = url if isinstance(url, str) and url.startswith("https://") \
                else "https://slack.com/"
        return permalink(self._workspace, channel, ts)

    def to_html(self, mrkdwn: str) -> tuple[str, tuple[str, ...]]:
        """Slack mrkdwn → safe HTML, and the ids of the users it mentions."""
        mentions: list[str] = []
        parts: list[str] = []
        for block, is_code in _code_blocks(mrkdwn):
            if is_code:
                parts.append(f"<pre><code>{text(_unescape(block))}</code></pre>")
                continue
            # Consecutive "> " lines form a quote; the other runs of lines a paragraph.
            for quoted, lines in itertools.groupby(block.strip("\n").split("\n"), key=_is_quote):
                html = "<br>".join(self._line(line.removeprefix("&gt;").lstrip(" ")
                                              if quoted else line, mentions)
                                   for line in lines).strip()
                if html:
                    parts.append(f"<blockquote><p>{html}</p></blockquote>" if quoted
                                 else f"<p>{html}</p>")
        return "".join(parts), tuple(dict.fromkeys(mentions))

    def _line(self, line: str, mentions: list[str]) -> str:
        out: list[str] = []
        position = 0
        for match in _ESCAPED.finditer(line):
            out.append(_inline(line[position:match.start()]))
            out.append(self._escape_sequence(match.group(1), mentions))
            position = match.end()
        out.append(_inline(line[position:]))
        return "".join(out)

    def _escape_sequence(self, inner: str, mentions: list[str]) -> str:
        """One ``<…>`` of mrkdwn: a mention, a channel, a special word or a link."""
        target, _, label = inner.partition("|")
        if target.startswith("@"):
            user_id = target[1:]
            mentions.append(user_id)
            return text("@" + self.user_name(user_id))
        if target.startswith("#"):
            return text("#" + _unescape(label or "channel"))
        if target.startswith("!"):
            word = target[1:].split("^")[0]
            return text(_unescape(label) if label else "@" + word)
        url = _unescape(target)
        return link(url, _unescape(label) if label else url)


def _is_quote(line: str) -> bool:
    """A mrkdwn quote line (``>`` arrives escaped as ``&gt;``)."""
    return line.startswith("&gt; ") or line == "&gt;"


def _code_blocks(mrkdwn: str) -> list[tuple[str, bool]]:
    """Split on fenced code blocks: ``(text, is_code)`` pieces."""
    pieces = mrkdwn.split("```")
    return [(piece.strip("\n") if i % 2 else piece, bool(i % 2)) for i, piece in
            enumerate(pieces) if piece or not i % 2]


def _unescape(value: str) -> str:
    """Slack escapes exactly ``&``, ``<`` and ``>``; read them back (``&amp;`` last)."""
    return value.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _inline(value: str) -> str:
    """Plain mrkdwn text → HTML with bold, italic and code (strike-through stays text)."""
    html = text(_unescape(value))
    html = _CODE.sub(r"<code>\1</code>", html)
    html = _BOLD.sub(r"<strong>\1</strong>", html)
    return _ITALIC.sub(r"<em>\1</em>", html)


def likes(message: Mapping[str, Any]) -> int:
    """The sum of a message's reaction counts."""
    total = 0
    for reaction in message.get("reactions") or ():
        count = reaction.get("count") if isinstance(reaction, dict) else None
        total += count if isinstance(count, int) and count > 0 else 0
    return total


def permalink(workspace: str | None, channel: str, ts: str) -> str:
    """The thread's web link (``…/archives/{channel}/p{digits}``)."""
    base = (workspace or "https://slack.com/").rstrip("/")
    return f"{base}/archives/{channel}/p{ts.replace('.', '')}"


