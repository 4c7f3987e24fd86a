"""The Slack adapter against the loopback Slack: paging, mrkdwn, names, deletions, errors."""

from __future__ import annotations

import math
from collections.abc import Iterator

import pytest

from fireside_sync.errors import HttpError
from fireside_sync.platforms.base import Hosts
from fireside_sync.platforms.slack import SlackAdapter
from tests.fakeplatform.apifake import Scripted, as_json
from tests.fakeplatform.slack import FakeSlack, bot, msg, person, tombstone, ts_of
from tests.sync.adapters import NOW, at, client

CHANNEL = "C0LEAD001"
PARENT = ts_of(at(0))
THREAD = f"{CHANNEL}-{PARENT}"
HOSTS = Hosts({"U0EXEC001": "Dana Whitfield"})
PEOPLE = [person("U0ANA0001", "Ana Ruiz"), person("U0BEN0002", "Ben Okafor"),
          person("U0EXEC001", "Dana Whitfield")]


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as server:
        yield server


@pytest.fixture
def adapter(fake: FakeSlack) -> SlackAdapter:
    return SlackAdapter(client("slack", fake.url, fake.token))


def thread(fake: FakeSlack, replies: int, parent_ts: str = PARENT) -> None:
    users = ["U0ANA0001", "U0BEN0002"]
    fake.add_thread(CHANNEL, [msg(parent_ts, "U0EXEC001", "New post", reactions=[("tada", 5)])] +
                    [msg(ts_of(at(i), i), users[i % 2], f"Reply {i}", thread_ts=parent_ts)
                     for i in range(1, replies + 1)], PEOPLE)


@pytest.mark.parametrize("replies", [0, 1, 14, 15, 16, 30, 31, 46])
def test_paging_boundaries(fake: FakeSlack, adapter: SlackAdapter, replies: int) -> None:
    thread(fake, replies)
    fetched = adapter.fetch_thread(THREAD, hosts=HOSTS, now=NOW)
    pages = fake.seen("conversations.replies")
    assert len(pages) == fetched.pages == max(1, math.ceil(replies / 15))
    assert pages[0].arg("cursor") is None and all(p.arg("cursor") for p in pages[1:])
    assert {(p.arg("channel"), p.arg("ts")) for p in pages} == {(CHANNEL, PARENT)}
    got = fetched.thread
    assert [r.body for r in got.replies] == [f"<p>Reply {i}</p>" for i in range(1, replies + 1)]
    assert got.totals.replies == replies and got.totals.likes == 5  # the parent, counted once
    assert got.url == f"https://northwind.slack.com/archives/{CHANNEL}/p{PARENT.replace('.', '')}"


def test_names_come_from_users_info_once_per_user_per_run(fake: FakeSlack,
                                                          adapter: SlackAdapter) -> None:
    thread(fake, 20)
    other = ts_of(at(500))
    thread(fake, 6, parent_ts=other)
    adapter.fetch_thread(THREAD, hosts=HOSTS, now=NOW)
    second = adapter.fetch_thread(f"{CHANNEL}-{other}", hosts=HOSTS, now=NOW)
    asked = sorted(s.arg("user") or "" for s in fake.seen("users.info"))
    assert asked == ["U0ANA0001", "U0BEN0002"]  # the executive's name is known already
    assert [r.author_name for r in second.thread.replies[:2]] == ["Ben Okafor", "Ana Ruiz"]
    assert len(fake.seen("auth.test")) == 1


