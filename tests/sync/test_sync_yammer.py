"""The Viva Engage adapter against the loopback server: paging and mapping."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from fireside.core.settings import PlatformSettings, RetrySettings
from fireside_sync.errors import BadPayload
from fireside_sync.http import HttpClient
from fireside_sync.platforms.base import Hosts, ThreadRef
from fireside_sync.platforms.yammer import OlderThanPaginator, YammerAdapter
from tests.fakeplatform.yammer import FakeYammer, Scripted, make_thread, message, user

NOW = dt.datetime(2026, 3, 10, 8, 0, tzinfo=dt.UTC)
T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
HOSTS = Hosts({"1500000001": "Dana Whitfield"})


@pytest.fixture
def fake() -> Iterator[FakeYammer]:
    with FakeYammer() as server:
        yield server


@pytest.fixture
def adapter(fake: FakeYammer) -> YammerAdapter:
    settings = PlatformSettings(name="yammer", api_url=fake.url, token_env="T", rate_requests=1,
                                rate_per_seconds=0, retries=RetrySettings(1, 0, 0))
    return YammerAdapter(HttpClient(settings, fake.token))


@pytest.mark.parametrize(("count", "pages"), [(1, 1), (20, 1), (21, 2), (45, 3),
                                              (90, 5)])
def test_paging_boundaries(fake: FakeYammer, adapter: YammerAdapter, count: int,
                           pages: int) -> None:
    messages, users = make_thread(2000000001, count)
    fake.add_thread(2000000001, messages, users)
    fetched = adapter.fetch_thread("2000000001", hosts=HOSTS, now=NOW)
    seen = fake.thread_requests(2000000001)
    assert len(seen) == pages and fetched.pages == pages
    assert "older_than" not in seen[0].query
    for before, request in zip(messages[::-1][19::20], seen[1:], strict=False):
        assert request.query["older_than"] == str(before["id"])  # smallest id of the page
    thread = fetched.thread
    assert thread.totals.replies == len(thread.replies) == count - 1
    assert len({r.id for r in thread.replies}) == len(thread.replies)
    assert [r.created for r in thread.replies] == sorted(r.created for r in thread.replies)
    assert fetched.bookmarks["messages"] == str(count)


def test_mapping_of_names_likes_hosts_bodies_and_nesting(fake: FakeYammer,
                                                         adapter: YammerAdapter) -> None:
    tid = 2000000001

    def at(minutes: int) -> dt.datetime:
        return T0 + dt.timedelta(minutes=minutes)

    html = ('<p>Agree with <a href="https://www.yammer.com/x/users/ana">@Ana Ruiz</a>, see '
            '<a href="https://intranet.example.com/x">this</a></p>')
    fake.add_thread(tid, [
        message(tid, tid, 1500000001, at(0), "New post", likes=31),
        message(tid + 1, tid, 1600000001, at(5), "Is x<y really & truly?", likes=4),
        message(tid + 2, tid, 1500000001, at(9), "Yes", html=html, replied_to=tid + 1,
                mentions=[1600000001], likes=12),
        message(tid + 3, tid, 1600000002, at(11), "Reply to a deleted one", replied_to=tid + 99),
        message(tid + 4, tid, 1600000009, at(12), "Who am I?"),
        message(tid + 5, tid, 0, at(13), "Ana joined the group", sender_type="system"),
        {**message(tid + 6, tid, 1600000001, at(14), "bad date"), "created_at": "yesterday"},
    ], [user(1600000001, "Ana Ruiz"), user(1600000002, "Ben Okafor")])
    fetched = adapter.fetch_thread(str(tid), hosts=HOSTS, now=NOW)
    thread = fetched.thread
    replies = {r.id: r for r in thread.replies}
    assert list(replies) == [str(tid + n) for n in (1, 2, 3, 4)]
    assert fetched.skipped_messages == 2
    first, answer, orphan, unknown = replies.values()
    assert (first.author_name, first.likes, first.is_host, first.body_format, first.body) == (
        "Ana Ruiz", 4, False, "text", "Is x<y really & truly?")
    assert first.created == at(5) and first.created.tzinfo == dt.UTC
    assert (answer.author_name, answer.is_host, answer.parent_id) == ("Dana Whitfield", True,
                                                                      str(tid + 1))
    assert (answer.body_format, answer.body, answer.mentions) == ("html", html, ("1600000001",))
    assert orphan.parent_id is None  # its parent was deleted: shown at the top level
    assert unknown.author_name == "Unknown user"
    assert thread.totals.likes == 31 and thread.totals.participants == 4
    assert thread.url == f"https://www.yammer.com/northwind.example/threads/{tid}"
    assert thread.content_changed_at == NOW
    assert "@northwind.example" not in repr(thread)  # the references' emails stay out


def test_permalink_resolution(fake: FakeYammer, adapter: YammerAdapter) -> None:
    messages, users = make_thread(2000000001, 3)
    fake.add_thread(2000000001, messages, users)
    ref = ThreadRef("yammer", "message", str(messages[2]["id"]))
    assert adapter.resolve(ref) == "2000000001"
    assert [s.path for s in fake.requests] == [f"messages/{messages[2]['id']}.json"]
    assert adapter.resolve(ThreadRef("yammer", "thread", "7")) == "7"
    assert len(fake.requests) == 1


def test_paginator_refuses_a_repeated_token_and_stops_without_meta() -> None:
    page = {"messages": [{"id": 9}, {"id": 5}], "meta": {"older_available": True}}
    paginator = OlderThanPaginator()
    assert paginator.advance(page) == 5
    with pytest.raises(BadPayload, match="same page twice"):
        paginator.advance(page)
    assert OlderThanPaginator().advance({"messages": [{"id": 1}]}) is None
    assert OlderThanPaginator().advance({"messages": [], "meta": {"older_available": True}}) \
        is None
    with pytest.raises(BadPayload, match="more than 2 pages"):
        limited = OlderThanPaginator(max_pages=2)
        limited.advance({"messages": [{"id": 9}], "meta": {"older_available": True}})
        limited.advance({"messages": [{"id": 8}], "meta": {"older_available": True}})


def test_answer_without_messages_is_a_bad_payload(fake: FakeYammer,
                                                  adapter: YammerAdapter) -> None:
    fake.add_thread(2000000001, [])
    fake.fail("messages/in_thread/2000000001.json", Scripted(200, body=b'{"messages": null}'))
    with pytest.raises(BadPayload, match="no 'messages' list"):
        adapter.fetch_thread("2000000001", hosts=HOSTS, now=NOW)
