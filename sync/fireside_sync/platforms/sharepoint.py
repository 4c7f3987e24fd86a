"""SharePoint Online news comments through the SharePoint REST ``_api``.

The comments endpoint of modern pages is undocumented; the shapes follow the PnP libraries and
their recorded live responses (``platform_sharepoint.md``):

- the page resolves to its list item in one call, ``GetFileByServerRelativePath(decodedurl=
  @a1)?$select=ListId,ListItemAllFields/Id&$expand=ListItemAllFields``, so the pages library
  is addressed by its id, never by its localised title ("Site Pages", "Websiteseiten"…);
- ``lists(guid'…')/GetItemById(n)/Comments?$expand=replies`` pages 30 at a time through an
  absolute ``odata.nextLink``; a comment whose ``replyCount`` exceeds its embedded replies has
  them paged from ``Comments(id)/replies``;
- the page's own likes are ``likedByInformation.likeCount`` (a string), and its current
  address (it may have been renamed) the item's ``EncodedAbsUrl``;
- every request says ``Accept: application/json;odata=nometadata``: without a JSON ``Accept``
  SharePoint answers Atom XML; and ``User-Agent: NONISV|Fireside|…``, as SharePoint's
  throttling guidance asks.

The thread id is the page's server-relative path, percent-encoded; every fetch resolves it to
its list item first (one request), so a renamed library or a lost sync state costs nothing.
Authors are known by
their e-mail (or login name), which ``.authors.yml`` names as ``platforms: {sharepoint:
<email>}``. Snapshots never store an address: an executive's id is the value written in
``.authors.yml``, everyone else's is ``sp-`` and a hash of their address.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import logging
import re
import urllib.parse
from collections.abc import Mapping
from typing import Any, ClassVar

from fireside.discussions.platforms import ReferenceProblem
from fireside.discussions.platforms.sharepoint import PLATFORM, page_path, split_page
from fireside.discussions.snapshots import Reply, Thread, Totals
from fireside_sync.errors import BadPayload, ThreadReferenceError
from fireside_sync.http import HttpClient
from fireside_sync.platforms.base import BasePaginator, Fetched, Hosts, ThreadRef

log = logging.getLogger("fireside_sync.sharepoint")

NAME = PLATFORM.name
ACCEPT = "application/json;odata=nometadata"
USER_AGENT = "NONISV|Fireside|fireside-sync/0.1"
_GUID = re.compile(r"^[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
#: ``<a data-sp-mention-user-id="…" href="mailto&#58;…">@Name</a>`` → "@Name".
_MENTION = re.compile(r"<a\b[^>]*\bdata-sp-mention-user-id=[^>]*>(.*?)</a>",
                      re.IGNORECASE | re.DOTALL)
_FRACTION = re.compile(r"(\.\d{6})\d+")


class ODataNextLink(BasePaginator[str]):
    """``odata.nextLink`` (``@odata.nextLink`` in OData v4 answers), followed verbatim."""

    def get_next(self, page: Mapping[str, object]) -> str | None:
        link = page.get("odata.nextLink") or page.get("@odata.nextLink")
        return link if isinstance(link, str) and link else None


class SharePointAdapter:
    """The SharePoint news comments adapter."""

    name: ClassVar[str] = NAME

    def __init__(self, client: HttpClient) -> None:
        self.client = client
        client.set_header("Accept", ACCEPT)
        # SharePoint throttles undecorated traffic first; this is the form it asks for.
        client.set_header("User-Agent", USER_AGENT)

    def resolve(self, ref: ThreadRef) -> str:
        """The thread id is in the reference itself."""
        return ref.id

    def list_item(self, thread_id: str) -> tuple[str, str, int]:
        """``(web, list id, item id)`` of a page (one request).

        Raises:
            SyncError: Not a page, or SharePoint has no such file.
        """
        try:
            web, page = split_page(page_path(thread_id))
        except ReferenceProblem as exc:
            raise ThreadReferenceError(str(exc), platform=NAME) from None
        data = self.client.get_json(
            f"{web}/_api/web/GetFileByServerRelativePath(decodedurl=@a1)",
            {"@a1": "'" + page.replace("'", "''") + "'",
             "$select": "ListId,ListItemAllFields/Id", "$expand": "ListItemAllFields"})
        item = data.get("ListItemAllFields") if isinstance(data, dict) else None
        list_id = data.get("ListId") if isinstance(data, dict) else None
        item_id = item.get("Id") if isinstance(item, dict) else None
        if not isinstance(list_id, str) or not _GUID.match(list_id) or \
                not isinstance(item_id, int) or isinstance(item_id, bool):
            raise BadPayload(f"the page {page} has no list item (ListId, ListItemAllFields/Id)",
                             platform=NAME)
        return web, list_id.lower(), item_id

    def fetch_thread(self, thread_id: str, *, hosts: Hosts, now: dt.datetime) -> Fetched:
        """Resolve the page, page its comments and their replies, read the page's likes."""
        web, list_id, item_id = self.list_item(thread_id)
        item = f"{web}/_api/web/lists(guid'{list_id}')/GetItemById({item_id})"
        comments, pages = self._collection(f"{item}/Comments", {"$expand": "replies"},
                                           thread_id)
        everything: dict[str, Mapping[str, Any]] = {}
        for comment in comments:
            everything[str(comment.get("id"))] = comment
            embedded = comment.get("replies")
            replies: list[Mapping[str, Any]] = [r for r in embedded if isinstance(r, dict)] \
                if isinstance(embedded, list) else []
            count = comment.get("replyCount")
            if isinstance(count, int) and count > len(replies):
                replies, more = self._collection(f"{item}/Comments({comment.get('id')})/replies",
                                                 {}, thread_id)
                pages += more
            for reply in replies:
                everything[str(reply.get("id"))] = reply
        liked = self.client.get_json(f"{item}/likedByInformation", {"$expand": "likedby"})
        likes = _count(liked.get("likeCount") if isinstance(liked, dict) else None)
        fields = self.client.get_json(item, {"$select": "EncodedAbsUrl"})
        url = fields.get("EncodedAbsUrl") if isinstance(fields, dict) else None
        if not isinstance(url, str) or not url.startswith(("https://", "http://")):
            url = self.client.settings.api_url.rstrip("/") + urllib.parse.quote(
                page_path(thread_id))
        return _build(thread_id, url, everything, likes, hosts, now, pages)

    def _collection(self, path: str, params: Mapping[str, str],
                    thread: str) -> tuple[list[Mapping[str, Any]], int]:
        paginator = ODataNextLink()
        items: list[Mapping[str, Any]] = []
        data = self.client.get_json(path, {**params, "$top": "30"})
        while True:
            if not isinstance(data, dict) or not isinstance(data.get("value"), list):
                raise BadPayload("the comments answer has no 'value' list", platform=NAME,
                                 thread=thread)
            items.extend(c for c in data["value"] if isinstance(c, dict))
            link = paginator.advance(data)
            if link is None:
                return items, paginator.pages
            data = self.client.get_next(link)