MRKDWN = [
    ("x &lt; y &amp;&amp; y &gt; z", "<p>x &lt; y &amp;&amp; y &gt; z</p>"),
    ("AT&amp;amp;T", "<p>AT&amp;amp;T</p>"),  # the user typed "&amp;"
    ("<https://intranet.northwind.example/q1?a=1&amp;b=2|Q1 plan>",
     '<p><a href="https://intranet.northwind.example/q1?a=1&amp;b=2">Q1 plan</a></p>'),
    ("<https://intranet.northwind.example/faq>",
     '<p><a href="https://intranet.northwind.example/faq">'
     "https://intranet.northwind.example/faq</a></p>"),
    ("<javascript:alert(1)|Claim your bonus>", "<p>Claim your bonus</p>"),
    ("< JavaScript:alert(1)|x>", "<p>x</p>"),
    ("<data:text/html;base64,PHNjcmlwdD4=|open>", "<p>open</p>"),
    ("<mailto:help@northwind.example|Write to us>",
     '<p><a href="mailto:help@northwind.example">Write to us</a></p>'),
    ("<https://x.example/\"onmouseover=\"alert(1)|q>",
     '<p><a href="https://x.example/&quot;onmouseover=&quot;alert(1)">q</a></p>'),
    ("Thanks <@U0ANA0001> and <@U0BEN0002|ben>!", "<p>Thanks @Ana Ruiz and @Ben Okafor!</p>"),
    ("<!here> see <#C0GENERAL|general> <!subteam^S01|@leads>",
     "<p>@here see #general @leads</p>"),
    ("*Bold* and _italic_ and `x&lt;y`", "<p><strong>Bold</strong> and <em>italic</em> and "
     "<code>x&lt;y</code></p>"),
    ("&gt; quoted\n&gt; twice\nanswer\nmore", "<blockquote><p>quoted<br>twice</p></blockquote>"
     "<p>answer<br>more</p>"),
    ("a&gt;b\n\n", "<p>a&gt;b</p>"),
    ("```<b>&lt;b&gt;</b>```", "<pre><code>&lt;b&gt;&lt;b&gt;&lt;/b&gt;</code></pre>"),
    ("&lt;script&gt;alert(1)&lt;/script&gt;", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"),
]


@pytest.mark.parametrize(("text", "html"), MRKDWN)
def test_mrkdwn_becomes_safe_html(fake: FakeSlack, adapter: SlackAdapter, text: str,
                                  html: str) -> None:
    fake.users.update({p["id"]: p for p in PEOPLE})
    assert adapter.to_html(text)[0] == html


def test_mentions_are_recorded(fake: FakeSlack, adapter: SlackAdapter) -> None:
    fake.users.update({p["id"]: p for p in PEOPLE})
    assert adapter.to_html("<@U0ANA0001> <@U0ANA0001> <@U0GONE999>") == (
        "<p>@Ana Ruiz @Ana Ruiz @Unknown user</p>", ("U0ANA0001", "U0GONE999"))


def test_likes_bots_joins_and_deleted_messages(fake: FakeSlack, adapter: SlackAdapter) -> None:
    fake.add_thread(CHANNEL, [
        tombstone(PARENT, 4),  # the executive deleted the post; the replies stay
        msg(ts_of(at(1)), "U0ANA0001", "Still here", thread_ts=PARENT,
            reactions=[("+1", 3), ("heart", 2), ("eyes", 1)]),
        bot(ts_of(at(2)), "Deploy Bot", "Release 4.2 is out", thread_ts=PARENT),
        msg(ts_of(at(3)), "U0BEN0002", "Ben joined", thread_ts=PARENT, subtype="channel_join"),
        msg(ts_of(at(4)), "U0EXEC001", "Thanks", thread_ts=PARENT),
    ], PEOPLE)
    got = adapter.fetch_thread(THREAD, hosts=HOSTS, now=NOW)
    replies = got.thread.replies
    assert [(r.author_name, r.likes, r.is_host) for r in replies] == [
        ("Ana Ruiz", 6, False), ("Deploy Bot", 0, False), ("Dana Whitfield", 0, True)]
    assert replies[1].author_id == "B0DEPLOY1"
    assert got.thread.totals.likes == 0 and got.skipped_messages == 1
    fake.threads[(CHANNEL, PARENT)].pop(1)  # Ana deletes her reply
    again = adapter.fetch_thread(THREAD, hosts=HOSTS, now=NOW)
    assert [r.author_name for r in again.thread.replies] == ["Deploy Bot", "Dana Whitfield"]


def test_malformed_messages_are_skipped_not_fatal(fake: FakeSlack,
                                                  adapter: SlackAdapter) -> None:
    fake.add_thread(CHANNEL, [
        {**msg(PARENT, "U0EXEC001", "New post"), "reactions": "lots"},
        msg("yesterday", "U0ANA0001", "bad ts", thread_ts=PARENT),
        {"type": "message", "ts": ts_of(at(1)), "text": "no author", "thread_ts": PARENT},
        {"type": "message", "text": "no ts at all", "user": "U0ANA0001"},
        msg(ts_of(at(2)), "U0ANA0001", "fine", thread_ts=PARENT),
    ], PEOPLE)
    got = adapter.fetch_thread(THREAD, hosts=HOSTS, now=NOW)
    assert [r.body for r in got.thread.replies] == ["<p>fine</p>"]
    assert got.skipped_messages == 1 and got.thread.totals.likes == 0


@pytest.mark.parametrize(("answer", "kind"), [
    ({"ok": False, "error": "channel_not_found"}, "not_found"),
    ({"ok": False, "error": "thread_not_found"}, "not_found"),
    ({"ok": False, "error": "not_in_channel"}, "forbidden"),
    ({"ok": False, "error": "missing_scope", "needed": "channels:history"}, "auth"),
    ({"ok": False, "error": "token_revoked"}, "auth"),
    ({"ok": False, "error": "internal_error"}, "http"),
])
def test_ok_false_is_an_error_even_with_http_200(fake: FakeSlack, adapter: SlackAdapter,
                                                  answer: dict[str, object], kind: str) -> None:
    thread(fake, 2)
    fake.fail("conversations.replies", Scripted(200, as_json(answer)))
    with pytest.raises(HttpError) as caught:
        adapter.fetch_thread(THREAD, hosts=HOSTS, now=NOW)
    assert caught.value.kind == kind and caught.value.status == 200
    if kind == "auth":
        assert "channels:history" in caught.value.message


def test_ratelimited_is_retried_after_retry_after(fake: FakeSlack) -> None:
    sleeps: list[float] = []
    adapter = SlackAdapter(client("slack", fake.url, fake.token, attempts=3, sleeps=sleeps))
    thread(fake, 20)
    fake.fail("conversations.replies",
              Scripted(429, as_json({"ok": False, "error": "ratelimited"}), {"Retry-After": "7"}),
              Scripted(200, as_json({"ok": False, "error": "ratelimited"}),
                       {"Retry-After": "3"}))
    got = adapter.fetch_thread(THREAD, hosts=HOSTS, now=NOW)
    assert got.thread.totals.replies == 20
    assert sleeps == [7.0, 3.0]
    assert adapter.client.stats.rate_limited == 2


def test_a_wrong_token_is_an_auth_error(fake: FakeSlack) -> None:
    thread(fake, 2)
    adapter = SlackAdapter(client("slack", fake.url, "xoxp-wrong", attempts=3))
    with pytest.raises(HttpError) as caught:
        adapter.fetch_thread(THREAD, hosts=HOSTS, now=NOW)
    assert caught.value.kind == "auth" and "invalid_auth" in caught.value.message
    assert len(fake.requests) == 1  # never retried
