"""SharePoint Online news comments: the links users paste, and the registry entry.

A news post is a page in its site's pages library, whose URL name is ``SitePages`` in every
language: ``https://contoso.sharepoint.com/sites/News/SitePages/Q3-results.aspx`` (also
``/teams/…`` sites, the root site, subsites, spaces, apostrophes and ``?web=1``). The short
form is ``sharepoint:{server-relative page path}``; the host is the configured ``api_url``.

The thread id is the page's server-relative path, percent-encoded as one segment
(``%2Fsites%2FNews%2FSitePages%2FQ3-results.aspx``): it is the snapshot's file name, safe on
every file system, and sync resolves it to the page's list item on every fetch (see
``fireside_sync.platforms.sharepoint``), so a lost sync state costs nothing.
"""

from __future__ import annotations

import re
import urllib.parse

from fireside.discussions.platforms import Defaults, Platform, ReferenceProblem, ThreadRef

_PAGE = re.compile(r"^(?P<web>(?:/[^/]+)*?)/SitePages/(?P<file>.+\.aspx)$", re.IGNORECASE)
_HOW = ("open the news post in the browser and paste its address (…/SitePages/<page>.aspx)")


def page_id(path: str) -> str:
    """The thread id of a page (its decoded server-relative path)."""
    return urllib.parse.quote(path, safe="")


def page_path(thread_id: str) -> str:
    """The server-relative path of a page's thread id."""
    return urllib.parse.unquote(thread_id)


def split_page(path: str) -> tuple[str, str]:
    """``(web path, page path)`` of a server-relative page path; the web is ``""`` at the root.

    Raises:
        ReferenceProblem: ``path`` is not a page in a site's pages library.
    """
    match = _PAGE.match(path)
    if not match or "//" in path or any(part in (".", "..") for part in path.split("/")):
        raise ReferenceProblem(f"{path[:80]!r} is not a SharePoint page; {_HOW}")
    return match.group("web"), path


def parse_url(parts: urllib.parse.SplitResult) -> ThreadRef | None:
    """A pasted SharePoint page link → the page (query and fragment dropped)."""
    path = urllib.parse.unquote(parts.path)
    if path.startswith("/:"):
        raise ReferenceProblem("this is a SharePoint sharing link, which hides the page's "
                               f"address; {_HOW}")
    if path.lower().startswith("/_layouts/"):
        raise ReferenceProblem(f"this SharePoint link opens a viewer, not a page; {_HOW}")
    return parse_id(path)


def parse_id(ident: str) -> ThreadRef:
    """``sharepoint:/sites/News/SitePages/Q3-results.aspx``."""
    if not ident.startswith("/"):
        raise ReferenceProblem(f"'sharepoint:{ident[:60]}': expected the page's server-"
                               "relative path, as in sharepoint:/sites/News/SitePages/"
                               "Q3-results.aspx")
    return ThreadRef("sharepoint", "thread", page_id(split_page(ident)[1]))


PLATFORM = Platform(
    name="sharepoint",
    display_name="SharePoint",
    hosts=("sharepoint.com",),
    parse_url=parse_url,
    parse_id=parse_id,
    short_form="sharepoint:<server-relative page path>",
    adapter="fireside_sync.platforms.sharepoint:SharePointAdapter",
    # SharePoint counts resource units per app per minute (1,200 for the smallest tenants);
    # a comment page costs about 2, so 10 a second stays well inside it.
    defaults=Defaults(api_url="https://contoso.sharepoint.com", rate_requests=10,
                      rate_per_seconds=1, auth="entra"),
    self_hosted=True,
    id_pattern=r"/(.*/)?[sS]ite[pP]ages/.+\.[aA][sS][pP][xX]",
)
