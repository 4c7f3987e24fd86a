"""``fireside sync`` end to end against the loopback server: outcomes, exit codes, files."""

from __future__ import annotations

import json
from pathlib import Path

from tests.fakeplatform.yammer import Scripted
from tests.sync.conftest import TOKEN, TOKEN_ENV, SyncProject

A, B, C = 2000000001, 2000000002, 2000000003


def three_posts(project: SyncProject) -> None:
    for tid, count in ((A, 5), (B, 21), (C, 2)):
        project.thread(tid, count, host=1500000001)
        project.post(f"post-{tid}", f"yammer:{tid}")


def test_first_run_then_unchanged_run_is_byte_identical(project: SyncProject) -> None:
    three_posts(project)
    first = project.sync()
    assert first.code == 0, first
    assert first.out.strip() == ("yammer: threads 3 fetched (0 unchanged), 0 failed, 0 not due;"
                                 f" 25 replies; 4 requests; 0 x 429; {first.out.split('; ')[-1]}"
                                 ).strip()
    assert first.err == ""
    snap = project.snapshot(B)
    assert snap["thread"]["totals"]["replies"] == 20 and len(snap["thread"]["replies"]) == 20
    assert project.state()["threads"][f"yammer:{B}"]["status"] == "ok"
    before = project.files()
    second = project.sync(now="2026-03-11T08:00:00+00:00")
    assert second.code == 0 and "3 fetched (3 unchanged)" in second.out
    after = project.files()
    assert {k: v for k, v in after.items() if k != "_state.json"} == \
        {k: v for k, v in before.items() if k != "_state.json"}
    assert project.state()["threads"][f"yammer:{A}"]["last_success_at"] == "2026-03-11T08:00:00Z"


def test_deletions_and_like_changes_show_on_the_next_fetch(project: SyncProject) -> None:
    three_posts(project)
    project.sync()
    messages = project.fake.threads[A]
    gone = messages.pop(2)
    messages[1]["liked_by"]["count"] = 40
    assert project.sync(now="2026-03-11T08:00:00+00:00").code == 0
    thread = project.snapshot(A)["thread"]
    ids = [r["id"] for r in thread["replies"]]
    assert str(gone["id"]) not in ids and len(ids) == 3
    assert thread["replies"][0]["likes"] == 40
    assert thread["content_changed_at"] == "2026-03-11T08:00:00Z"
    assert project.snapshot(B)["thread"]["content_changed_at"] == "2026-03-10T08:00:00Z"


def test_partial_failure_keeps_the_last_snapshot_and_marks_it_stale(
        project: SyncProject) -> None:
    three_posts(project)
    project.sync()
    old_b = (project.snapshots / "yammer" / f"{B}.json").read_bytes()
    project.fake.threads[A].pop()
    project.fake.fail(f"messages/in_thread/{B}.json", *[Scripted(500)] * 3)
    result = project.sync(now="2026-03-11T08:00:00+00:00")
    assert result.code == 2, result
    assert f"failed: posts/post-{B}.md" in result.err.replace("content/", "")
    assert "HTTP 500" in result.err and "Traceback" not in result.err + result.out
    assert "2 fetched (1 unchanged), 1 failed" in result.out
    assert (project.snapshots / "yammer" / f"{B}.json").read_bytes() == old_b
    assert len(project.snapshot(A)["thread"]["replies"]) == 3
    state = project.state()["threads"][f"yammer:{B}"]
    assert state["status"] == "stale" and "HTTP 500" in state["last_error"]
    assert state["last_success_at"] == "2026-03-10T08:00:00Z"
    assert state["last_fetched_at"] == "2026-03-11T08:00:00Z"
    healed = project.sync(now="2026-03-12T08:00:00+00:00")
    assert healed.code == 0 and project.state()["threads"][f"yammer:{B}"]["status"] == "ok"


def test_401_is_fatal_and_writes_nothing(project: SyncProject) -> None:
    three_posts(project)
    project.sync()
    before = project.files()
    project.fake.token = "rotated"
    project.fake.threads[A].pop()
    result = project.sync(now="2026-03-11T08:00:00+00:00")
    assert result.code == 1
    assert f"check that {TOKEN_ENV} holds a valid" in result.err
    assert "Nothing was written." in result.err and "Traceback" not in result.err
    assert project.files() == before
    assert len(project.fake.requests) == 4 + 1  # stopped at the first 401


