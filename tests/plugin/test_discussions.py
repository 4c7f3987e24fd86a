"""Discussion panel, counts and moderation, through real builds with snapshots written for the
test (``now`` is fixed at 2026-06-01 12:00 Europe/London by the ``project`` fixture)."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
from mkdocs.exceptions import Abort

from fireside.discussions.snapshots import SnapshotStore, SyncState, ThreadState
from tests.conftest import make_reply, save_thread


def snaps(project: Any) -> Path:
    return Path(project.root) / "data/discussions"


def panel(project: Any, url: str) -> str:
    page = project.html(url)
    start = page.find('<section class="fs-discussion"')
    if start < 0:
        return ""
    return str(page[start: page.index("</section>", start) + len("</section>")])


def names_in_order(html: str) -> list[str]:
    return re.findall(r'<span class="fs-reply__author">([^<]*)</span>', html)


def test_counts_ranking_and_tie_breaks(project: Any) -> None:
    project.post("hello", discussion="yammer:2000000001")
    save_thread(snaps(project), "2000000001", [
        make_reply("101", name="Old Five", likes=5, created="2026-05-01T09:00:00Z"),
        make_reply("102", name="New Five", likes=5, created="2026-05-03T09:00:00Z"),
        make_reply("103", name="Nine", likes=9, created="2026-04-01T09:00:00Z", author="16002"),
        make_reply("104", name="Zero", likes=0, created="2026-05-20T09:00:00Z", author="16003"),
        make_reply("106", name="Same Time High Id", likes=1, created="2026-05-10T09:00:00Z"),
        make_reply("105", name="Same Time Low Id", likes=1, created="2026-05-10T09:00:00Z"),
    ], likes=42)
    project.build(discussions={"top_replies": 5})
    html = panel(project, "posts/hello/")
    assert "<strong>6</strong> replies" in html
    assert "<strong>42</strong> likes" in html
    assert "<strong>3</strong> participants" in html
    assert names_in_order(html) == ["Nine", "New Five", "Old Five", "Same Time High Id",
                                    "Same Time Low Id"]
    assert '<time class="fs-reply__date" datetime="2026-04-01T09:00:00+00:00">1 April 2026' \
        in html
    assert "9 likes" in html
    assert "Join the discussion on Viva Engage" in html
    assert 'href="https://web.yammer.com/main/threads/2000000001"' in html


def test_default_shows_three_top_replies(project: Any) -> None:
    project.post("hello", discussion="yammer:2000000001")
    save_thread(snaps(project), "2000000001",
                [make_reply(str(200 + i), name=f"P{i}", likes=i) for i in range(6)])
    project.build()
    assert names_in_order(panel(project, "posts/hello/")) == ["P5", "P4", "P3"]


def test_executive_replies_marked_and_answer_under_top_reply(project: Any) -> None:
    project.post("hello", discussion="yammer:2000000001")
    save_thread(snaps(project), "2000000001", [
        make_reply("301", name="Asker", likes=8, body="<p>Why?</p>"),
        make_reply("302", parent="301", author="1500000002", name="R. Patel (Yammer)",
                   body="<p>Because.</p>", created="2026-05-02T09:00:00Z"),
        make_reply("303", author="1500000001", name="Dana", likes=3, body="<p>Thanks all</p>"),
        make_reply("304", name="Other", likes=1),
    ])
    project.build()
    html = panel(project, "posts/hello/")
    # The CFO's answer sits beneath the question, not among the top replies.
    assert names_in_order(html) == ["Asker", "Raj Patel", "Dana Whitfield", "Other"]
    answers = html[html.index('fs-replies--answers'):]
    assert "Raj Patel" in answers[: answers.index("</ol>")]
    assert html.count('class="fs-reply fs-reply--exec"') == 2
    assert "Chief Financial Officer</span>" in html and "Chief Executive Officer</span>" in html


def test_missing_snapshot_shows_link_only_and_build_passes(project: Any) -> None:
    project.post("classic", discussion="yammer:2000000009")
    project.post("pasted", discussion="https://www.yammer.com/acme/#/threads/show?threadId=77",
                 date="2026-01-10 09:00")
    project.build()
    html = panel(project, "posts/classic/")
    assert 'href="https://www.yammer.com/#/threads/show?threadId=2000000009"' in html
    assert "fs-discussion__counts" not in html and "Replies as of" not in html
    assert 'href="https://www.yammer.com/acme/#/threads/show?threadId=77"' in \
        panel(project, "posts/pasted/")


def test_invalid_snapshot_is_a_warning_naming_the_file(project: Any,
                                                       caplog: pytest.LogCaptureFixture) -> None:
    project.post("hello", discussion="yammer:2000000001")
    bad = snaps(project) / "yammer/2000000001.json"
    bad.parent.mkdir(parents=True)
    bad.write_text('{"schema_version": 1, "thread": {"platform": 3}}', encoding="utf-8")
    project.build()
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert any("2000000001.json" in w for w in warnings), warnings
    assert "Join the discussion" in panel(project, "posts/hello/")


def test_comments_false_hides_the_panel(project: Any) -> None:
    project.post("quiet", discussion="yammer:2000000001", comments=False)
    save_thread(snaps(project), "2000000001", [make_reply("1")])
    project.build()
    assert panel(project, "posts/quiet/") == ""
    assert "fs-replies-count" not in project.html("")


def _state(project: Any, **entry: Any) -> None:
    SnapshotStore(snaps(project)).save_state(SyncState(threads={"yammer:2000000001":
                                                                ThreadState(**entry)}))


def test_fresh_snapshot_has_no_stale_notice(project: Any) -> None:
    project.post("hello", discussion="yammer:2000000001")
    save_thread(snaps(project), "2000000001", [make_reply("1")])
    _state(project, last_success_at=dt.datetime(2026, 6, 1, 6, tzinfo=dt.UTC), status="ok")
    project.build()
    html = panel(project, "posts/hello/")
    assert '<time datetime="2026-06-01T06:00:00+00:00">1 June 2026, 07:00</time>' in html
    assert "fs-discussion__stale" not in html


def test_failed_sync_shows_stale_notice(project: Any) -> None:
    project.post("hello", discussion="yammer:2000000001")
    save_thread(snaps(project), "2000000001", [make_reply("1")])
    _state(project, last_success_at=dt.datetime(2026, 6, 1, 6, tzinfo=dt.UTC), status="stale",
           last_error="HTTP 503")
    project.build()
    html = panel(project, "posts/hello/")
    assert "fs-discussion__stale" in html and "last update from the platform failed" in html
    assert "503" not in html  # errors are for the comms team's report, not the page


def test_old_snapshot_shows_stale_notice_after_configured_age(project: Any) -> None:
    project.post("hello", discussion="yammer:2000000001")
    save_thread(snaps(project), "2000000001", [make_reply("1")],
                changed="2026-05-30T12:00:00Z")  # 48 h before "now", no state file
    project.build(discussions={"stale_after_hours": 24})
    assert "fs-discussion__stale" in panel(project, "posts/hello/")
    project.build(discussions={"stale_after_hours": 72})
    assert "fs-discussion__stale" not in panel(project, "posts/hello/")


def test_message_permalink_resolved_through_sync_state(project: Any) -> None:
    token = "eyJfdHlwZSI6Ik1lc3NhZ2UiLCJpZCI6IjU1NSJ9"  # {"_type":"Message","id":"555"}
    project.post("hello", discussion=f"https://web.yammer.com/main/threads/{token}")
    save_thread(snaps(project), "2000000001", [make_reply("1", name="Found Me")])
    SnapshotStore(snaps(project)).save_state(
        SyncState(resolved={"yammer:message:555": "2000000001"}))
    project.build()
    assert "Found Me" in panel(project, "posts/hello/")


def test_moderation_hides_a_reply_everywhere(project: Any) -> None:
    project.post("hello", discussion="yammer:2000000001")
    save_thread(snaps(project), "2000000001", [
        make_reply("401", name="Hidden Person", likes=50, body="<p>SECRET-BODY</p>",
                   author="16009"),
        make_reply("402", parent="401", name="Child Of Hidden", body="<p>CHILD-BODY</p>",
                   author="16010"),
        make_reply("403", name="Visible", likes=1),
    ])
    project.write("../data/moderation.yml",
                  'hidden:\n  - id: "401"\n    reason: personal data\n')
    project.build(discussions={"moderation": "data/moderation.yml"})
    for path in Path(project.site_dir).rglob("*"):
        if path.suffix in (".html", ".xml", ".json"):
            text = path.read_text(encoding="utf-8")
            assert "SECRET-BODY" not in text and "Hidden Person" not in text, path
            assert "CHILD-BODY" not in text, path
    html = panel(project, "posts/hello/")
    assert names_in_order(html) == ["Visible"]
    assert "<strong>1</strong> reply" in html and "<strong>1</strong> participant" in html
    assert "1 reply" in project.html("")


@pytest.mark.parametrize("content", ["hidden: 401\n", "hidden:\n  - [1]\n", "shown: []\n", None])
def test_broken_or_missing_moderation_file_stops_the_build(
        project: Any, content: str | None, caplog: pytest.LogCaptureFixture) -> None:
    project.post("hello", discussion="yammer:2000000001")
    if content is not None:
        project.write("../data/moderation.yml", content)
    with pytest.raises(Abort):
        project.build(discussions={"moderation": "data/moderation.yml"})
    errors = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert any("moderation file" in e and "moderation.yml" in e for e in errors), errors


def test_counts_on_every_listing_and_most_discussed(project: Any) -> None:
    for i, replies in enumerate([2, 7, 0, 4]):
        project.post(f"post-{i}", discussion=f"yammer:{2000000001 + i}",
                     date=f"2026-0{i + 1}-15 09:00", categories=["Culture"], tags=["town"])
        save_thread(snaps(project), str(2000000001 + i),
                    [make_reply(f"{i}{n}", author=f"16{n}") for n in range(replies)])
    project.post("no-thread", date="2026-05-15 09:00")
    project.build()
    index = project.html("")
    assert index.count('class="md-meta__item fs-replies-count"') == 4
    assert "7 replies" in index and "4 replies" in index and "0 replies" in index
    hot = index[index.index("fs-most-discussed"):]
    hot = hot[: hot.index("</section>")]
    assert re.findall(r'href="[^"]*posts/(post-\d)/"', hot) == ["post-1", "post-3", "post-0"]
    for url in ("archive/2026/", "category/culture/", "tag/town/", "author/ceo/"):
        assert project.html(url).count('class="fs-replies-count"') == 4, url
    assert "7 replies" in project.html("posts/post-1/")  # the meta line links to the panel


def test_feed_items_gain_comments(project: Any) -> None:
    project.post("hello", discussion="yammer:2000000001")
    save_thread(snaps(project), "2000000001", [make_reply("1"), make_reply("2")])
    project.build()
    rss = (Path(project.site_dir) / "rss.xml").read_text(encoding="utf-8")
    assert "<comments>https://web.yammer.com/main/threads/2000000001</comments>" in rss
    assert "<slash:comments>2</slash:comments>" in rss


def test_no_email_address_is_published(project: Any) -> None:
    project.post("hello", discussion="yammer:2000000001")
    save_thread(snaps(project), "2000000001", [
        make_reply("1", name="sam@northwind.example", body="reach me: sam@northwind.example",
                   fmt="text")])
    project.build()
    for path in Path(project.site_dir).rglob("*"):
        if path.suffix in (".html", ".xml", ".json"):
            text = path.read_text(encoding="utf-8")
            assert "dana@example.com" not in text, path
            assert "sam@northwind.example" not in text, path


def test_snapshots_load_once_per_build(project: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, str]] = []
    original = SnapshotStore.read_bytes

    def counting(path: Path) -> bytes:
        calls.append((path.parent.name, path.stem))
        return original(path)

    monkeypatch.setattr(SnapshotStore, "read_bytes", staticmethod(counting))
    for i in range(3):
        project.post(f"p{i}", discussion="yammer:2000000001", date=f"2026-0{i + 1}-02 09:00")
    save_thread(snaps(project), "2000000001", [make_reply("1")])
    project.build()
    assert calls == [("yammer", "2000000001")]


def test_snapshot_files_are_what_sync_writes(project: Any) -> None:
    thread = save_thread(snaps(project), "2000000001", [make_reply("1")])
    data = json.loads((snaps(project) / "yammer/2000000001.json").read_text(encoding="utf-8"))
    assert data["thread"]["thread_id"] == thread.thread_id


def test_a_post_discussed_in_two_places_combines_counts_replies_and_links(project: Any) -> None:
    project.post("twice", discussion=["yammer:2000000001",
                                      "https://www.yammer.com/n/#/threads/show?threadId=2000000002"])
    save_thread(snaps(project), "2000000001", [
        make_reply("101", name="First Two", likes=2),
        make_reply("102", name="First Nine", likes=9, author="16002"),
    ], likes=10, url="https://engage.example/t1")
    save_thread(snaps(project), "2000000002", [
        make_reply("201", name="Second Five", likes=5, author="16003"),
        make_reply("202", name="Second One", likes=1, author="16004"),
        make_reply("203", name="Second Zero", likes=0, author="16005"),
    ], likes=4, url="https://engage.example/t2")
    project.build()
    html = panel(project, "posts/twice/")
    assert "<strong>5</strong> replies" in html and "<strong>14</strong> likes" in html
    assert "<strong>5</strong> participants" in html
    # The best replies across both threads, each labelled with where it was written.
    assert names_in_order(html) == ["First Nine", "Second Five", "First Two"]
    assert html.count('class="fs-badge fs-badge--platform">on Viva Engage</span>') == 3
    joins = re.findall(r'<a class="md-button md-button--primary" href="([^"]+)">Join', html)
    assert joins == ["https://engage.example/t1", "https://engage.example/t2"]
    rss = (project.site_dir / "rss.xml").read_text(encoding="utf-8")
    item = rss[rss.index("<title>Twice</title>"):]
    assert "<slash:comments>5</slash:comments>" in item[: item.index("</item>")]


def test_one_thread_has_no_platform_labels(project: Any) -> None:
    project.post("once", discussion="yammer:2000000001")
    save_thread(snaps(project), "2000000001", [make_reply("101", name="Only", likes=2)])
    project.build()
    html = panel(project, "posts/once/")
    assert names_in_order(html) == ["Only"] and "fs-badge--platform" not in html


def test_a_qa_session_takes_one_thread(project: Any) -> None:
    project.write("qa/ama.md", "---\ntitle: AMA\ndate: 2026-05-01\nhosts: [ceo]\n"
                  "discussion: [yammer:2000000001, yammer:2000000002]\n---\n")
    with pytest.raises(Abort):
        project.build()
