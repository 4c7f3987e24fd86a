"""Hostile and broken platforms (issue 16, items 4-10): one bad answer costs one thread.

Every case runs the real ``fireside sync`` against the loopback Viva Engage, which serves the
fault over real HTTP, and asserts what a broken implementation gets wrong: the exit code, the
other threads written, the old snapshot kept, the token never sent off the API.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import time

import pytest

from tests.fakeplatform.yammer import Scripted, make_thread, message, user
from tests.sync.conftest import TOKEN, Result, SyncProject

A, B, C = 2000000001, 2000000002, 2000000003
PATH_A = f"messages/in_thread/{A}.json"


def three_posts(project: SyncProject) -> None:
    for tid, count in ((A, 5), (B, 21), (C, 2)):
        project.thread(tid, count, host=1500000001)
        project.post(f"post-{tid}", f"yammer:{tid}")


def assert_only_a_failed(project: SyncProject, result: Result, words: str) -> None:
    """Exit 2, A stale with ``words`` in its error, B and C written, nothing else."""
    assert result.code == 2, result
    assert words in result.err and "Traceback" not in result.err
    files = project.files()
    assert f"yammer/{B}.json" in files and f"yammer/{C}.json" in files
    state = project.state()["threads"]
    assert state[f"yammer:{A}"]["status"] == "stale"
    assert words in state[f"yammer:{A}"]["last_error"]
    assert state[f"yammer:{B}"]["status"] == state[f"yammer:{C}"]["status"] == "ok"


# -- item 4: ids from the state file and requests confined to the API base -----------------------


def test_crafted_state_id_never_sends_the_token_off_the_api(project: SyncProject) -> None:
    messages, users = make_thread(A, 3)
    project.fake.add_thread(A, messages, users)
    permalink = f"https://www.yammer.com/northwind.example/messages/{A * 1000 + 1}"
    project.post("permalink", permalink)
    project.snapshots.mkdir(parents=True)
    (project.snapshots / "_state.json").write_text(json.dumps({
        "generated_by": "fireside sync", "schema_version": 1, "threads": {},
        "resolved": {f"yammer:message:{A * 1000 + 1}": "../../../../escape-state"}}))
    result = project.sync()
    assert result.code == 0, result
    paths = [s.path for s in project.fake.requests]
    assert all(not p.startswith("..") and "escape" not in p for p in paths), paths
    assert paths == [f"messages/{A * 1000 + 1}.json", PATH_A]  # resolved again, then read
    assert project.state()["resolved"] == {f"yammer:message:{A * 1000 + 1}": str(A)}


def test_api_url_helper_refuses_dot_segments() -> None:
    from fireside_sync.http import UnsafeRequest, api_url, within_base

    base = "https://www.yammer.com/api/v1"
    assert api_url(base, "messages/in_thread/12.json") == f"{base}/messages/in_thread/12.json"
    assert api_url(base, "messages/a b?c#d 50%.json") == \
        f"{base}/messages/a%20b%3Fc%23d%2050%25.json"
    assert api_url(base, "teams/19:a@thread.v2/x('y')") == f"{base}/teams/19:a@thread.v2/x('y')"
    assert api_url(base, f"{base}/messages/1.json?older_than=5") == \
        f"{base}/messages/1.json?older_than=5"  # a platform's own next link, under the base
    for path in ("../escape.json", "messages/../../x.json", "messages//x", "messages/%2e%2e/x",
                 "messages/a%2Fb", "messages/..\\x", "https://evil.example/api/v1/x",
                 f"{base}/../escape.json", "javascript:alert(1)"):
        with pytest.raises(UnsafeRequest):
            api_url(base, path)
    assert within_base(base, f"{base}/messages/1.json")
    assert within_base(base, f"{base}/messages/") and within_base(base, f"{base}/x?a=../b")
    for url in ("https://www.yammer.com/api/v10/x", "https://evil.example/api/v1/x",
                "http://www.yammer.com/api/v1/x", f"{base}/../escape.json",
                "https://www.yammer.com/escape.json", f"{base}//x", f"{base}/a/%2e%2e/%2e%2e/x",
                f"{base}/a\\..\\..\\x"):
        assert not within_base(base, url), url


def test_redirect_outside_the_api_is_not_followed(project: SyncProject) -> None:
    three_posts(project)
    outside = project.fake.url.replace("/api/v1", "") + "/collect"
    project.fake.fail(PATH_A, Scripted(302, body=b"", headers={"Location": outside}))
    result = project.sync()
    assert_only_a_failed(project, result, "outside the API base")
    assert not [s for s in project.fake.requests if s.path.startswith("/collect")]
    assert all(not s.path.startswith("/") for s in project.fake.requests)


# -- item 5: half an emoji ---------------------------------------------------------------------


def test_unpaired_surrogate_is_replaced_and_every_thread_written(project: SyncProject) -> None:
    three_posts(project)
    start = project.fake.threads[A][0]
    bad = message(A * 1000 + 9, A, 1600000001, time_of(start), "half \ud83d an emoji",
                  html="<p>half \ud83d an emoji \ud83d\ude00</p>")
    bad_user = user(1600000001, "Broken \udc00 Name")
    project.fake.add_thread(A, [*project.fake.threads[A], bad], [bad_user])
    first = project.sync()
    assert first.code == 0, first
    body = project.snapshot(A)["thread"]["replies"]
    text = next(r for r in body if r["id"] == str(A * 1000 + 9))
    assert text["body"] == "<p>half \ufffd an emoji \U0001f600</p>"
    assert text["author_name"] == "Broken \ufffd Name"
    assert project.state()["threads"][f"yammer:{A}"]["status"] == "ok"
    again = project.sync("--full")  # and the next run is byte-identical, not a crash
    assert again.code == 0 and "3 fetched (3 unchanged)" in again.out


def time_of(starter: dict[str, object]) -> dt.datetime:
    return dt.datetime.strptime(str(starter["created_at"]), "%Y/%m/%d %H:%M:%S %z")


# -- item 6: transport failures are failures of one thread ------------------------------------


@pytest.mark.parametrize(("answer", "words"), [
    (Scripted(fault="short"), "body shorter than its Content-Length"),
    (Scripted(fault="close"), "answer broke off"),
    (Scripted(200, body=b'{"messages": []}', headers={"Content-Encoding": "gzip"}),
     "could not be decoded"),
    (Scripted(200, body=gzip.compress(b'{"messages": ')[:-6],
              headers={"Content-Encoding": "gzip"}), "not valid JSON"),
    (Scripted(200, body=b"[" * 200_000 + b"]" * 200_000), "not valid JSON"),
])
def test_broken_answer_fails_its_thread_only(project: SyncProject, answer: Scripted,
                                             words: str) -> None:
    three_posts(project)
    project.platform["retries"] = {"attempts": 2, "backoff_seconds": 0.01,
                                   "max_wait_seconds": 1}
    project.fake.fail(PATH_A, answer, answer)
    result = project.sync("--report", str(project.root / "report.json"))
    assert_only_a_failed(project, result, words)
    report = json.loads((project.root / "report.json").read_text())
    assert report["exit_code"] == 2
    assert [f["thread"] for f in report["platforms"]["yammer"]["failures"]] == [f"yammer:{A}"]


def test_short_body_is_retried(project: SyncProject) -> None:
    three_posts(project)
    project.fake.fail(PATH_A, Scripted(fault="short"))
    result = project.sync()
    assert result.code == 0, result
    assert len(project.fake.thread_requests(A)) == 2


def test_redirect_loop_fails_its_thread(project: SyncProject) -> None:
    three_posts(project)
    loop = f"{project.fake.url}/{PATH_A}"
    project.fake.fail(PATH_A, *[Scripted(302, body=b"", headers={"Location": loop})] * 10)
    result = project.sync()
    assert_only_a_failed(project, result, "(a loop)")
    assert len(project.fake.thread_requests(A)) == 6  # the request and 5 redirects, once


# -- item 7: the timeout bounds the whole request, the deadline the whole run ------------------


def test_trickled_body_is_bounded_by_timeout_seconds(project: SyncProject) -> None:
    three_posts(project)
    project.platform["timeout_seconds"] = 0.5
    project.platform["retries"] = {"attempts": 1, "backoff_seconds": 0, "max_wait_seconds": 0}
    project.fake.trickle_seconds = 0.05  # a 1 KB answer would take about a minute
    project.fake.fail(PATH_A, Scripted(fault="trickle"))
    started = time.monotonic()
    result = project.sync()
    elapsed = time.monotonic() - started
    assert_only_a_failed(project, result, "no answer within 0.5 s")
    assert elapsed < 5, elapsed


def test_trickled_headers_are_bounded_by_timeout_seconds(project: SyncProject) -> None:
    three_posts(project)
    project.platform["timeout_seconds"] = 0.5
    project.platform["retries"] = {"attempts": 2, "backoff_seconds": 0, "max_wait_seconds": 0}
    project.fake.trickle_seconds = 0.02  # 2 KB of headers would take 40 s
    project.fake.fail(PATH_A, *[Scripted(fault="trickle-headers")] * 2)
    started = time.monotonic()
    result = project.sync()
    assert_only_a_failed(project, result, "no answer within 0.5 s, 2 times")
    assert time.monotonic() - started < 5


def test_stalled_body_is_bounded_by_timeout_seconds(project: SyncProject) -> None:
    three_posts(project)
    project.platform["timeout_seconds"] = 0.5
    project.platform["retries"] = {"attempts": 1, "backoff_seconds": 0, "max_wait_seconds": 0}
    project.fake.delay = 0.3  # the headers arrive 0.3 s into the 0.5 s, then half the body
    project.fake.fail(PATH_A, Scripted(fault="stall"))
    started = time.monotonic()
    result = project.sync()
    assert_only_a_failed(project, result, "no answer within 0.5 s")
    assert time.monotonic() - started < 5  # the server stays silent for 30 s


def test_run_deadline_leaves_the_rest_stale(project: SyncProject) -> None:
    three_posts(project)
    project.options["sync"] = {"deadline_minutes": 0.01}  # 0.6 s
    project.fake.delay = 0.25  # every request
    result = project.sync()
    assert result.code == 2, result
    assert "reached its deadline" in result.err
    # Youngest post first (C, then B's two pages); A starts after the deadline: no request.
    state = project.state()["threads"]
    assert state[f"yammer:{A}"]["status"] == "stale"
    assert "deadline" in state[f"yammer:{A}"]["last_error"]
    assert project.fake.thread_requests(A) == []


# -- item 8: an empty answer is a failure, not an empty thread -------------------------------


def test_empty_answer_keeps_likes_and_url(project: SyncProject) -> None:
    three_posts(project)
    project.fake.threads[A][0]["liked_by"]["count"] = 7
    assert project.sync().code == 0
    before = project.snapshot(A)
    project.fake.fail(PATH_A, Scripted(200, body=json.dumps(
        {"messages": [], "references": [], "meta": {"older_available": False}}).encode()))
    result = project.sync("--full")
    assert_only_a_failed(project, result, "no thread starter")
    assert project.snapshot(A) == before and before["thread"]["totals"]["likes"] == 7


# -- item 9: endless pagination ----------------------------------------------------------------


def test_endless_pagination_is_bounded_by_the_reported_size(project: SyncProject) -> None:
    project.fake.endless = True
    for tid in (A, B):
        project.post(f"post-{tid}", f"yammer:{tid}")
    result = project.sync()
    assert result.code == 2 and "pages; stopped paging" in result.err, result
    # Each thread reports 30 messages: (30 + 40) / 20, rounded up, + 1 = 5 pages, not 1,000s.
    assert len(project.fake.thread_requests(A)) == len(project.fake.thread_requests(B)) == 5
    assert project.files().keys() == {"_state.json"}


# -- item 10: one bad discussion link --------------------------------------------------------


@pytest.mark.parametrize("link", [
    "https://evil.example/threads/123",
    "yammer:abc",
    "https://web.yammer.com/main/org/northwind.example/feed",
    "teams:../../escape",
])
def test_bad_link_skips_its_post_and_syncs_the_rest(project: SyncProject, link: str) -> None:
    three_posts(project)
    project.post("bad", link)
    result = project.sync()
    assert result.code == 2, result
    assert "content/posts/bad.md:6: field 'discussion'" in result.err
    assert len([f for f in project.files() if f.startswith("yammer/")]) == 3
    assert TOKEN not in result.out + result.err


@pytest.mark.parametrize("page", [
    {"messages": [{"id": A, "body": "not a mapping", "liked_by": [], "created_at": 5}],
     "references": {"type": "user"}, "meta": []},
    {"messages": [{"id": A}, {"id": A + 1, "sender_id": {"x": 1}, "replied_to_id": []}],
     "references": [None, 3, {"type": "thread", "id": A, "stats": "many"}]},
    {"messages": [{"id": A, "liked_by": {"count": "9"}},
                  {"id": A + 2, "created_at": "2026/03/02 09:00:00 +0000", "sender_id": 1,
                   "body": {"rich": ["x"], "plain": None, "parsed": 7}}]},
])
def test_odd_shapes_cost_one_thread_at_most(project: SyncProject, page: object) -> None:
    three_posts(project)
    project.fake.fail(PATH_A, Scripted(200, body=json.dumps(page).encode()))
    result = project.sync()
    assert result.code in (0, 2) and "Traceback" not in result.err, result
    files = project.files()
    assert f"yammer/{B}.json" in files and f"yammer/{C}.json" in files


def test_a_boolean_like_count_is_not_written_as_true(project: SyncProject) -> None:
    three_posts(project)
    project.fake.threads[A][0]["liked_by"]["count"] = True
    project.fake.threads[A][1]["liked_by"]["count"] = -4
    assert project.sync().code == 0
    thread = project.snapshot(A)["thread"]
    assert thread["totals"]["likes"] == 0 and thread["replies"][0]["likes"] == 0


def test_oversized_answer_fails_its_thread(project: SyncProject,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    import fireside_sync.http

    three_posts(project)
    monkeypatch.setattr(fireside_sync.http, "MAX_RESPONSE_BYTES", 8_000)  # B's page is larger
    result = project.sync()
    assert result.code == 2 and "larger than 8,000 bytes" in result.err, result
    assert len(project.fake.thread_requests(B)) == 1  # not retried
    assert project.state()["threads"][f"yammer:{B}"]["status"] == "stale"


def test_next_links_are_followed_only_under_the_api_base(project: SyncProject) -> None:
    from fireside.core.settings import PlatformSettings, RetrySettings
    from fireside_sync.http import HttpClient, UnsafeRequest

    project.thread(A, 3)
    settings = PlatformSettings(name="yammer", api_url=project.fake.url, token_env="T",
                                rate_requests=100, rate_per_seconds=0,
                                retries=RetrySettings(1, 0, 0))
    client = HttpClient(settings, TOKEN)
    page = client.get_next(f"{project.fake.url}/{PATH_A}?older_than={A * 1000 + 2}")
    assert [m["id"] for m in page["messages"]] == [A * 1000 + 1, A]
    origin = project.fake.url.removesuffix("/api/v1")
    for url in (f"{origin}/escape.json", f"{project.fake.url}/../escape.json",
                f"https://evil.example/api/v1/{PATH_A}"):
        with pytest.raises(UnsafeRequest):
            client.get_next(url)
    assert len(project.fake.requests) == 1