def _count(value: object) -> int:
    """A like count, which SharePoint sends as a number or a string."""
    if isinstance(value, int) and not isinstance(value, bool):
        return max(value, 0)
    return int(value) if isinstance(value, str) and value.isdigit() else 0


def _build(ident: str, url: str, comments: Mapping[str, Mapping[str, Any]],
           likes: int, hosts: Hosts, now: dt.datetime, pages: int) -> Fetched:
    execs = {k.lower() for k in hosts.names}
    replies: list[Reply] = []
    skipped = 0
    for comment in comments.values():
        reply = _to_reply(comment, execs, hosts, ident)
        if reply is None:
            skipped += 1
        else:
            replies.append(reply)
    ids = {r.id for r in replies}
    replies = [r if r.parent_id is None or r.parent_id in ids else
               Reply(r.id, None, r.author_id, r.author_name, r.created, r.body, r.body_format,
                     r.likes, r.is_host, r.mentions) for r in replies]
    replies.sort(key=lambda r: (r.created, r.id))
    thread = Thread(platform=NAME, thread_id=ident, url=url, content_changed_at=now,
                    totals=Totals(replies=len(replies), likes=likes,
                                  participants=len({r.author_id for r in replies})),
                    replies=tuple(replies))
    return Fetched(thread, {"messages": str(len(comments))}, skipped, pages)


def _to_reply(comment: Mapping[str, Any], execs: set[str], hosts: Hosts,
              ident: str) -> Reply | None:
    """Map one comment; ``None`` (logged) for malformed ones."""
    comment_id = comment.get("id")
    if not isinstance(comment_id, str | int) or not str(comment_id).isdigit():
        return None
    try:
        created = dt.datetime.fromisoformat(_FRACTION.sub(r"\1",
                                                          str(comment.get("createdDate"))))
    except ValueError:
        log.info("skipped comment %s of %s: unreadable date", comment_id, ident)
        return None
    author = comment.get("author")
    if not isinstance(author, dict):
        log.info("skipped comment %s of %s: no author", comment_id, ident)
        return None
    keys = [str(author.get(k)).lower() for k in ("email", "loginName") if author.get(k)]
    if not keys:
        log.info("skipped comment %s of %s: no author e-mail or login", comment_id, ident)
        return None
    parent = str(comment.get("parentId") or "0")
    mentions = tuple(dict.fromkeys(
        _public_id(str(m.get("email") or m.get("loginName")).lower(), hosts)
        for m in comment.get("mentions") or () if isinstance(m, dict) and
        (m.get("email") or m.get("loginName"))))
    host = next((k for k in keys if k in execs), None)
    name = str(author.get("name") or "") or \
        next((n for k, n in hosts.names.items() if k.lower() == host), "Unknown user")
    return Reply(
        id=str(comment_id), parent_id=None if parent == "0" else parent,
        author_id=_public_id(host or keys[0], hosts), author_name=name,
        created=(created if created.tzinfo else created.replace(tzinfo=dt.UTC)
                 ).astimezone(dt.UTC),
        body=_body(str(comment.get("text") or "")), body_format="html",
        likes=_count(comment.get("likeCount")), is_host=host is not None, mentions=mentions,
    )


def _public_id(address: str, hosts: Hosts) -> str:
    """An executive's id as ``.authors.yml`` writes it; anyone else's as a stable hash."""
    for key in hosts.names:
        if key.lower() == address:
            return key
    return "sp-" + hashlib.sha256(address.encode()).hexdigest()[:16]


def _body(text: str) -> str:
    """SharePoint's HTML-encoded text, with mention anchors as "@Name" and lines kept."""
    def name(match: re.Match[str]) -> str:
        shown = html.unescape(re.sub(r"<[^>]+>", "", match.group(1))).lstrip("@")
        return "@" + html.escape(shown, quote=False)

    return _MENTION.sub(name, text).replace("\r\n", "\n").replace("\n", "<br>")
