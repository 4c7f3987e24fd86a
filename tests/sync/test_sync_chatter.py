"""The Chatter adapter against the loopback Salesforce: page tokens, segments, the 503."""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import pytest

from fireside.core.schema import validate_authors
from fireside.discussions.platforms import PLATFORMS
from fireside_sync.errors import HttpError
from fireside_sync.platforms.base import Hosts
from fireside_sync.platforms.chatter import ChatterAdapter, to_html
from tests.fakeplatform.chatter import FakeChatter, comment, segment_text
from tests.sync.adapters import NOW, at, client

POST = "0D5Hs00000AbCdEKAV"
DANA = "005Hs00000LmNoPIAV"
HOSTS = Hosts({DANA: "Dana Whitfield"})


@pytest.fixture
def fake() -> Iterator[FakeChatter]:
    with FakeChatter() as server:
        server.page_cap = 25
        yield server


def make(fake: FakeChatter, *, attempts: int = 1,
         sleeps: list[float] | None = None) -> ChatterAdapter:
    return ChatterAdapter(client("chatter", fake.url, fake.token, attempts=attempts,
                                 sleeps=sleeps))


def comments(count: int) -> list[dict[str, Any]]:
    return [comment(f"0D7Hs00000Qr{i:04d}AAA", (DANA if i == 2 else f"005Hs0000000{i:03d}AAA",
                                                "Dana Whitfield" if i == 2 else f"Staff {i}"),
                    at(i), [segment_text(f"Comment {i}")], likes=i % 4)
            for i in range(1, count + 1)]


@pytest.mark.parametrize("count", [0, 1, 25, 26, 50, 51, 77])
def test_paging_by_page_token(fake: FakeChatter, count: int) -> None:
    fake.add_post(POST, comments(count), likes=12)
    got = make(fake).fetch_thread(POST, hosts=HOSTS, now=NOW)
    pages = fake.seen(f"chatter/feed-elements/{POST}/capabilities/comments/items")
    assert len(pages) == max(1, math.ceil(count / 25))
    assert pages[0].arg("page") is None and all(p.arg("page") for p in pages[1:])
    assert [r.id for r in got.thread.replies] == [f"0D7Hs00000Qr{i:04d}AAA"
                                                  for i in range(1, count + 1)]
    assert got.thread.totals.likes == 12
    assert [r.likes for r in got.thread.replies] == [i % 4 for i in range(1, count + 1)]
    if count >= 2:
        assert [r.is_host for r in got.thread.replies[:2]] == [False, True]


def test_a_deleted_comment_disappears(fake: FakeChatter) -> None:
    fake.add_post(POST, comments(3))
    adapter = make(fake)
    assert adapter.fetch_thread(POST, hosts=HOSTS, now=NOW).thread.totals.replies == 3
    fake.elements[POST][1].pop(0)
    again = adapter.fetch_thread(POST, hosts=HOSTS, now=NOW)
    assert [r.id for r in again.thread.replies] == ["0D7Hs00000Qr0002AAA", "0D7Hs00000Qr0003AAA"]


