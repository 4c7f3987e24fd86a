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
