"""Q&A sessions: questions by votes, answered detection, stats, the index page and the feed."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from fireside.discussions.qa import format_duration, questions_of
from tests.conftest import make_reply, save_thread

CEO, CFO = "1500000001", "1500000002"


def session(project: Any, name: str = "ama", *, hosts: str = "[ceo]", thread: str = "2100000001",
            date: str = "2026-05-01 09:00", status: str = "open", body: str = "") -> None:
    project.write(f"qa/{name}.md", f"---\ntitle: {name}\ndate: {date}\nhosts: {hosts}\n"
                  f"discussion: yammer:{thread}\nstatus: {status}\n---\n\n{body}")


def thread_replies() -> list[Any]:
    return [
        make_reply("11", likes=3, body="<p>Q-LOW</p>", created="2026-05-01T10:00:00Z"),
        make_reply("12", likes=9, body="<p>Q-TOP</p>", created="2026-05-01T11:00:00Z",
                   author="16002", name="Kim Lee"),
        make_reply("13", likes=3, body="<p>Q-TIE-NEWER</p>", created="2026-05-01T12:00:00Z"),
        make_reply("14", parent="12", author=CEO, name="Dana", body="<p>A-TOP</p>",
                   created="2026-05-01T13:00:00Z", host=True),  # 2 h after Q-TOP
        make_reply("15", parent="11", author=CFO, name="Raj", body="<p>NOT-A-HOST</p>",
                   created="2026-05-01T10:30:00Z", host=True),
        make_reply("16", parent="13", author="16003", name="Colleague", body="<p>+1</p>",
                   created="2026-05-01T12:05:00Z"),
        make_reply("17", parent="16", author=CEO, name="Dana", body="<p>A-NESTED</p>",
                   created="2026-05-01T16:00:00Z", host=True),  # 4 h after Q-TIE-NEWER
        make_reply("18", author=CEO, name="Dana", body="<p>HOST-NOTE</p>", likes=20,
                   created="2026-05-01T09:30:00Z", host=True),
    ]


def test_questions_by_votes_then_oldest_and_answers_only_from_hosts() -> None:
    from fireside.discussions.snapshots import Thread, Totals

    thread = Thread("yammer", "1", "https://x.example/", dt.datetime(2026, 5, 2, tzinfo=dt.UTC),
                    Totals(8, 0, 4), tuple(sorted(thread_replies(), key=lambda r: r.created)))
    questions = questions_of(thread, frozenset({CEO}))
    assert [q.reply.id for q in questions] == ["12", "11", "13"]  # host note is no question
    assert [len(q.answers) for q in questions] == [1, 0, 1]  # the CFO is not a host here
    assert questions[0].time_to_answer == dt.timedelta(hours=2)
    assert questions[2].answers[0].id == "17"  # an answer deeper in the sub-thread counts
    assert questions[0].anchor == "q-12"


@pytest.mark.parametrize(("seconds", "text"), [
    (20, "under a minute"), (45 * 60, "45 min"), (3 * 3600, "3 h"), (3 * 3600 + 1200, "3 h 20 min"),
    (86400, "1 day"), (2 * 86400 + 4 * 3600, "2 days 4 h"),
])
def test_format_duration(seconds: int, text: str) -> None:
    assert format_duration(dt.timedelta(seconds=seconds)) == text


def _questions(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<li class="fs-question fs-question--(\w+)" id="(q-\d+)"', html)


def test_session_page(project: Any) -> None:
    session(project, body="## Answered in advance\n\nMD-QUESTION?\n\nMD-ANSWER.\n")
    save_thread(Path(project.root) / "data/discussions", "2100000001", thread_replies())
    project.build()
    html = project.html("qa/ama/")
    assert _questions(html) == [("answered", "q-12"), ("unanswered", "q-11"),
                                ("answered", "q-13")]
    assert "HOST-NOTE" not in html
    assert "MD-QUESTION?" in html and "MD-ANSWER." in html
    stats = html[html.index("fs-qa-stats"):]
    assert "<dt>Questions</dt><dd>3</dd>" in stats and "<dt>Answered</dt><dd>2</dd>" in stats
    assert "<dt>Median time to answer</dt><dd>3 h</dd>" in stats  # median of 2 h and 4 h
    assert '<a class="fs-question__permalink" href="#q-12"' in html
    # The no-JavaScript filter: fragment targets before the nav and the list.
    assert html.index('id="qa-answered"') < html.index('class="fs-qa-filter"') \
        < html.index('class="fs-questions"')
    assert 'href="#qa-unanswered">Unanswered <span>1</span>' in html
    assert "Join the session on Viva Engage" in html
    answer = html[html.index('id="q-12"'):html.index('id="q-11"')]
    assert "A-TOP" in answer and "fs-reply--exec" in answer


def test_session_without_snapshot_still_builds(project: Any) -> None:
    session(project, body="Intro.\n")
    project.build()
    html = project.html("qa/ama/")
    assert "Intro." in html and "fs-qa-stats" not in html
    assert 'href="https://www.yammer.com/#/threads/show?threadId=2100000001"' in html


def test_index_lists_every_session(project: Any) -> None:
    session(project, "old", date="2025-06-01 09:00", status="closed", hosts="[cfo]",
            thread="2100000002")
    session(project, "new")
    save_thread(Path(project.root) / "data/discussions", "2100000001", thread_replies())
    project.build()
    html = project.html("qa/")
    rows = re.findall(r'<a class="fs-row__title" href="(\w+)/">', html)
    assert rows == ["new", "old"]
    assert "Hosted by Dana Whitfield" in html and "Hosted by Raj Patel" in html
    assert '<span class="fs-state fs-state--closed">Closed</span>' in html
    assert '<time datetime="2025-06-01T09:00:00+01:00">1 June 2025</time>' in html
    assert "3 questions, 2 answered" in html


def test_feed_announces_sessions_and_answers_but_not_hidden_ones(project: Any) -> None:
    session(project)
    save_thread(Path(project.root) / "data/discussions", "2100000001", thread_replies())
    project.write("../data/moderation.yml", "hidden: ['13']\n")
    project.build(discussions={"moderation": "data/moderation.yml"})
    root = ET.fromstring((Path(project.site_dir) / "qa/rss.xml").read_bytes())
    items = [(i.findtext("title"), i.findtext("guid"), i.findtext("pubDate"))
             for i in root.iter("item")]
    base = "https://intranet.example.com/blog/qa/ama/"
    assert items == [
        ("Answered: Q-TOP", base + "#q-12", "Fri, 01 May 2026 13:00:00 +0000"),
        ("New Q&A session: ama", base, "Fri, 01 May 2026 09:00:00 +0100"),
    ]
    text = (Path(project.site_dir) / "qa/rss.xml").read_text(encoding="utf-8")
    assert "A-TOP" in text and "Q-TIE-NEWER" not in text and "A-NESTED" not in text
    assert "Q-TIE-NEWER" not in project.html("qa/ama/")


def test_qa_feed_is_announced_followable_and_in_the_opml(project: Any) -> None:
    session(project)
    project.build()
    qa_feed = "https://intranet.example.com/blog/qa/rss.xml"
    link = ('<link rel="alternate" type="application/rss+xml" title="Test blog: Q&amp;A (RSS)" '
            f'href="{qa_feed}">')
    for url in ("qa/", "qa/ama/"):
        assert link in project.html(url).split("</head>")[0], url
    assert link not in project.html("")  # the blog's pages announce the blog's feeds only
    index = project.html("qa/")
    assert '<a class="md-button fs-follow__button" href="../subscribe/#feed-qa">' in index
    subscribe = project.html("subscribe/")
    assert f'id="feed-qa-address" type="text" readonly value="{qa_feed}"' in subscribe
    opml = (Path(project.site_dir) / "feeds.opml").read_text(encoding="utf-8")
    assert f'xmlUrl="{qa_feed}"' in opml
