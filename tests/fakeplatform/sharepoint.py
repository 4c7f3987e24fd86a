"""A loopback SharePoint Online REST ``_api`` serving news-page comments as PnP recorded them.

- Without a JSON ``Accept`` header every answer is Atom XML (as SharePoint does).
- ``{web}/_api/web/GetFileByServerRelativePath(decodedurl=@a1)?@a1='…'`` (OData string
  literal, ``''`` for an apostrophe) with ``$select=ListId,ListItemAllFields/Id`` and
  ``$expand=ListItemAllFields`` → the list id and item id; a missing file is SharePoint's 404.
- ``{web}/_api/web/lists/GetByTitle('…')`` knows only the library's *localised* title, so a
  client that guesses "Site Pages" fails on a German site.
- ``lists(guid'…')/GetItemById(n)/Comments`` (and ``/GetComments``): newest first, 30 a page
  (``$top`` below 30 honoured), an absolute ``odata.nextLink`` with ``%24skiptoken``;
  ``$expand=replies`` embeds at most ``embedded_replies`` replies while ``replyCount`` gives
  them all; ``Comments(id)/replies`` pages the rest. ``likedByInformation`` has a *string*
  ``likeCount``.
- Bearer tokens are checked against ``tokens`` (401 "Invalid issuer or signature."); webs in
  ``forbidden`` answer 403 ``System.UnauthorizedAccessException``; ``fail()`` scripts 429s.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import re
import secrets
import urllib.parse
import uuid
from dataclasses import dataclass, field
from typing import Any, Self

from tests.fakeplatform.loopback import Answer, Loopback, Request, json_answer

PAGE_SIZE = 30
ATOM = ('<?xml version="1.0" encoding="utf-8"?><feed xml:base="{base}" '
        'xmlns="http://www.w3.org/2005/Atom" xmlns:d="http://schemas.microsoft.com/ado/2007/08/'
        'dataservices" xmlns:m="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata">'
        '<id>{base}</id><title /></feed>')
_FILE = re.compile(r"^(?P<web>.*?)/_api/web/GetFileByServerRelativePath\(decodedurl=@a1\)$",
                   re.IGNORECASE)
_BY_TITLE = re.compile(r"^(?P<web>.*?)/_api/web/lists/GetByTitle\('(?P<title>.*)'\)",
                       re.IGNORECASE)
_ITEM = re.compile(r"^(?P<web>.*?)/_api/web/lists\(guid'(?P<list>[0-9a-f-]{36})'\)/"
                   r"GetItemById\((?P<item>\d+)\)/?(?P<rest>.*)$", re.IGNORECASE)
_REPLIES = re.compile(r"^Comments\((?P<id>\d+)\)/replies$", re.IGNORECASE)


def sp_user(index: int, name: str, domain: str = "northwind.example") -> dict[str, Any]:
    """A comment ``author`` (site user id, name, e-mail, claims login)."""
    handle = name.lower().replace(" ", ".").replace("'", "")
    email = f"{handle}@{domain}"
    return {"id": 10 + index, "name": name, "email": email,
            "loginName": f"i:0#.f|membership|{email}", "userPrincipalName": None,
            "isActive": True, "isExternal": False, "jobTitle": None, "principalType": 1,
            "directoryObjectId": None, "expiration": None, "userId": None}


@dataclass
class Comment:
    """One comment (or reply, with ``parent``)."""

    ident: int
    author: dict[str, Any]
    created: dt.datetime
    text: str
    likes: int = 0
    parent: int = 0
    mentions: list[dict[str, Any]] | None = None


@dataclass
class Page:
    """A news page: its list item and comments."""

    item_id: int
    likes: int = 0
    comments: list[Comment] = field(default_factory=list)


@dataclass
class Site:
    """A site (web) with its pages library."""

    web: str
    """Server-relative, ``""`` for the root site."""
    library_title: str = "Site Pages"
    list_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    pages: dict[str, Page] = field(default_factory=dict)
    """File name (within SitePages) → page."""


def mention(user: dict[str, Any]) -> str:
    """An @mention anchor as SharePoint stores it in ``text``."""
    return (f'<a data-sp-mention-user-id="{user["email"]}" href="mailto&#58;{user["email"]}" '
            f'tabindex="-1">@{html.escape(user["name"])}</a>')


def encode_text(text: str) -> str:
    """Text as SharePoint stores it: HTML-encoded, ``:`` as ``&#58;``."""
    return html.escape(text, quote=False).replace(":", "&#58;")


