"""The Teams adapter against the loopback Graph: paging, mapping, throttling and errors."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from fireside.core.settings import PlatformSettings, RetrySettings
from fireside.discussions.platforms.teams import thread_id
from fireside_sync.errors import HttpError
from fireside_sync.http import HttpClient, UnsafeRequest
from fireside_sync.platforms.base import Hosts
from fireside_sync.platforms.teams import TeamsAdapter
from tests.fakeplatform.graph import CHANNEL, TEAM, FakeGraph, chat_message, person
from tests.fakeplatform.loopback import Answer, json_answer

NOW = dt.datetime(2026, 3, 10, 8, 0, tzinfo=dt.UTC)
T0 = dt.datetime(2026, 3, 2, 9, 0, 0, 123000, tzinfo=dt.UTC)
CEO = ("A3F1C2D4-5E6F-4A7B-8C9D-0E1F2A3B4C5D", "Dana Whitfield")
HOSTS = Hosts({CEO[0]: "Dana Whitfield"})  # upper case, as someone pasted it
ROOT = "1772442000123"


@pytest.fixture
def graph() -> Iterator[FakeGraph]:
    with FakeGraph() as server:
        yield server


def _adapter(graph: FakeGraph, *, attempts: int = 1, rate: tuple[int, float] = (1000, 0)
             ) -> TeamsAdapter:
    settings = PlatformSettings(name="teams", api_url=graph.url, token_env="T",
                                rate_requests=rate[0], rate_per_seconds=rate[1],
                                timeout_seconds=5,
                                retries=RetrySettings(attempts, 0.01, 10))
    return TeamsAdapter(HttpClient(settings, "graph-test-token"))


def _thread(graph: FakeGraph, replies: int) -> str:
    staff = [person(i, f"Colleague {i}") for i in range(7)]
    root = chat_message(ROOT, None, CEO, T0, "New post on the leadership blog", reactions=9)
    graph.add_thread(root, [
        chat_message(str(int(ROOT) + i), ROOT, staff[i % 7], T0 + dt.timedelta(minutes=i),
                     f"Reply {i}", reactions=i % 4) for i in range(1, replies + 1)])
    return thread_id(TEAM, CHANNEL, ROOT)


@pytest.mark.parametrize(("replies", "pages"), [(0, 1), (1, 1), (50, 1), (51, 2), (100, 2),
                                                (101, 3)])
def test_paging_boundaries_follow_the_next_link_verbatim(graph: FakeGraph, replies: int,
                                                         pages: int) -> None:
    fetched = _adapter(graph).fetch_thread(_thread(graph, replies), hosts=HOSTS, now=NOW)
    seen = graph.reply_requests()
    assert len(seen) == pages == fetched.pages
    assert seen[0].query == {"$top": "50"}
    for request in seen[1:]:  # the server only knows skiptokens it handed out
        assert set(request.query) == {"$top", "$skiptoken"}
    assert fetched.thread.totals.replies == len(fetched.thread.replies) == replies
    assert [r.created for r in fetched.thread.replies] == sorted(
        r.created for r in fetched.thread.replies)
    assert fetched.thread.totals.likes == 9


def test_mapping_deleted_system_mentions_reactions_and_the_executive(graph: FakeGraph) -> None:
    priya, tom = person(1, "Priya Nair"), person(2, "Tom Hughes")
    root = chat_message(ROOT, None, CEO, T0, "Our Q3 results", reactions=31)

    def at(minutes: int) -> dt.datetime:
        return T0 + dt.timedelta(minutes=minutes)

    replies = [
        chat_message("1772442100001", ROOT, priya, at(5), "Is x<y really & truly?",
                     reactions=4),
        chat_message("1772442100002", ROOT, CEO, at(9), "Thanks", mentions=[priya],
                     html_body=None, reactions=12),
        chat_message("1772442100003", ROOT, tom, at(11), "gone", deleted=True),
        chat_message("1772442100004", ROOT, tom, at(12), "", message_type="systemEventMessage"),
        {**chat_message("1772442100005", ROOT, tom, at(13), "bad"), "createdDateTime": "soon"},
        chat_message("1772442100006", ROOT, tom, at(14), "",
                     html_body='<div><at id="0">Priya</at> see <a href="https://intranet.'
                               'example/x">this</a><script>x()</script></div>',
                     mentions=[priya]),
    ]
    graph.add_thread(root, replies)
    fetched = _adapter(graph).fetch_thread(thread_id(TEAM, CHANNEL, ROOT), hosts=HOSTS,
                                           now=NOW)
    thread = fetched.thread
    assert [r.id for r in thread.replies] == ["1772442100001", "1772442100002",
                                              "1772442100006"]
    assert fetched.skipped_messages == 3  # deleted, system, unreadable date
    first, answer, linked = thread.replies
    assert (first.author_name, first.likes, first.is_host, first.body_format, first.body) == (
        "Priya Nair", 4, False, "text", "Is x<y really & truly?")
    assert first.author_id == priya[0] and first.created == T0 + dt.timedelta(minutes=5)
    assert (answer.is_host, answer.author_id, answer.likes) == (True, CEO[0], 12)
    assert answer.parent_id == first.id  # it @mentions Priya: the answer to her question
    assert linked.parent_id is None  # not the executive's
    assert answer.body == "<p>@Priya Nair Thanks</p>" and answer.mentions == (priya[0],)
    # The mention's display name wins over the <at> text; the build sanitises the rest.
    assert linked.body.startswith("<div>@Priya Nair see <a href=")
    assert (thread.totals.likes, thread.totals.participants) == (31, 3)
    assert thread.url.startswith("https://teams.microsoft.com/l/message/19%3Ac0ffee42")
    assert fetched.bookmarks["messages"] == "7"


def test_429_retry_after_is_honoured(graph: FakeGraph) -> None:
    tid = _thread(graph, 3)
    graph.fail("/replies", json_answer({"error": {"code": "TooManyRequests", "message": "x"}},
                                       429, **{"Retry-After": "1"}))
    adapter = _adapter(graph, attempts=3)
    fetched = adapter.fetch_thread(tid, hosts=HOSTS, now=NOW)
    assert fetched.thread.totals.replies == 3
    first, second = graph.reply_requests()
    assert second.at - first.at >= 0.95  # waited as told, not the 0.01 s backoff
    assert adapter.client.stats.rate_limited == 1


def test_the_client_throttle_keeps_under_the_per_channel_limit(graph: FakeGraph) -> None:
    graph.rate_limit = (4, 1.0)  # Graph: at most 4 requests a second on one channel
    tid = _thread(graph, 160)  # root + 4 reply pages = 5 requests
    adapter = _adapter(graph, rate=(4, 1.0))
    fetched = adapter.fetch_thread(tid, hosts=HOSTS, now=NOW)
    assert fetched.thread.totals.replies == 160
    assert adapter.client.stats.rate_limited == 0


@pytest.mark.parametrize(("status", "kind"), [(401, "auth"), (403, "forbidden"),
                                              (404, "not_found")])
def test_errors_are_classified(graph: FakeGraph, status: int, kind: str) -> None:
    tid = _thread(graph, 2)
    if status == 401:
        graph.tokens = {"another-token"}
    elif status == 403:
        graph.forbidden.add(CHANNEL)
    else:
        tid = thread_id(TEAM, CHANNEL, "1")
    with pytest.raises(HttpError) as caught:
        _adapter(graph).fetch_thread(tid, hosts=HOSTS, now=NOW)
    assert (caught.value.kind, caught.value.status) == (kind, status)


def test_a_next_link_to_another_host_is_not_followed(graph: FakeGraph) -> None:
    tid = _thread(graph, 2)
    graph.fail("/replies", json_answer({"value": [], "@odata.nextLink":
                                        "https://evil.example/v1.0/steal?$skiptoken=x"}))
    with pytest.raises(UnsafeRequest, match="outside the API base"):
        _adapter(graph).fetch_thread(tid, hosts=HOSTS, now=NOW)
    assert len(graph.requests) == 2


def test_a_page_without_value_is_a_bad_payload(graph: FakeGraph) -> None:
    tid = _thread(graph, 2)
    graph.fail("/replies", Answer(200, b'{"error": null}'))
    with pytest.raises(Exception, match="no 'value' list"):
        _adapter(graph).fetch_thread(tid, hosts=HOSTS, now=NOW)


def test_through_fireside_sync_a_403_channel_is_partial_and_429_is_waited_out(
        tmp_path: Path, graph: FakeGraph) -> None:
    from tests.fakeplatform.yammer import FakeYammer
    from tests.sync.microsoft import MicrosoftProject

    other = "19:0ther0000000000000000000000000@thread.tacv2"
    _thread(graph, 3)
    root = chat_message("1772442999000", None, CEO, T0, "Elsewhere", channel=other)
    graph.add_thread(root, [chat_message("1772443000000", "1772442999000",
                                         person(1, "Priya Nair"), T0, "Hi", channel=other)],
                     channel=other)
    graph.forbidden.add(other)
    graph.fail("/replies", json_answer({"error": {"code": "TooManyRequests"}}, 429,
                                       **{"Retry-After": "1"}))
    with FakeYammer() as yammer:
        ms = MicrosoftProject(tmp_path / "proj", yammer)
        ms.teams(graph, token_env="GRAPH_TOKEN")
        ms.post("allowed", f"teams:{TEAM}/{CHANNEL}/{ROOT}", date="2026-03-01 09:00")
        ms.post("denied", f"teams:{TEAM}/{other}/1772442999000", date="2026-03-02 09:00")
        ms.post("plain", None)
        result = ms.run("--report", str(ms.root / "report.json"),
                        GRAPH_TOKEN="graph-test-token")
    assert result.code == 2, result.err
    assert "access denied (HTTP 403)" in result.err
    report = json.loads((ms.root / "report.json").read_text())
    teams = report["platforms"]["teams"]
    assert (teams["threads"]["fetched"], teams["threads"]["failed"]) == (1, 1)
    assert teams["rate_limited"] == 1
    (snapshot,) = ms.snapshots_of("teams").values()
    assert snapshot["thread"]["totals"]["replies"] == 3
    assert "graph-test-token" not in result.out + result.err
