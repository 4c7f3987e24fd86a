"""``fireside insights`` on the hand-made fixture: every number below is computed by hand.

See ``conftest.py`` for the fixture; the arithmetic is spelled out beside each assertion.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from fireside.commands.cli import main
from tests.conftest import Project
from tests.insights.conftest import MODERATED_TEXT, body, staff, staff_name


@pytest.fixture(scope="module")
def out(fixture_project: Project, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("report")
    code = main(["insights", "-f", str(fixture_project.root / "mkdocs.yml"), "-o", str(target)])
    assert code == 0
    return target


@pytest.fixture(scope="module")
def data(out: Path) -> dict[str, Any]:
    result: dict[str, Any] = json.loads((out / "insights.json").read_text(encoding="utf-8"))
    return result


def _post(data: dict[str, Any], slug: str) -> dict[str, Any]:
    (row,) = [p for p in data["posts"] if p["url"] == f"posts/post-{slug}/"]
    return dict(row)


def _leader(data: dict[str, Any], key: str) -> dict[str, Any]:
    (row,) = [r for r in data["leaders"] if r["key"] == key]
    return dict(row)


def test_files_written(out: Path) -> None:
    assert sorted(p.name for p in out.iterdir()) == [
        "categories.csv", "index.html", "insights.json", "leaders.csv", "measured.html",
        "months.csv", "posts.csv", "qa.csv"]


def test_generated_from(data: dict[str, Any]) -> None:
    assert data["generated_from"] == {
        "as_of": "2026-06-01T11:00:00Z", "newest_snapshot": "2026-05-31T12:00:00Z",
        "stale_threads": 1, "stale_since": "2026-04-20T00:00:00Z", "threads": 7}
    assert data["min_group"] == 5


def test_four_people_suppressed(data: dict[str, Any]) -> None:
    row = _post(data, "four-people")
    # First week (to 05-08 09:00): a1, a2, a3, a4 (reply to a1), a1 again: 5 replies, 4 people.
    assert row["replies_7d"] is None and row["participants_7d"] is None
    assert row["suppressed"] == ["participants_7d", "replies_7d"]
    # All time adds a5 on day 11: 6 staff replies from 5 people, shown.
    assert row["replies"] == 6
    # Likes: 10 on the post + 2 + 1 + 3 + 4 (the ceo's reply) = 20, with 5 people's replies.
    assert row["likes"] == 20
    assert row["leader_replied"] is True
    assert row["hours_to_first_leader_reply"] == 3.0  # 09:00 → 12:00
    assert row["pending"] is False


def test_five_people_shown(data: dict[str, Any]) -> None:
    row = _post(data, "five-people")
    # First week (to 05-17 09:00): a1, a2, a3, a4, a6, a2 again, a3's follow-up: 7 replies.
    assert (row["replies_7d"], row["participants_7d"]) == (7, 5)
    assert row["replies"] == 8  # plus a7 on 05-19
    assert row["likes"] == 7 + 6 + 1 + 2  # 16
    assert row["hours_to_first_leader_reply"] == 24.0
    assert row["suppressed"] == []


def test_leader_who_never_replied(data: dict[str, Any]) -> None:
    row = _post(data, "never-replied")
    assert row["leader_replied"] is False and row["hours_to_first_leader_reply"] is None
    assert (row["replies_7d"], row["participants_7d"], row["replies"]) == (5, 5, 5)
    assert row["likes"] == 3 + 1 and row["suppressed"] == []
    cfo = _leader(data, "cfo")
    assert cfo["reply_rate"] == 0.0 and cfo["reply_rate_n"] == 2  # january and never-replied
    assert (cfo["reply_rate_low"], cfo["reply_rate_high"]) == (0.0, 0.66)  # Wilson 0 of 2
    assert cfo["questions"] == 11  # 6 on january (the Feb reply is nested) + 5
    assert cfo["questions_answered_7d"] == 0 and cfo["open_questions"] == 11
    assert cfo["median_hours_to_response"] is None  # all open: never dropped
    assert (cfo["question_response_rate"], cfo["question_response_rate_n"]) == (0.0, 11)
    assert cfo["posts"] == 2 and cfo["median_gap_days"] == 109.96  # 01-15 10:00 → 05-05 09:00
    assert cfo["days_since_last_post"] == 27 and cfo["active_weeks_13"] == 0.08  # 1 of 13


def test_ceo(data: dict[str, Any]) -> None:
    ceo = _leader(data, "ceo")
    assert ceo["name"] == "Dana Whitfield"
    assert ceo["posts"] == 4 and ceo["sessions"] == 1
    # Posts 04-01, 05-01, 05-10, 05-28: gaps 30, 9, 18 days.
    assert (ceo["median_gap_days"], ceo["max_gap_days"]) == (18.0, 30.0)
    assert ceo["days_since_last_post"] == 4  # 05-28 09:00 → 06-01 11:00
    # Weeks 14, 18, 19 and 22 of the 13 ending with week 23: 4 / 13.
    assert (ceo["active_weeks_13"], ceo["posts_per_week_13"], ceo["on_target"]) == \
        (0.31, 0.31, False)
    # L1: stale-thread, four-people, five-people are 7 days old; replied on all three.
    assert (ceo["reply_rate"], ceo["reply_rate_n"]) == (1.0, 3)
    # Questions: 5 (D) + 5 (A: r1 r2 r3 r5 r7) + 6 (B) + 10 (E) + 5 (AMA, q6 moderated) = 31.
    assert ceo["questions"] == 31
    # Answered within 7 days: d1 (2 h), r1 (2 h), b2 (22 h), q2 (2 h), q4 (4 h); q1 took 8 days.
    assert ceo["questions_answered_7d"] == 5
    assert ceo["open_questions"] == 25  # 31 - 6 answered at any time
    assert ceo["median_hours_to_response"] is None  # 25 of 31 open
    # The rate counts questions at least 7 days old: E's 10 are younger, so 5 of 21.
    assert (ceo["question_response_rate"], ceo["question_response_rate_n"]) == (0.24, 21)


def test_qa(data: dict[str, Any]) -> None:
    (row,) = data["qa"]
    assert (row["questions"], row["answered"], row["answer_rate"]) == (5, 3, 0.6)
    # Waits 2, 4, 192 hours and two open: the median of [2, 4, 192, open, open] is 192.
    assert row["median_hours_to_first_answer"] == 192.0
    assert row["p75_hours_to_first_answer"] is None  # the 4th of 5 is open
    assert (row["open"], row["open_under_7d"], row["open_7_to_30d"], row["open_over_30d"]) == \
        (2, 0, 2, 0)
    assert row["top_quartile_answered"] == 1.0  # top 2 by votes: q1 (9), q2 (5), both answered


def test_pending_and_stale(data: dict[str, Any], out: Path) -> None:
    pending = _post(data, "pending")
    assert pending["pending"] is True
    assert pending["replies_7d"] is None and pending["participants_7d"] is None
    assert pending["suppressed"] == []
    stale = _post(data, "stale-thread")
    assert stale["stale"] is True and stale["as_of"] == "2026-04-20T00:00:00Z"
    old = _post(data, "january")  # last fetched 12 days ago without error: not a gap
    assert old["stale"] is False and old["as_of"] == "2026-05-20T00:00:00Z"
    html = (out / "index.html").read_text(encoding="utf-8")
    row = html[html.index("Post pending</a>"):]
    row = row[: row.index("</tr>")]
    assert row.count('<td class="fs-num fs-pending">pending</td>') == 2
    row = html[html.rindex("Post stale-thread</a>"):]  # the table, after the top posts
    assert "sync gap: as of 20 Apr 2026" in row[: row.index("</tr>")]
    assert "Sync gap." in html
    rows = list(csv.DictReader(io.StringIO((out / "posts.csv").read_text(encoding="utf-8"))))
    by_url = {r["url"]: r for r in rows}
    assert by_url["posts/post-pending/"]["replies_7d"] == "pending"
    assert by_url["posts/post-four-people/"]["participants_7d"] == "fewer than 5"
    assert by_url["posts/post-five-people/"]["participants_7d"] == "5"


def test_months(data: dict[str, Any]) -> None:
    months = {m["month"]: m for m in data["months"]}
    assert list(months) == ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06"]
    assert (months["2026-01"]["participants"], months["2026-01"]["warm_up"]) == (6, True)
    assert months["2026-02"]["participants"] is None  # one person: suppressed
    assert months["2026-02"]["suppressed"] == ["participants", "replies"]
    assert months["2026-03"]["warm_up"] is True and months["2026-04"]["warm_up"] is False
    # From the stale thread's last good sync (20 April) on, months are marked, not drops.
    assert [m["stale"] for m in data["months"]] == [False, False, False, True, True, True]
    assert (months["2026-05"]["participants"], months["2026-05"]["replies"]) == (10, 34)
    assert [m["posts"] for m in data["months"]] == [1, 0, 0, 1, 4, 0]
    # The overview's "last month" skips stale and partial months.
    assert data["overview"]["last_month"] == "2026-03"


def test_categories_and_top_posts(data: dict[str, Any]) -> None:
    cats = {c["name"]: c for c in data["categories"]}
    assert (cats["Strategy"]["posts"], cats["Strategy"]["measured_posts"]) == (4, 3)
    assert cats["Strategy"]["too_few_posts"] is True
    assert cats["Strategy"]["median_participants_7d"] is None
    assert [t["url"] for t in data["top_posts"]] == [
        "posts/post-january/", "posts/post-five-people/", "posts/post-never-replied/",
        "posts/post-stale-thread/"]


def test_no_staff_data_in_any_report_file(out: Path) -> None:
    forbidden = [MODERATED_TEXT, "FOLLOW-UP to the ceo"]
    for n in range(1, 11):
        forbidden += [staff_name(n), staff(n)]
    for ident in ("31000001", "32000001", "36000001", "34000003", "37000007"):
        forbidden.append(body(ident))
    for path in sorted(out.rglob("*")):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            for needle in forbidden:
                assert needle not in text, f"{needle!r} leaked into {path.name}"
            assert "Body-" not in text


def test_measured_page_is_the_notice(out: Path) -> None:
    html = (out / "measured.html").read_text(encoding="utf-8")
    for metric in ("P1", "P2", "P3", "R1", "R2", "R3", "L1", "L2", "L3", "Q1", "Q3", "Q5",
                   "Q6", "A1", "C1", "C2"):
        assert f"<dt>{metric} · " in html
    assert "cannot be set below 5" in html and "What is not collected" in html
    assert "No sentiment" in html


def test_charts_in_index(out: Path) -> None:
    html = (out / "index.html").read_text(encoding="utf-8")
    assert html.count('role="img"') == 5
    for ident in ("chart-p1", "chart-a1", "chart-cadence", "chart-l1", "chart-c1"):
        assert f'aria-labelledby="{ident}-t" aria-describedby="{ident}-d"' in html
    assert html.count('<details class="fs-data">') == 5
    assert "<script" not in html and "http://" not in html.replace("http://www.w3.org", "")


def test_deterministic(fixture_project: Project, out: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    assert main(["insights", "-f", str(fixture_project.root / "mkdocs.yml"), "-o",
                 str(again)]) == 0
    first = {p.name: p.read_bytes() for p in out.iterdir()}
    second = {p.name: p.read_bytes() for p in again.iterdir()}
    assert first == second


def test_rates_show_their_n(out: Path) -> None:
    html = (out / "index.html").read_text(encoding="utf-8")
    row = html[html.index('<th scope="row">Dana Whitfield</th>'):]
    row = row[: row.index("</tr>")]
    assert '100% <span class="fs-note">of 3</span>' in row  # L1
    assert '5 <span class="fs-note">(24% of 21)</span>' in row  # L2
    assert "over half open" in row  # L3 with 25 of 31 open
    assert "posts where a leader replied (n = 5)" in html
    assert "Q&amp;A questions answered (n = 5)" in html
