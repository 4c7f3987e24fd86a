"""Every form of ``discussion:`` a user can paste, and the ones we refuse."""

from __future__ import annotations

import urllib.parse

import pytest

from fireside.discussions.platforms import Registry
from fireside.discussions.platforms.chatter import to_18
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
    # Slack: a message link names its thread; a reply's link names the parent (thread_ts).
    ("https://northwind.slack.com/archives/C0123ABCD/p1718243827457659",
     ThreadRef("slack", "thread", "C0123ABCD-1718243827.457659")),
    ("https://northwind.slack.com/archives/C0123ABCD/p1718243999000100"
     "?thread_ts=1718243827.457659&cid=C0123ABCD",
     ThreadRef("slack", "thread", "C0123ABCD-1718243827.457659")),
    ("https://northwind.enterprise.slack.com/archives/G0PRIVATE1/p1718243827000001",
     ThreadRef("slack", "thread", "G0PRIVATE1-1718243827.000001")),
    ("slack:C0123ABCD/1718243827.457659", ThreadRef("slack", "thread",
                                                     "C0123ABCD-1718243827.457659")),
    # Discourse (hosted here; self-hosted forums in test_self_hosted_links below).
    ("https://northwind.discourse.group/t/q1-priorities-from-the-ceo/4242",
     ThreadRef("discourse", "thread", "4242")),
    ("https://northwind.discourse.group/t/q1-priorities-from-the-ceo/4242/17",
     ThreadRef("discourse", "thread", "4242")),
    ("https://northwind.discourse.group/t/4242", ThreadRef("discourse", "thread", "4242")),
    ("https://northwind.discourse.group/t/4242/3", ThreadRef("discourse", "thread", "4242")),
    ("discourse:4242", ThreadRef("discourse", "thread", "4242")),
    # Jive: links carry object ids that sync resolves; jive: takes the API's content id.
    ("https://northwind.jiveon.com/thread/12345", ThreadRef("jive", "page", "thread-12345")),
    ("https://northwind.jiveon.com/docs/DOC-1331", ThreadRef("jive", "page", "DOC-1331")),
    ("https://northwind.jiveon.com/docs/DOC-1331-q1-priorities",
     ThreadRef("jive", "page", "DOC-1331")),
    ("jive:88012", ThreadRef("jive", "thread", "88012")),
    # Chatter: 15- and 18-character ids name the same post.
    ("https://northwind.lightning.force.com/lightning/r/FeedItem/0D5Hs00000AbCdEKAV/view",
     ThreadRef("chatter", "thread", "0D5Hs00000AbCdEKAV")),
    ("https://northwind.lightning.force.com/lightning/r/FeedItem/0D5Hs00000AbCdE/view",
     ThreadRef("chatter", "thread", "0D5Hs00000AbCdEKAV")),
    ("https://northwind.my.salesforce.com/0D5Hs00000AbCdE",
     ThreadRef("chatter", "thread", "0D5Hs00000AbCdEKAV")),
    ("https://northwind.my.salesforce.com/0D5Hs00000AbCdEKAV",
     ThreadRef("chatter", "thread", "0D5Hs00000AbCdEKAV")),
    ("chatter:0D5Hs00000AbCdE", ThreadRef("chatter", "thread", "0D5Hs00000AbCdEKAV")),
    ("chatter:0D5Hs00000AbCdEkav", ThreadRef("chatter", "thread", "0D5Hs00000AbCdEKAV")),
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
    ("https://app.slack.com/client/T0NORTH01/C0123ABCD", "names a channel or workspace"),
    ("https://northwind.slack.com/archives/C0123ABCD", "names a channel or workspace"),
    ("https://northwind.slack.com/archives/C0123ABCD/p171824382745", "should have 16 digits"),
    ("https://northwind.slack.com/archives/C0123ABCD/p1718243999000100?thread_ts=yesterday",
     "not a Slack message time stamp"),
    ("slack:C0123ABCD", "write slack:<channel id>/<message ts>"),
    ("slack:U0123ABCD/1718243827.457659", "not a Slack channel id"),
    ("https://northwind.discourse.group/c/leadership/7", "names no topic"),
    ("https://northwind.discourse.group/t/q1-priorities", "no topic number"),
    ("discourse:q1", "a Discourse topic id is a number"),
    ("https://northwind.jiveon.com/people/dana", "names no discussion or document"),
    ("jive:DOC-1331", "a Jive content id is a number"),
    ("https://northwind.lightning.force.com/lightning/r/Account/001Hs00000AbCdEKAV/view",
     "names no Chatter post"),
    ("https://northwind.my.salesforce.com/0D5Hs00000AbCdEAAA", "not a valid Salesforce id"),
    ("chatter:001Hs00000AbCdE", "starting with 0D5"),
    ("https://forum.northwind.example/t/q1/4242", "not a discussion thread of a configured"),
    ("https://jive.northwind.example/thread/12345", "not a discussion thread of a configured"),
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


#: Self-hosted forms: recognised on the host of the configured ``api_url`` only.
SELF_HOSTED: list[tuple[str, ThreadRef]] = [
    ("https://forum.northwind.example/t/q1-priorities/4242", ThreadRef("discourse", "thread",
                                                                      "4242")),
    ("https://forum.northwind.example/community/t/q1-priorities/4242/9",
     ThreadRef("discourse", "thread", "4242")),  # a subfolder install
    ("https://jive.northwind.example/thread/12345", ThreadRef("jive", "page", "thread-12345")),
    ("https://jive.northwind.example/community/docs/DOC-77", ThreadRef("jive", "page",
                                                                        "DOC-77")),
]


@pytest.mark.parametrize(("text", "expected"), SELF_HOSTED)
def test_self_hosted_links(text: str, expected: ThreadRef) -> None:
    registry = Registry.configured({
        "discourse": "https://forum.northwind.example/community",
        "jive": "https://jive.northwind.example/api/core/v3"})
    assert parse_reference(text, registry) == expected
    with pytest.raises(ThreadReferenceError, match="not a discussion thread"):
        parse_reference(text)


def test_chatter_ids_normalise_to_18_characters() -> None:
    assert to_18("0D5Hs00000AbCdE") == "0D5Hs00000AbCdEKAV"
    assert to_18("001000000000000") == "001000000000000AAA"
    assert to_18("0D5Hs00000AbCdEkav") == "0D5Hs00000AbCdEKAV"
    assert {parse_reference(f"chatter:{i}") for i in
            ("0D5Hs00000AbCdE", "0D5Hs00000AbCdEKAV", "0D5Hs00000AbCdEkav")} == \
        {ThreadRef("chatter", "thread", "0D5Hs00000AbCdEKAV")}
    # Case matters in the 15-character form: a different capital is a different post.
    assert to_18("0D5Hs00000abCdE") != to_18("0D5Hs00000AbCdE")
