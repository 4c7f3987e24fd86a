"""The Discourse adapter against the loopback forum: chunks, filters, nesting, likes, errors."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterator
from typing import Any

import pytest

from fireside_sync.errors import HttpError
from fireside_sync.http import HeaderAuth
from fireside_sync.platforms.base import Hosts
from fireside_sync.platforms.discourse import DiscourseAdapter, absolute_links
from tests.fakeplatform.apifake import Scripted, as_json
from tests.fakeplatform.discourse import FakeDiscourse, post, rate_limited
from tests.sync.adapters import NOW, at, client

KEY = "discourse-key"
HOSTS = Hosts({"5": "Dana Whitfield"})


@pytest.fixture
def fake() -> Iterator[FakeDiscourse]:
    with FakeDiscourse(KEY, "system") as server:
        yield server


def make(fake: FakeDiscourse, *, username: str = "system", attempts: int = 1,
         sleeps: list[float] | None = None) -> DiscourseAdapter:
    auth = HeaderAuth({"Api-Key": KEY, "Api-Username": username})
    return DiscourseAdapter(client("discourse", fake.url, auth, attempts=attempts,
                                   sleeps=sleeps))


def topic(fake: FakeDiscourse, count: int, **root: Any) -> None:
    """A topic of ``count`` posts, post 1 included."""
    posts = [post(9000, 1, 5, "Dana Whitfield", at(0), "<p>Q1</p>", likes=6, **root)]
    posts += [post(9000 + n, n, 70 + n % 3, f"Staff {n % 3}", at(n), f"<p>Reply {n}</p>",
                   likes=n % 4) for n in range(2, count + 1)]
    fake.add_topic(4242, "Q1 priorities from the CEO", posts)


@pytest.mark.parametrize("count", [1, 2, 20, 21, 40, 41, 45])
def test_posts_beyond_the_first_chunk_are_fetched_by_id(fake: FakeDiscourse, count: int) -> None:
    topic(fake, count)
    got = make(fake).fetch_thread("4242", hosts=HOSTS, now=NOW)
    chunks = fake.seen("t/4242/posts.json")
    assert len(chunks) == math.ceil(max(count - 20, 0) / 20) == got.pages - 1
    asked = [int(i) for c in chunks for i in c.query["post_ids[]"]]
    assert asked == list(range(9021, 9000 + count + 1))
    assert [r.id for r in got.thread.replies] == [str(9000 + n) for n in range(2, count + 1)]
    assert got.thread.totals.likes == 6
    assert got.thread.url == f"{fake.url}/t/q1-priorities-from-the-ceo/4242"


def test_only_regular_visible_posts_are_replies_and_nesting_follows_post_numbers(
        fake: FakeDiscourse) -> None:
    fake.add_topic(4242, "Q1", [
        post(9001, 1, 5, "Dana Whitfield", at(0), "<p>Q1</p>", likes=31),
        post(9002, 2, 77, "Ana Ruiz", at(1), "<p>Great</p>", likes=4,
             actions_summary=[{"id": 3, "count": 9}, {"id": 2, "count": 4}]),
        post(9003, 3, 5, "Dana Whitfield", at(2), "<p>Thanks</p>", reply_to=2),
        post(9004, 4, 1, "system", at(3), "<p>closed</p>", post_type=3),  # small action
        post(9005, 5, 2, "Mod", at(4), "<p>note</p>", post_type=4),  # whisper
        post(9006, 6, 2, "Mod", at(5), "<p>split</p>", post_type=2),  # moderator action
        post(9007, 7, 78, "Ben Okafor", at(6), "<p>gone</p>", deleted_at="2026-03-03T00:00Z"),
        post(9008, 8, 79, "Cy Park", at(7), "<p>spam</p>", hidden=True),
        post(9009, 9, 80, "Di Lu", at(8), "<p>Re: gone</p>", reply_to=7),
        post(9010, 10, 81, "Ed Wu", at(9), "<p>(deleted by author)</p>", user_deleted=True),
        post(9011, 11, 82, "Flo Ng", at(10), "<p>Re: Q1</p>", reply_to=1),
    ])
    got = make(fake).fetch_thread("4242", hosts=HOSTS, now=NOW)
    replies = [(r.id, r.parent_id, r.author_name, r.likes, r.is_host)
               for r in got.thread.replies]
    assert replies == [("9002", None, "Ana Ruiz", 4, False),
                       ("9003", "9002", "Dana Whitfield", 0, True),
                       ("9009", None, "Di Lu", 0, False),  # its parent was deleted
                       ("9011", None, "Flo Ng", 0, False)]
    assert got.thread.totals == type(got.thread.totals)(replies=4, likes=31, participants=4)
    assert got.skipped_messages == 6


def test_both_api_headers_are_sent(fake: FakeDiscourse) -> None:
    topic(fake, 2)
    make(fake).fetch_thread("4242", hosts=HOSTS, now=NOW)
    seen = fake.requests[0].headers
    assert (seen["api-key"], seen["api-username"]) == (KEY, "system")
    assert "authorization" not in seen


def test_a_wrong_username_is_an_auth_error(fake: FakeDiscourse) -> None:
    topic(fake, 2)
    with pytest.raises(HttpError) as caught:
        make(fake, username="nobody", attempts=3).fetch_thread("4242", hosts=HOSTS, now=NOW)
    assert caught.value.kind == "auth" and "Api-Username" in caught.value.message
    assert len(fake.requests) == 1


def test_a_private_topic_is_forbidden_not_an_auth_error(fake: FakeDiscourse) -> None:
    fake.fail("t/4242.json", Scripted(403, as_json({
        "errors": ["You are not permitted to view the requested resource."],
        "error_type": "invalid_access"})))
    with pytest.raises(HttpError) as caught:
        make(fake).fetch_thread("4242", hosts=HOSTS, now=NOW)
    assert caught.value.kind == "forbidden"


def test_429_waits_as_long_as_discourse_says(fake: FakeDiscourse) -> None:
    topic(fake, 30)
    sleeps: list[float] = []
    fake.fail("t/4242/posts.json", rate_limited(24, header=False))
    fake.fail("t/4242.json", rate_limited(5))
    got = make(fake, attempts=3, sleeps=sleeps).fetch_thread("4242", hosts=HOSTS, now=NOW)
    assert sleeps == [5.0, 24.0] and got.thread.totals.replies == 29


def test_web_url_names_the_forum_readers_open(fake: FakeDiscourse) -> None:
    topic(fake, 2)
    auth = HeaderAuth({"Api-Key": KEY, "Api-Username": "system"})
    http = client("discourse", fake.url, auth)
    http.settings = dataclasses.replace(http.settings, web_url="https://forum.northwind.example")
    got = DiscourseAdapter(http).fetch_thread("4242", hosts=HOSTS, now=NOW)
    assert got.thread.url == "https://forum.northwind.example/t/q1-priorities-from-the-ceo/4242"


@pytest.mark.parametrize(("cooked", "expected"), [
    ('<p><a class="mention" href="/u/ana">@ana</a></p>',
     '<p><a class="mention" href="https://forum.example/u/ana">@ana</a></p>'),
    ('<a href="/t/q1/42/3">q</a> <a href="//evil.example/x">e</a> <a href="https://a.example">a</a>',
     '<a href="https://forum.example/t/q1/42/3">q</a> <a href="//evil.example/x">e</a> '
     '<a href="https://a.example">a</a>'),
    ('<img src="/uploads/x.png">', '<img src="/uploads/x.png">'),
])
def test_forum_relative_links_become_absolute(cooked: str, expected: str) -> None:
    assert absolute_links(cooked, "https://forum.example/") == expected


def test_a_missing_topic_is_not_found(fake: FakeDiscourse) -> None:
    with pytest.raises(HttpError) as caught:
        make(fake).fetch_thread("999", hosts=HOSTS, now=NOW)
    assert caught.value.kind == "not_found"
