"""The SharePoint adapter against the loopback REST API: resolving, paging, mapping, errors."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator

import pytest

from fireside.core.settings import PlatformSettings, RetrySettings
from fireside.discussions.platforms.sharepoint import page_id
from fireside_sync.errors import HttpError
from fireside_sync.http import HttpClient
from fireside_sync.platforms.base import Hosts, ThreadRef
from fireside_sync.platforms.sharepoint import SharePointAdapter
from tests.fakeplatform.loopback import json_answer
from tests.fakeplatform.sharepoint import (
    Comment,
    FakeSharePoint,
    Page,
    Site,
    encode_text,
    mention,
    sp_user,
)

NOW = dt.datetime(2026, 3, 10, 8, 0, tzinfo=dt.UTC)
T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
CEO = sp_user(0, "Dana Whitfield")
HOSTS = Hosts({"Dana.Whitfield@northwind.example": "Dana Whitfield"})


@pytest.fixture
def sp() -> Iterator[FakeSharePoint]:
    with FakeSharePoint() as server:
        yield server


def _adapter(sp: FakeSharePoint, attempts: int = 1) -> SharePointAdapter:
    settings = PlatformSettings(name="sharepoint", api_url=sp.url, token_env="T",
                                rate_requests=1000, rate_per_seconds=0, timeout_seconds=5,
                                retries=RetrySettings(attempts, 0.01, 10))
    return SharePointAdapter(HttpClient(settings, "sharepoint-test-token"))


def _page(count: int, replies_each: int = 0, likes: int = 5) -> Page:
    page = Page(item_id=42, likes=likes)
    ident = 0
    staff = [sp_user(i, f"Colleague {i}") for i in range(1, 8)]
    for i in range(count):
        ident += 1
        top = ident
        page.comments.append(Comment(top, staff[i % 7], T0 + dt.timedelta(minutes=10 * i),
                                     encode_text(f"Comment {i}"), likes=i % 5))
        for k in range(replies_each):
            ident += 1
            page.comments.append(Comment(ident, staff[(i + k + 1) % 7],
                                         T0 + dt.timedelta(minutes=10 * i + k + 1),
                                         encode_text(f"Reply {k} to {i}"), parent=top))
    return page


def _fetch(sp: FakeSharePoint, page_path: str, hosts: Hosts = HOSTS):  # type: ignore[no-untyped-def]
    adapter = _adapter(sp)
    ident = adapter.resolve(ThreadRef("sharepoint", "thread", page_id(page_path)))
    return adapter.fetch_thread(ident, hosts=hosts, now=NOW)


@pytest.mark.parametrize(("count", "replies_each", "comment_pages"),
                         [(0, 0, 1), (1, 0, 1), (30, 0, 1), (31, 0, 2), (61, 1, 3),
                          (3, 2, 1), (3, 3, 1), (2, 31, 1)])
def test_comments_and_replies_page_to_the_end(sp: FakeSharePoint, count: int,
                                              replies_each: int, comment_pages: int) -> None:
    site = sp.add_site(Site("/sites/News"))
    site.pages["Q3-results.aspx"] = _page(count, replies_each)
    fetched = _fetch(sp, "/sites/News/SitePages/Q3-results.aspx")
    thread = fetched.thread
    assert thread.totals.replies == len(thread.replies) == count * (1 + replies_each)
    comment_requests = [r for r in sp.requests if r.path.lower().endswith(
        ("/comments", "/getcomments"))]
    assert len(comment_requests) == comment_pages
    assert comment_requests[0].query == {"$expand": "replies", "$top": "30"}
    reply_pages = [r for r in sp.requests if r.path.endswith("/replies")]
    # Only comments with more replies than embedded (2) are paged, 30 a page.
    more = count if replies_each > sp.embedded_replies else 0
    assert len(reply_pages) == more * (1 + (replies_each > 30))
    by_id = {r.id: r for r in thread.replies}
    assert all(r.parent_id is None or by_id[r.parent_id].parent_id is None
               for r in thread.replies)
    assert thread.totals.likes == 5
    assert all(r.headers["accept"] == "application/json;odata=nometadata" and
               r.headers["user-agent"].startswith("NONISV|Fireside|") for r in sp.requests)


def test_a_localised_library_title_does_not_matter(sp: FakeSharePoint) -> None:
    site = sp.add_site(Site("/sites/Nachrichten", library_title="Websiteseiten"))
    site.pages["Quartalszahlen Q3.aspx"] = _page(2)
    fetched = _fetch(sp, "/sites/Nachrichten/SitePages/Quartalszahlen Q3.aspx")
    assert fetched.thread.totals.replies == 2
    assert not any("GetByTitle" in r.path for r in sp.requests)
    assert f"guid'{site.list_id}'" in sp.requests[1].path
    assert fetched.thread.thread_id == \
        "%2Fsites%2FNachrichten%2FSitePages%2FQuartalszahlen%20Q3.aspx"
    assert fetched.thread.url == f"{sp.url}/sites/Nachrichten/SitePages/Quartalszahlen%20Q3.aspx"


@pytest.mark.parametrize("web", ["", "/teams/Leadership", "/sites/News/EMEA"])
def test_root_team_and_subsites_and_apostrophes(sp: FakeSharePoint, web: str) -> None:
    site = sp.add_site(Site(web))
    site.pages["CEO's town hall.aspx"] = _page(1)
    fetched = _fetch(sp, f"{web}/SitePages/CEO's town hall.aspx")
    assert fetched.thread.totals.replies == 1
    assert sp.requests[0].query["@a1"] == f"'{web}/SitePages/CEO''s town hall.aspx'"


def test_mapping_of_encoded_text_mentions_likes_and_the_executive(sp: FakeSharePoint) -> None:
    priya = sp_user(1, "Priya Nair")
    site = sp.add_site(Site("/sites/News"))
    page = Page(item_id=7, likes=12)
    page.comments = [
        Comment(1, priya, T0, encode_text("Q3 looks strong: x<y & y>z"), likes=3),
        Comment(2, CEO, T0 + dt.timedelta(hours=1),
                "Thanks " + mention(priya) + encode_text(": good point\nmore soon"), likes=8,
                parent=1, mentions=[{"email": priya["email"], "id": 11,
                                     "loginName": priya["loginName"], "name": "Priya Nair"}]),
    ]
    site.pages["Q3.aspx"] = page
    sp.public_origin = "https://northwind.sharepoint.com"
    thread = _fetch(sp, "/sites/News/SitePages/Q3.aspx").thread
    assert thread.url == "https://northwind.sharepoint.com/sites/News/SitePages/Q3.aspx"
    first, answer = thread.replies
    assert (first.author_id, first.author_name, first.likes, first.body_format) == (
        "sp-" + hashlib.sha256(priya["email"].encode()).hexdigest()[:16], "Priya Nair", 3,
        "html")
    assert first.body == "Q3 looks strong&#58; x&lt;y &amp; y&gt;z"
    assert first.created == T0 and first.created.tzinfo == dt.UTC
    assert (answer.is_host, answer.parent_id, answer.likes) == (True, "1", 8)
    assert answer.author_id == "Dana.Whitfield@northwind.example"  # as .authors.yml has it
    assert answer.body == "Thanks @Priya Nair&#58; good point<br>more soon"
    assert "mailto" not in answer.body and answer.mentions == (first.author_id,)
    assert "priya" not in repr(thread).lower().replace("priya nair", "")  # no address kept
    assert (thread.totals.likes, thread.totals.participants) == (12, 2)


def test_without_the_json_accept_header_sharepoint_answers_atom(sp: FakeSharePoint) -> None:
    sp.add_site(Site("/sites/News")).pages["Q3.aspx"] = _page(1)
    adapter = _adapter(sp)
    adapter.client.set_header("Accept", "*/*")  # what a client that forgot it sends
    with pytest.raises(HttpError, match="not valid JSON"):
        adapter.list_item(page_id("/sites/News/SitePages/Q3.aspx"))


@pytest.mark.parametrize(("setup", "kind"), [("token", "auth"), ("forbidden", "forbidden"),
                                             ("missing", "not_found")])
def test_errors_are_classified(sp: FakeSharePoint, setup: str, kind: str) -> None:
    sp.add_site(Site("/sites/News")).pages["Q3.aspx"] = _page(1)
    path = "/sites/News/SitePages/Q3.aspx"
    if setup == "token":
        sp.tokens = {"a-graph-token"}
    elif setup == "forbidden":
        sp.forbidden.add("/sites/news")
    else:
        path = "/sites/News/SitePages/Gone.aspx"
    with pytest.raises(HttpError) as caught:
        _fetch(sp, path)
    assert caught.value.kind == kind


def test_429_with_retry_after_is_retried(sp: FakeSharePoint) -> None:
    sp.add_site(Site("/sites/News")).pages["Q3.aspx"] = _page(2)
    sp.fail("/Comments", json_answer({}, 429, **{"Retry-After": "1",
                                                 "RateLimit-Remaining": "0"}))
    adapter = _adapter(sp, attempts=3)
    ident = adapter.resolve(ThreadRef("sharepoint", "thread",
                                      page_id("/sites/News/SitePages/Q3.aspx")))
    fetched = adapter.fetch_thread(ident, hosts=HOSTS, now=NOW)
    assert fetched.thread.totals.replies == 2 and adapter.client.stats.rate_limited == 1
    first, second = [r for r in sp.requests if r.path.endswith("/Comments")]
    assert second.at - first.at >= 0.95
