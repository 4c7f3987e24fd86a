"""The Jive adapter against the loopback Jive: the prefix, resolution, paging, nesting."""

from __future__ import annotations

import math
from collections.abc import Iterator

import pytest

from fireside_sync.credentials import BasicAuth
from fireside_sync.errors import HttpError
from fireside_sync.http import UnsafeRequest
from fireside_sync.platforms.base import Hosts, ThreadRef
from fireside_sync.platforms.jive import JiveAdapter, decode
from tests.fakeplatform.apifake import Scripted
from tests.fakeplatform.jive import PREFIX, FakeJive
from tests.sync.adapters import NOW, at, client

HOSTS = Hosts({"2001": "Dana Whitfield"})


@pytest.fixture
def fake() -> Iterator[FakeJive]:
    with FakeJive() as server:
        server.page_cap = 25
        yield server


def make(fake: FakeJive, *, attempts: int = 1) -> JiveAdapter:
    return JiveAdapter(client("jive", fake.url, fake.token, attempts=attempts))


def discussion(fake: FakeJive, count: int, kind: str = "discussion") -> None:
    message = "message" if kind == "discussion" else "comment"
    fake.add_content("88012", kind, 12345, "Q1", [
        fake.reply("88012", str(5000 + i), (str(2100 + i % 3), f"Staff {i % 3}"), at(i),
                   f"<p>Reply {i}</p>", likes=i % 5, kind=message)
        for i in range(1, count + 1)], likes=17)


def test_the_prefix_is_stripped_before_parsing() -> None:
    assert decode("throw 'allowIllegalResourceCall is false.';\n{\"a\": 1}") == {"a": 1}
    assert decode('{"a": 1}') == {"a": 1}
    with pytest.raises(ValueError):
        decode("throw 'allowIllegalResourceCall is false.';\n<html>")


@pytest.mark.parametrize("count", [0, 1, 25, 26, 50, 51, 80])
def test_paging_follows_links_next(fake: FakeJive, count: int) -> None:
    discussion(fake, count)
    got = make(fake).fetch_thread("88012", hosts=HOSTS, now=NOW)
    pages = fake.seen("messages/contents/88012")
    assert len(pages) == max(1, math.ceil(count / 25))
    assert [p.arg("startIndex") for p in pages] == [str(25 * i) for i in range(len(pages))]
    assert [r.id for r in got.thread.replies] == [str(5000 + i) for i in range(1, count + 1)]
    assert got.thread.totals.likes == 17
    assert got.thread.url == "https://northwind.jiveon.com/thread/12345"


def test_links_are_resolved_through_entity_descriptor(fake: FakeJive) -> None:
    discussion(fake, 3)
    fake.add_content("99001", "document", 1331, "Strategy", [
        fake.reply("99001", "7001", ("2044", "Lena Park"), at(1), "<p>Thanks</p>")])
    adapter = make(fake)
    assert adapter.resolve(ThreadRef("jive", "page", "thread-12345")) == "88012"
    assert adapter.resolve(ThreadRef("jive", "page", "DOC-1331")) == "99001"
    assert adapter.resolve(ThreadRef("jive", "thread", "424242")) == "424242"  # no request
    assert [s.arg("filter") for s in fake.seen("contents")] == [
        "entityDescriptor(1,12345)", "entityDescriptor(102,1331)"]
    got = adapter.fetch_thread("99001", hosts=HOSTS, now=NOW)
    assert fake.seen("contents/99001/comments") and got.thread.totals.replies == 1
    with pytest.raises(HttpError) as caught:
        adapter.resolve(ThreadRef("jive", "page", "thread-404"))
    assert caught.value.kind == "not_found"


def test_nesting_status_and_likes(fake: FakeJive) -> None:
    fake.add_content("88012", "discussion", 12345, "Q1", [
        fake.reply("88012", "1", ("2044", "Lena Park"), at(1), "<p>Q</p>", likes=3,
                   kind="message"),
        fake.reply("88012", "2", ("2001", "Dana Whitfield"), at(2), "<p>A</p>", parent="1",
                   kind="message"),
        fake.reply("88012", "3", ("2045", "Sam Lee"), at(3), "<p>gone</p>", kind="message",
                   status="deleted"),
        fake.reply("88012", "4", ("2046", "Ola Berg"), at(4), "<p>Re: gone</p>", parent="3",
                   kind="message"),
    ])
    got = make(fake).fetch_thread("88012", hosts=HOSTS, now=NOW)
    assert [(r.id, r.parent_id, r.likes, r.is_host) for r in got.thread.replies] == [
        ("1", None, 3, False), ("2", "1", 0, True), ("4", None, 0, False)]
    assert got.thread.replies[0].body == "<body><p>Q</p></body>"
    assert got.skipped_messages == 1


def test_error_bodies_are_read_through_the_prefix(fake: FakeJive) -> None:
    with pytest.raises(HttpError) as caught:
        make(fake).fetch_thread("404404", hosts=HOSTS, now=NOW)
    assert caught.value.kind == "not_found"
    assert "The requested content 404404 does not exist" in caught.value.message


def test_a_next_link_to_another_host_is_refused(fake: FakeJive) -> None:
    discussion(fake, 2)
    fake.fail("messages/contents/88012", Scripted(200, PREFIX + (
        b'{"list": [], "links": {"next": "https://evil.example/api/core/v3/'
        b'messages/contents/88012?startIndex=25"}}')))
    with pytest.raises(UnsafeRequest, match="outside the API base"):
        make(fake).fetch_thread("88012", hosts=HOSTS, now=NOW)


def test_wrong_credentials_are_an_auth_error_and_basic_auth_works() -> None:
    with FakeJive(basic=("svc-fireside", "right")) as fake:
        discussion(fake, 1)
        wrong = JiveAdapter(client("jive", fake.url, BasicAuth("svc-fireside", "wrong"),
                                   attempts=3))
        with pytest.raises(HttpError) as caught:
            wrong.fetch_thread("88012", hosts=HOSTS, now=NOW)
        assert caught.value.kind == "auth" and "Invalid credentials" in caught.value.message
        assert len(fake.requests) == 1
        right = JiveAdapter(client("jive", fake.url, BasicAuth("svc-fireside", "right")))
        assert right.fetch_thread("88012", hosts=HOSTS, now=NOW).thread.totals.replies == 1
        assert "right" not in repr(right.client._auth)
