"""``fireside inbox``: what each leader should answer, with reply text but never names."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from fireside.commands.cli import main
from tests.conftest import Project
from tests.insights.conftest import MODERATED_CHILD, MODERATED_TEXT, body, staff, staff_name


@pytest.fixture(scope="module")
def out(fixture_project: Project, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("inbox")
    assert main(["inbox", "-f", str(fixture_project.root / "mkdocs.yml"), "-o",
                 str(target)]) == 0
    return target


def _questions(html: str) -> list[str]:
    section = html[html.index('id="q-h"'):html.index('id="f-h"')]
    return re.findall(r"Body-(\d+):", section)


def test_one_page_per_leader(out: Path) -> None:
    assert sorted(p.name for p in (out / "inbox").iterdir()) == ["ceo", "cfo"]
    assert not (out / "index.html").exists()  # the inbox alone does not write the report


def test_questions_ranked_by_likes_then_age(out: Path) -> None:
    html = (out / "inbox" / "ceo" / "index.html").read_text(encoding="utf-8")
    found = _questions(html)
    assert len(found) == 25  # the ceo's open questions
    # Likes 6, 5, 3 (q5 asked 05-04 before r5 on 05-05), 2, 1 (r2 05-02 before q3 05-03) …
    assert found[:7] == ["32000001", "35000001", "36000005", "31000005", "32000004",
                         "31000002", "36000003"]
    # … then unliked ones, the longest waiting first: the stale thread's 04-01 questions.
    assert found[7:11] == ["34000002", "34000003", "34000004", "34000005"]
    answered = {"34000001", "31000001", "32000002", "36000001", "36000002", "36000004"}
    assert not answered & set(found)
    assert "Questions waiting for you\n(25)" in html


def test_follow_ups_and_rising(out: Path) -> None:
    html = (out / "inbox" / "ceo" / "index.html").read_text(encoding="utf-8")
    follow = html[html.index('id="f-h"'):html.index('id="r-h"')]
    assert "FOLLOW-UP to the ceo: and when exactly?" in follow
    assert "(1)" in follow
    rising = html[html.index('id="r-h"'):]
    assert "Post pending" in rising
    assert "5 replies in the last 48 hours, up from 4 in the 48 hours before" in rising


def test_links_to_the_reply_on_the_platform(out: Path) -> None:
    html = (out / "inbox" / "ceo" / "index.html").read_text(encoding="utf-8")
    assert '<a href="https://www.yammer.com/northwind.example/messages/32000001">Answer on ' \
           "Viva Engage</a>" in html


def test_moderated_replies_never_appear(out: Path) -> None:
    for page in (out / "inbox").rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert MODERATED_TEXT not in text and MODERATED_CHILD not in text
        assert "36000006" not in text and "36000007" not in text


def test_reply_text_but_no_names(out: Path) -> None:
    ceo = (out / "inbox" / "ceo" / "index.html").read_text(encoding="utf-8")
    assert body("32000001") in ceo  # the text, as staff see it on the platform
    for page in (out / "inbox").rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        for n in range(1, 11):
            assert staff_name(n) not in text and staff(n) not in text


def test_delegates_shown_as_who_it_is_for(out: Path) -> None:
    ceo = (out / "inbox" / "ceo" / "index.html").read_text(encoding="utf-8")
    assert ("For <strong>Dana Whitfield and Pat Assistant, pat.assistant@example.com</strong>"
            in ceo)
    cfo = (out / "inbox" / "cfo" / "index.html").read_text(encoding="utf-8")
    assert "For <strong>Raj Patel</strong>" in cfo
    assert len(_questions(cfo)) == 11


def test_one_leader_and_unknown_leader(fixture_project: Project, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    config = str(fixture_project.root / "mkdocs.yml")
    assert main(["inbox", "cfo", "-f", config, "-o", str(tmp_path)]) == 0
    assert [p.name for p in (tmp_path / "inbox").iterdir()] == ["cfo"]
    assert main(["inbox", "cxo", "-f", config, "-o", str(tmp_path / "x")]) == 1
    err = capsys.readouterr().err
    assert "unknown leader 'cxo'; expected an author key of .authors.yml: ceo, cfo" in err
    assert "Traceback" not in err and not (tmp_path / "x").exists()