def test_404_on_every_thread_is_fatal(project: SyncProject) -> None:
    three_posts(project)
    project.sync()
    before = project.files()
    project.fake.status_all = 404
    result = project.sync(now="2026-03-11T08:00:00+00:00")
    assert result.code == 1
    assert "3 of 3 threads failed the same way" in result.err
    assert project.files() == before


def test_404_on_one_thread_is_partial(project: SyncProject) -> None:
    three_posts(project)
    project.post("post-missing", "yammer:2000000099")
    result = project.sync()
    assert result.code == 2
    assert "post-missing.md" in result.err and "HTTP 404" in result.err
    assert not (project.snapshots / "yammer" / "2000000099.json").exists()
    assert project.state()["threads"]["yammer:2000000099"]["last_success_at"] is None


def test_platform_down_trips_the_breaker_after_three_threads(project: SyncProject) -> None:
    for tid in range(A, A + 6):
        project.thread(tid, 2)
        project.post(f"p{tid}", f"yammer:{tid}")
    project.fake.status_all = 503
    result = project.sync()
    assert result.code == 2
    assert len(project.fake.requests) == 3 * 3  # 3 threads x 3 attempts, then left alone
    assert result.err.count("not tried, because the 3 threads before it failed") == 3
    assert "6 failed" in result.out


def test_429_burst_is_retried_and_counted(project: SyncProject) -> None:
    three_posts(project)
    project.fake.fail("*", Scripted(429, headers={"Retry-After": "0"}), Scripted(429))
    result = project.sync()
    assert result.code == 0, result
    assert "2 x 429" in result.out and "6 requests" in result.out


def test_malformed_json_fails_only_that_thread(project: SyncProject) -> None:
    three_posts(project)
    project.fake.fail(f"messages/in_thread/{C}.json", Scripted(200, body=b"{oops"))
    result = project.sync()
    assert result.code == 2 and "not valid JSON" in result.err


def test_content_errors_stop_the_run_but_a_bad_link_skips_its_post(
        project: SyncProject) -> None:
    three_posts(project)
    project.write("posts/broken.md", "---\ntitle: [unclosed\n---\n")
    result = project.sync()
    assert result.code == 1 and "broken.md" in result.err and "invalid YAML" in result.err
    assert project.files() == {} and project.fake.requests == []
    (project.docs / "posts/broken.md").unlink()
    project.post("odd-link", "https://intranet.example.com/blog/")
    result = project.sync()
    assert result.code == 2 and "content/posts/odd-link.md:6: field 'discussion'" in result.err
    assert len([f for f in project.files() if f.startswith("yammer/")]) == 3


def test_missing_token_is_fatal_before_any_request(project: SyncProject) -> None:
    three_posts(project)
    result = project.sync(env={"FIRESIDE_NOW": "2026-03-10T08:00:00+00:00"})
    assert result.code == 1 and f"{TOKEN_ENV} is not set" in result.err
    assert project.fake.requests == [] and project.files() == {}


def test_comments_false_is_skipped(project: SyncProject) -> None:
    three_posts(project)
    project.post("quiet", "yammer:2000000050", comments=False)
    result = project.sync()
    assert result.code == 0, result
    assert project.fake.thread_requests(A) and not project.fake.thread_requests(2000000050)


def test_schedule_makes_old_threads_cost_nothing_and_full_refreshes(
        project: SyncProject) -> None:
    project.thread(A, 3)
    project.thread(B, 3)
    project.post("recent", f"yammer:{A}", date="2026-03-01 09:00")
    project.post("old", f"yammer:{B}", date="2025-01-01 09:00")
    assert project.sync().code == 0
    project.fake.requests.clear()
    next_day = project.sync(now="2026-03-11T08:00:00+00:00")
    assert "1 fetched (1 unchanged), 0 failed, 1 not due" in next_day.out
    assert project.fake.thread_requests(B) == [] and len(project.fake.thread_requests(A)) == 1
    week_later = project.sync("--report", str(project.root / "r.json"),
                              now="2026-03-17T08:00:00+00:00")
    assert "2 fetched" in week_later.out
    full = project.sync("--full", now="2026-03-11T09:00:00+00:00")
    assert "2 fetched" in full.out
    report = json.loads((project.root / "r.json").read_text())
    assert report["exit_code"] == 0 and report["platforms"]["yammer"]["threads"]["fetched"] == 2


