"""Every form of ``discussion:`` a user can paste, and the ones we refuse."""

from __future__ import annotations

import urllib.parse

import pytest

from fireside.discussions.platforms.yammer import _decode_token
from fireside_sync.errors import ThreadReferenceError
from fireside_sync.platforms import parse_reference
from fireside_sync.platforms.base import ThreadRef
from fireside_sync.platforms.yammer import thread_url

THREAD = "eyJfdHlwZSI6IlRocmVhZCIsImlkIjoiMjAwMDAwMDAwMSJ9"  # {"_type":"Thread","id":"2000000001"}
MESSAGE = "eyJfdHlwZSI6Ik1lc3NhZ2UiLCJpZCI6IjMxMDAwMDAwMDAwMDAwNDIifQ"  # padding stripped
GROUP = "eyJfdHlwZSI6Ikdyb3VwIiwiaWQiOiI4ODAwMDAwMSJ9"

TEAMS_CONTEXT = urllib.parse.quote(
    '{"subEntityId":"' + urllib.parse.quote(f"/threads/{THREAD}", safe="") +
    '","channelId":"19:abc@thread.tacv2"}', safe="")


TEAM = "6b1c0e2a-0d4c-4f6e-9b8a-1c2d3e4f5a6b"
TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
CHANNEL = "19:ab12cd34ef56@thread.tacv2"
CHANNEL_Q = urllib.parse.quote(CHANNEL, safe="")
TEAMS_REF = ThreadRef("teams", "thread", f"{TEAM},19%3Aab12cd34ef56%40thread.tacv2,1738573200000")



def SP(path: str) -> ThreadRef:
    """A SharePoint page's reference: its server-relative path, percent-encoded."""
    return ThreadRef("sharepoint", "thread", urllib.parse.quote(path, safe=""))


#: Every accepted link form and what it names.
PARSED: list[tuple[str, ThreadRef]] = [
    ("yammer:2000000001", ThreadRef("yammer", "thread", "2000000001")),
    ("  yammer:2000000001 ", ThreadRef("yammer", "thread", "2000000001")),
    ("https://www.yammer.com/northwind.example/#/Threads/show?threadId=2000000001",
     ThreadRef("yammer", "thread", "2000000001")),
    ("https://www.yammer.com/northwind.example/#/threads/show?threadId=2000000001&x=1",
     ThreadRef("yammer", "thread", "2000000001")),
    (f"https://web.yammer.com/main/threads/{THREAD}", ThreadRef("yammer", "thread",
                                                                 "2000000001")),
    (f"https://web.yammer.com/main/org/northwind.example/threads/{THREAD}",
     ThreadRef("yammer", "thread", "2000000001")),
    (f"https://engage.cloud.microsoft/main/threads/{THREAD}?trk_copy_link=V2",
     ThreadRef("yammer", "thread", "2000000001")),
    (f"https://engage.cloud.microsoft/main/org/northwind.example/threads/{THREAD}",
     ThreadRef("yammer", "thread", "2000000001")),
    (f"https://engage.cloud.microsoft/main/threads/{MESSAGE}",
     ThreadRef("yammer", "message", "3100000000000042")),
    ("https://www.yammer.com/northwind.example/messages/3100000000000042",
     ThreadRef("yammer", "message", "3100000000000042")),
    (f"https://teams.microsoft.com/l/entity/db5e5970-212f-477f-a3fc-2227dc7782bf/vivaengage"
     f"?context={TEAMS_CONTEXT}", ThreadRef("yammer", "thread", "2000000001")),
    # Teams: "Copy link" on a root post, on a reply (the thread is the root), the short form.
    (f"https://teams.microsoft.com/l/message/{CHANNEL_Q}/1738573200000?tenantId={TENANT}"
     f"&groupId={TEAM}&parentMessageId=1738573200000&teamName=All%20Company&channelName="
     "General&createdTime=1738573200000", TEAMS_REF),
    (f"https://teams.microsoft.com/l/message/{CHANNEL_Q}/1738573200000?tenantId={TENANT}"
     f"&groupId={TEAM}&teamName=All%20Company&channelName=General", TEAMS_REF),
    (f"https://teams.microsoft.com/l/message/{CHANNEL_Q}/1738580000123?tenantId={TENANT}"
     f"&groupId={TEAM}&parentMessageId=1738573200000&createdTime=1738580000123", TEAMS_REF),
    (f"https://teams.microsoft.com/l/message/{CHANNEL}/1738573200000?groupId={TEAM.upper()}",
     TEAMS_REF),
    (f"https://teams.cloud.microsoft/l/message/{CHANNEL_Q}/1738573200000?groupId={TEAM}",
     TEAMS_REF),
    (f"https://dod.teams.microsoft.us/l/message/{CHANNEL_Q}/1738573200000?groupId={TEAM}",
     TEAMS_REF),  # a sovereign cloud
    (f"teams:{TEAM}/{CHANNEL}/1738573200000", TEAMS_REF),
    ("teams:6b1c0e2a-0d4c-4f6e-9b8a-1c2d3e4f5a6b/19:General1a2b@thread.skype/1700000000001",
     ThreadRef("teams", "thread", "6b1c0e2a-0d4c-4f6e-9b8a-1c2d3e4f5a6b,"
                                  "19%3AGeneral1a2b%40thread.skype,1700000000001")),
    # SharePoint: news pages on /sites/ and /teams/ sites, the root site, subsites, spaces,
    # apostrophes, ?web=1 and sharing-style queries, and the short form.
    ("https://contoso.sharepoint.com/sites/News/SitePages/Q3-results.aspx",
     SP("/sites/News/SitePages/Q3-results.aspx")),
    ("https://contoso.sharepoint.com/sites/News/SitePages/Q3-results.aspx?web=1",
     SP("/sites/News/SitePages/Q3-results.aspx")),
    ("https://contoso.sharepoint.com/teams/Leadership/SitePages/Town%20hall.aspx?csf=1&web=1"
     "&e=AbC123#comments", SP("/teams/Leadership/SitePages/Town hall.aspx")),
    ("https://contoso.sharepoint.com/SitePages/CEO's-update.aspx",
     SP("/SitePages/CEO's-update.aspx")),
    ("https://contoso.sharepoint.com/sites/News/EMEA/SitePages/CEO%27s%20update.aspx",
     SP("/sites/News/EMEA/SitePages/CEO's update.aspx")),
    ("https://contoso.sharepoint.com/sites/News/sitepages/Q3-results.aspx",
     SP("/sites/News/sitepages/Q3-results.aspx")),
    ("sharepoint:/sites/News/SitePages/Q3-results.aspx",
     SP("/sites/News/SitePages/Q3-results.aspx")),
    ("sharepoint:/SitePages/Town hall.aspx",
     SP("/SitePages/Town hall.aspx")),
]