class FakeSharePoint(Loopback):
    """One tenant's sites."""

    def __init__(self, tokens: set[str] | None = None) -> None:
        super().__init__()
        self.tokens: set[str] = tokens if tokens is not None else {"sharepoint-test-token"}
        self.sites: dict[str, Site] = {}
        self.forbidden: set[str] = set()
        self.embedded_replies = 2
        self.public_origin = ""
        """The tenant's address in ``EncodedAbsUrl`` (default: this server's)."""
        self._skiptokens: dict[str, int] = {}

    @property
    def url(self) -> str:
        """The ``api_url`` (the tenant root)."""
        return self.origin

    def start(self) -> Self:
        super().start()
        self.public_origin = self.public_origin or self.origin
        return self

    def add_site(self, site: Site) -> Site:
        self.sites[site.web.lower()] = site
        return site

    def page_url(self, site: Site, name: str) -> str:
        """The page's address as the browser shows it."""
        return f"{self.origin}{urllib.parse.quote(site.web + '/SitePages/' + name)}"

    def route(self, request: Request) -> Answer:
        if "application/json" not in request.headers.get("accept", ""):
            return Answer(200, ATOM.format(base=html.escape(self.origin)).encode(),
                          content_type="application/atom+xml;type=feed;charset=utf-8")
        auth = request.headers.get("authorization", "")
        if not auth.startswith("Bearer ") or auth[len("Bearer "):] not in self.tokens:
            return json_answer({"error_description": "Invalid issuer or signature."}, 401, **{
                "WWW-Authenticate": 'Bearer realm="0d3c9a4e-5b1f-4e2a-9c7d-2f6a8b1e4c90",'
                                    'client_id="00000003-0000-0ff1-ce00-000000000000",'
                                    'trusted_issuers="00000001-0000-0000-c000-000000000000@*"'})
        if match := _FILE.match(request.path):
            return self._file(request, match.group("web"))
        if match := _BY_TITLE.match(request.path):
            site = self._site(match.group("web"))
            if site is None or site.library_title != match.group("title").replace("''", "'"):
                return _error(404, "-1, System.ArgumentException",
                              f"List '{match.group('title')}' does not exist at site with URL "
                              f"'{self.origin}{match.group('web')}'.")
            return json_answer({"Id": site.list_id, "Title": site.library_title})
        if match := _ITEM.match(request.path):
            return self._item(request, match)
        return _error(404, "-1, Microsoft.SharePoint.Client.InvalidClientQueryException",
                      "The expression is not valid.")

    def _site(self, web: str) -> Site | None:
        return self.sites.get(web.rstrip("/").lower())

    def _file(self, request: Request, web: str) -> Answer:
        site = self._site(web)
        literal = request.query.get("@a1", "")
        if site is None:
            return _error(404, "-2147024894, System.IO.FileNotFoundException",
                          "File Not Found.")
        if web.lower() in self.forbidden:
            return _forbidden()
        if not (literal.startswith("'") and literal.endswith("'")):
            return _error(400, "-1, Microsoft.SharePoint.Client.InvalidClientQueryException",
                          "The expression \"decodedurl=@a1\" is not valid.")
        path = literal[1:-1].replace("''", "'")
        prefix = (site.web + "/SitePages/").lower()
        page = site.pages.get(path[len(prefix):]) if path.lower().startswith(prefix) else None
        if page is None or "'" in literal[1:-1].replace("''", ""):
            return _error(404, "-2130575338, Microsoft.SharePoint.SPException",
                          f"The file {path} does not exist.")
        body: dict[str, Any] = {"ListId": site.list_id}
        if "ListItemAllFields" in request.query.get("$expand", ""):
            body["ListItemAllFields"] = {"Id": page.item_id, "ID": page.item_id}
        return json_answer(body)

    def _item(self, request: Request, match: re.Match[str]) -> Answer:
        site = self._site(match.group("web"))
        if site is None or site.list_id != match.group("list").lower():
            return _error(404, "-1, System.ArgumentException",
                          "List does not exist. The page you selected contains a list that "
                          "does not exist.")
        if site.web.lower() in self.forbidden:
            return _forbidden()
        page = next((p for p in site.pages.values() if p.item_id == int(match.group("item"))),
                    None)
        if page is None:
            return _error(404, "-2147024809, System.ArgumentException",
                          "Item does not exist. It may have been deleted by another user.")
        rest = match.group("rest")
        if rest == "":
            name = next(n for n, p in site.pages.items() if p is page)
            return json_answer({"EncodedAbsUrl": self.public_origin + urllib.parse.quote(
                f"{site.web}/SitePages/{name}")})
        if rest.lower() == "likedbyinformation":
            return json_answer({"likedBy": [], "isLikedByUser": False,
                                "likeCount": str(page.likes)})
        tops = [c for c in page.comments if c.parent == 0]
        if rest.lower() in ("comments", "getcomments"):
            return self._page(request, site, page, tops, rest, expand=True)
        if found := _REPLIES.match(rest):
            replies = [c for c in page.comments if c.parent == int(found.group("id"))]
            return self._page(request, site, page, replies, rest, expand=False)
        return _error(404, "-1, Microsoft.SharePoint.Client.InvalidClientQueryException",
                      "The expression is not valid.")

    def _page(self, request: Request, site: Site, page: Page, items: list[Comment],
              rest: str, *, expand: bool) -> Answer:
        ordered = sorted(items, key=lambda c: (c.created, c.ident), reverse=True)
        top = min(int(request.query.get("$top", PAGE_SIZE)), PAGE_SIZE)
        start = 0
        if "$skiptoken" in request.query:
            if request.query["$skiptoken"] not in self._skiptokens:
                return _error(400, "-1, Microsoft.SharePoint.Client.InvalidClientQueryException",
                              "Invalid skip token.")
            start = self._skiptokens[request.query["$skiptoken"]]
        chosen = ordered[start:start + top]
        with_replies = expand and "replies" in request.query.get("$expand", "").lower()
        body: dict[str, Any] = {"value": [self._json(site, page, c, with_replies)
                                          for c in chosen]}
        if start + top < len(ordered):
            token = base64.b64encode(secrets.token_bytes(12)).decode().rstrip("=")
            self._skiptokens[token] = start + top
            query = {"$skiptoken": token, **{k: v for k, v in request.query.items()
                                              if k in ("$expand", "$top")}}
            web = urllib.parse.quote(site.web)
            path = "getcomments" if rest.lower() in ("comments", "getcomments") else rest
            body["odata.nextLink"] = (
                f"{self.origin}{web}/_api/web/lists(guid%27{site.list_id}%27)/"
                f"getitembyid({page.item_id})/{path}?{urllib.parse.urlencode(query)}")
        return json_answer(body)

    def _json(self, site: Site, page: Page, comment: Comment, with_replies: bool
              ) -> dict[str, Any]:
        replies = sorted((c for c in page.comments if c.parent == comment.ident),
                         key=lambda c: c.created)
        created = comment.created.astimezone(dt.UTC)
        data: dict[str, Any] = {
            "author": comment.author,
            "createdDate": created.strftime("%Y-%m-%dT%H:%M:%S.") +
            f"{created.microsecond // 1000:03d}".rstrip("0").ljust(1, "0") + "Z",
            "id": str(comment.ident), "isLikedByUser": False, "isReply": comment.parent != 0,
            "itemId": page.item_id, "likeCount": comment.likes, "listId": site.list_id,
            "mentions": comment.mentions, "modifiedDate": None,
            "parentId": str(comment.parent), "replyCount": len(replies) if not comment.parent
            else 0, "text": comment.text,
        }
        if with_replies:
            data["replies"] = [self._json(site, page, r, False)
                               for r in replies[: self.embedded_replies]]
        return data


def _forbidden() -> Answer:
    return _error(403, "-2147024891, System.UnauthorizedAccessException",
                  "Attempted to perform an unauthorized operation.")


def _error(status: int, code: str, message: str) -> Answer:
    return json_answer({"odata.error": {"code": code, "message": {"lang": "en-US",
                                                                  "value": message}}}, status)