def test_post_option_syncs_one_thread(project: SyncProject) -> None:
    three_posts(project)
    result = project.sync("--post", str(project.docs / f"posts/post-{B}.md"))
    assert result.code == 0 and "1 fetched" in result.out
    assert [p.name for p in (project.snapshots / "yammer").iterdir()] == [f"{B}.json"]
    wrong = project.sync("--post", str(project.root / "nope.md"))
    assert wrong.code == 1 and "is not a post" in wrong.err


def test_permalinks_resolve_once_and_qa_threads_sync(project: SyncProject) -> None:
    project.thread(A, 4)
    project.post("ama", f"https://www.yammer.com/northwind.example/messages/{A * 1000 + 2}",
                 folder="qa")
    assert project.sync().code == 0
    assert project.snapshot(A)["thread"]["totals"]["replies"] == 3
    assert project.state()["resolved"] == {f"yammer:message:{A * 1000 + 2}": str(A)}
    project.fake.requests.clear()
    assert project.sync().code == 0
    assert [s.path for s in project.fake.requests] == [f"messages/in_thread/{A}.json"]


def test_empty_answer_for_a_thread_with_replies_keeps_the_snapshot(
        project: SyncProject) -> None:
    three_posts(project)
    project.sync()
    before = project.snapshot(A)
    project.fake.threads[A] = []
    result = project.sync(now="2026-03-11T08:00:00+00:00")
    assert result.code == 2 and "no thread starter" in result.err
    assert project.snapshot(A) == before


def test_token_never_appears_in_output_files_or_reports(project: SyncProject) -> None:
    three_posts(project)
    project.post("missing", "yammer:2000000099")
    report = project.root / "report.json"
    outputs = [project.sync("--verbose", "--report", str(report))]
    project.fake.token = "rotated"
    outputs.append(project.sync("-v", "--full", "--report", str(report)))
    assert outputs[0].code == 2 and outputs[1].code == 1
    text = "".join(r.out + r.err for r in outputs)
    assert "GET messages/in_thread" in text  # the verbose log did run
    files = [p for p in project.root.rglob("*") if p.is_file()]
    assert report in files
    for path in files:
        assert TOKEN.encode() not in path.read_bytes(), path
    assert TOKEN not in text


def test_progress_only_on_a_terminal(project: SyncProject, tmp_path: Path) -> None:
    import io

    from fireside_sync.cli import main

    three_posts(project)
    assert "\r" not in project.sync().err

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    err = Tty()
    code = main(["-f", str(project.config()), "--full"], stdout=io.StringIO(), stderr=err,
                env={TOKEN_ENV: TOKEN})
    assert code == 0 and "\r[" in err.getvalue() and "3/3" in err.getvalue()


def test_quiet_prints_only_failures_and_report_lists_them(project: SyncProject) -> None:
    three_posts(project)
    project.fake.fail(f"messages/in_thread/{C}.json", Scripted(403))
    report = project.root / "report.json"
    result = project.sync("--quiet", "--report", str(report))
    assert result.code == 2 and result.out == ""
    assert result.err.strip().splitlines() == [
        f"yammer: failed: content/posts/post-{C}.md: yammer:{C}: access denied (HTTP 403); the "
        "sync account may not see this thread"]
    data = json.loads(report.read_text())
    assert data["exit_code"] == 2 and data["fatal"] is None
    assert data["platforms"]["yammer"]["failures"] == [{
        "thread": f"yammer:{C}", "posts": [f"content/posts/post-{C}.md"], "kind": "forbidden",
        "message": f"yammer:{C}: access denied (HTTP 403); the sync account may not see this "
                   "thread"}]


def test_disabled_discussions_sync_nothing(project: SyncProject) -> None:
    project.post("one", "yammer:1001")
    project.thread(1001, 3)
    project.discussions["enabled"] = False
    result = project.sync()
    assert result.code == 0 and "Discussions are disabled" in result.out
    assert project.fake.requests == [] and project.files() == {}