SEGMENTS: list[tuple[list[dict[str, Any]], str]] = [
    ([segment_text("x < y & z")], "<p>x &lt; y &amp; z</p>"),
    ([{"type": "Mention", "text": "@Ana Ruiz", "record": {"id": "005A"}},
      segment_text(" thanks")], "<p>@Ana Ruiz thanks</p>"),
    ([{"type": "Link", "url": "https://intranet.northwind.example/q1", "text": "Q1 plan"}],
     '<p><a href="https://intranet.northwind.example/q1">Q1 plan</a></p>'),
    ([{"type": "Link", "url": "javascript:alert(1)", "text": "Open the dashboard"}],
     "<p>Open the dashboard</p>"),
    ([{"type": "Link", "url": "\tjavascript:alert(1)", "text": "x"}], "<p>x</p>"),
    ([{"type": "MarkupBegin", "markupType": "Paragraph", "htmlTag": "p"}, segment_text("Hi "),
      {"type": "MarkupBegin", "markupType": "Bold", "htmlTag": "b"}, segment_text("all"),
      {"type": "MarkupEnd", "markupType": "Bold", "htmlTag": "b"},
      {"type": "MarkupEnd", "markupType": "Paragraph", "htmlTag": "p"}],
     "<p>Hi <strong>all</strong></p>"),
    ([{"type": "MarkupBegin", "markupType": "Hyperlink", "url": "javascript:alert(3)"},
      segment_text("details"), {"type": "MarkupEnd", "markupType": "Hyperlink"}],
     "<p><a>details</a></p>"),
    ([{"type": "MarkupBegin", "markupType": "Italic"}, segment_text("never closed")],
     "<p><em>never closed</em></p>"),
    ([{"type": "MarkupEnd", "markupType": "Bold"}, segment_text("stray end")],
     "<p>stray end</p>"),
    ([{"type": "MarkupBegin", "markupType": "Underline"}, segment_text("u"),
      {"type": "MarkupEnd", "markupType": "Underline"}], "<p>u</p>"),
    ([{"type": "Hashtag", "tag": "q1", "text": "#q1"}, segment_text(" <script>x</script>")],
     "<p>#q1 &lt;script&gt;x&lt;/script&gt;</p>"),
]


@pytest.mark.parametrize(("segments", "html"), SEGMENTS)
def test_message_segments_become_safe_html(segments: list[dict[str, Any]], html: str) -> None:
    assert to_html({"text": "ignored", "messageSegments": segments})[0] == html


def test_mentions_are_recorded_and_plain_text_is_a_fallback() -> None:
    assert to_html({"messageSegments": [
        {"type": "Mention", "text": "@A", "record": {"id": "005A"}},
        {"type": "Mention", "text": "@A", "record": {"id": "005A"}}]})[1] == ("005A",)
    assert to_html({"text": "a <b>"}) == ("<p>a &lt;b&gt;</p>", ())


def test_the_hourly_503_backs_off_then_gives_up_as_quota(fake: FakeChatter) -> None:
    fake.add_post(POST, comments(2))
    fake.throttle(2)
    sleeps: list[float] = []
    got = make(fake, attempts=3, sleeps=sleeps).fetch_thread(POST, hosts=HOSTS, now=NOW)
    assert got.thread.totals.replies == 2 and len(sleeps) == 2
    fake.throttle(100)
    with pytest.raises(HttpError) as caught:
        make(fake, attempts=3).fetch_thread(POST, hosts=HOSTS, now=NOW)
    assert caught.value.kind == "quota" and "hourly" in caught.value.message


def test_a_wrong_token_is_an_auth_error(fake: FakeChatter) -> None:
    fake.add_post(POST, comments(1))
    adapter = ChatterAdapter(client("chatter", fake.url, "00Dwrong", attempts=3))
    with pytest.raises(HttpError) as caught:
        adapter.fetch_thread(POST, hosts=HOSTS, now=NOW)
    assert caught.value.kind == "auth" and "INVALID_SESSION_ID" in caught.value.message
    assert len(fake.requests) == 1


def test_authors_may_give_15_character_user_ids() -> None:
    assert PLATFORMS["chatter"].user_id(DANA[:15]) == DANA
    assert PLATFORMS["chatter"].user_id(DANA) == DANA
    assert PLATFORMS["chatter"].user_id("not-an-id") == "not-an-id"
    authors, problems = validate_authors(
        {"authors": {"cfo": {"name": "Raj Patel", "platforms": {"chatter": DANA[:15]}}}},
        path=".authors.yml", lines={})
    assert problems == [] and authors["cfo"].platforms == {"chatter": DANA}


def test_a_missing_post_is_not_found(fake: FakeChatter) -> None:
    with pytest.raises(HttpError) as caught:
        make(fake).fetch_thread("0D5Hs00000ZzZzZAAA", hosts=HOSTS, now=NOW)
    assert caught.value.kind == "not_found"