@pytest.mark.parametrize(("text", "expected"), PARSED)
def test_parses(text: str, expected: ThreadRef) -> None:
    assert parse_reference(text) == expected


#: Refused values and the message that says why.
REFUSED: list[tuple[str, str]] = [
    ("https://intranet.example.com/blog/post", "not a discussion thread of a configured"),
    ("https://evil.example/threads/show?threadId=1", "not a discussion thread of a configured"),
    ("javascript:alert(1)//yammer.com", "neither a thread link nor platform:id"),
    ("ftp://www.yammer.com/#/threads/show?threadId=1", "not a web link"),
    (f"https://web.yammer.com/main/groups/{GROUP}", "points to no thread"),
    (f"https://web.yammer.com/main/threads/{GROUP}", "names a Group rather than a thread"),
    ("https://web.yammer.com/main/threads/!!!notbase64", "points to no thread"),
    ("https://web.yammer.com/main/threads/bm90IGpzb24", "cannot be read"),
    ("yammer:abc", "a Viva Engage thread id is a number"),
    ("myspace:12", "neither a thread link nor platform:id"),
    ("2000000001", "neither a thread link nor platform:id"),
    (f"https://teams.microsoft.com/l/message/19%3Ameeting_abc%40thread.v2/1738573200000"
     f"?tenantId={TENANT}", "it is a chat message"),
    (f"https://teams.microsoft.com/l/channel/{CHANNEL_Q}/General?groupId={TEAM}",
     "points to no channel post"),
    (f"https://teams.microsoft.com/l/message/{CHANNEL_Q}/1738573200000?groupId=not-a-guid",
     "is not a GUID"),
    (f"https://teams.microsoft.com/l/message/19%3Aab12/1738573200000?groupId={TEAM}",
     "is not a channel id"),
    (f"https://teams.microsoft.com/l/message/{CHANNEL_Q}/latest?groupId={TEAM}",
     "is not a number"),
    (f"teams:{TEAM}/{CHANNEL}", "expected teams:<team id>/<channel id>/<message id>"),
    ("https://contoso.sharepoint.com/:u:/s/News/EQ1b2c3d4e5f?e=AbC123",
     "a SharePoint sharing link"),
    ("https://contoso.sharepoint.com/sites/News/Shared%20Documents/Q3.docx",
     "is not a SharePoint page"),
    ("https://contoso.sharepoint.com/sites/News/_layouts/15/news.aspx", "is not a SharePoint page"),
    ("https://contoso.sharepoint.com/_layouts/15/viewlsts.aspx", "opens a viewer"),
    ("https://contoso.sharepoint.com/sites/News/SitePages/../Secrets/x.aspx",
     "is not a SharePoint page"),
    ("sharepoint:sites/News/SitePages/Q3.aspx", "expected the page's server-relative path"),
]


@pytest.mark.parametrize(("text", "message"), REFUSED)
def test_refuses_with_a_clear_message(text: str, message: str) -> None:
    with pytest.raises(ThreadReferenceError, match=message):
        parse_reference(text)


def test_built_thread_url_round_trips() -> None:
    url = thread_url("2000000001")
    assert url == f"https://web.yammer.com/main/threads/{THREAD}"
    assert parse_reference(url) == ThreadRef("yammer", "thread", "2000000001")
    assert _decode_token(THREAD + "=") == ThreadRef("yammer", "thread", "2000000001")


def test_microsoft_thread_ids_are_safe_file_names() -> None:
    page = parse_reference("https://contoso.sharepoint.com/teams/Leadership/SitePages/"
                           "CEO%27s%20town%20hall.aspx?web=1")
    assert page.id == "%2Fteams%2FLeadership%2FSitePages%2FCEO%27s%20town%20hall.aspx"
    assert TEAMS_REF.id.count(",") == 2 and ":" not in TEAMS_REF.id and "@" not in TEAMS_REF.id
    for ref in (page, TEAMS_REF):
        assert "/" not in ref.id and " " not in ref.id and not ref.id.startswith(".")
