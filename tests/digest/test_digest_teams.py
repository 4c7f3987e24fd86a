"""The Teams channel post: an Adaptive Card to a loopback Workflows webhook that checks it."""

from __future__ import annotations

import dataclasses
import json
import time
from pathlib import Path

import pytest

from fireside.commands.digest import main
from fireside.digest.teams_card import MAX_BYTES, build_payload, payload_bytes
from tests.conftest import Project
from tests.digest.conftest import (
    SITE_URL,
    TEAMS_LIMIT,
    SmtpServer,
    TeamsReceiver,
    check_payload,
    digest_options,
)

WEBHOOK_ENV = "FIRESIDE_TEAMS_WEBHOOK"


def _config(blog: Project, smtp: SmtpServer | None, **extra: object) -> Path:
    extra = {"teams_webhook_env": WEBHOOK_ENV,
             "teams_retries": {"attempts": 3, "backoff_seconds": 0, "max_wait_seconds": 5},
             **extra}
    options = digest_options(smtp.options() if smtp else None, **extra)
    if smtp is None:
        for key in ("from", "to", "reply_to", "unsubscribe"):
            options.pop(key)
    return blog.config(digest=options)


def _state(blog: Project) -> Path:
    return blog.root / "data/discussions/_digest.json"


@pytest.mark.usefixtures("smtp_env")
def test_the_card_is_valid_small_and_lists_five_posts_then_the_rest(
        blog: Project, smtp_server: SmtpServer, teams: TeamsReceiver,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    for day in range(1, 7):
        blog.post(f"extra-{day}", title=f"Extra post {day}", date=f"2026-05-{25 + day} 08:00",
                  description="A longer summary. " * 30)
    monkeypatch.setenv(WEBHOOK_ENV, teams.url)
    config = _config(blog, smtp_server)

    assert main(["-f", str(config), "--send"]) == 0

    out = capsys.readouterr().out
    assert "to 2 addresses; Teams: posted" in out
    assert teams.problems == []
    [card] = teams.cards
    assert card["version"] == "1.4" and card["type"] == "AdaptiveCard"
    assert teams.sizes[0] <= TEAMS_LIMIT
    texts = json.dumps(card)
    headings = [i for i, c in enumerate(card["body"]) if c.get("separator")]
    assert [card["body"][i]["text"] for i in headings] == [
        "New posts", "Most discussed", "Newly answered", "Open Q&A sessions"]
    posts = card["body"][headings[0] + 1 : headings[1]]
    assert [c["type"] for c in posts] == ["Container"] * 5 + ["TextBlock"]  # 8 new: five listed
    assert "And 3 more posts on the blog." in texts
    assert "Secret plans" not in texts and "Next month" not in texts
    assert card["actions"] == [{"type": "Action.OpenUrl", "title": "Open the blog",
                                "url": SITE_URL}]
    assert "SECRET-SIGNATURE" not in out
    assert json.loads(_state(blog).read_text())["history"][-1]["teams"] == "posted"


@pytest.mark.usefixtures("smtp_env")
def test_a_500_storm_is_retried_reported_and_does_not_stop_the_email(
        blog: Project, smtp_server: SmtpServer, teams: TeamsReceiver,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    teams.replies = [500, 502, 503]
    monkeypatch.setenv(WEBHOOK_ENV, teams.url)

    assert main(["-f", str(_config(blog, smtp_server)), "--send"]) == 2

    captured = capsys.readouterr()
    assert "Teams: failed (HTTP 503 after 3 tries)" in captured.out
    assert "warning: digest Teams post failed: HTTP 503 after 3 tries" in captured.err
    assert "SECRET-SIGNATURE" not in captured.out + captured.err
    assert teams.requests == 3
    assert len(smtp_server.received) == 1
    assert _state(blog).is_file()  # the email went out: its items are not sent twice


@pytest.mark.usefixtures("smtp_env")
def test_a_webhook_that_never_answers_times_out_quickly(
        blog: Project, smtp_server: SmtpServer, teams: TeamsReceiver,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    teams.replies, teams.delay = [-1, -1], 2.0
    monkeypatch.setenv(WEBHOOK_ENV, teams.url)
    config = _config(blog, smtp_server, teams_timeout_seconds=0.3,
                     teams_retries={"attempts": 2, "backoff_seconds": 0})

    started = time.monotonic()
    assert main(["-f", str(config), "--send"]) == 2

    assert time.monotonic() - started < 4 * 2.0
    assert "Teams: failed (no answer within 0.3 s after 2 tries)" in capsys.readouterr().out
    assert teams.requests == 2


def test_teams_only_and_down_sends_nothing_and_keeps_the_state(
        blog: Project, teams: TeamsReceiver, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    teams.replies = [500] * 3
    monkeypatch.setenv(WEBHOOK_ENV, teams.url)

    assert main(["-f", str(_config(blog, None)), "--send"]) == 1

    assert "digest: not sent: the Teams post failed: HTTP 500 after 3 tries" in \
        capsys.readouterr().err
    assert not _state(blog).exists()
    # Teams is back: the same posts go out.
    assert main(["-f", str(_config(blog, None)), "--send"]) == 0
    assert "Strategy update" in json.dumps(teams.cards[0])


def test_a_missing_webhook_variable_is_reported_not_fatal_when_email_went_out(
        blog: Project, smtp_server: SmtpServer, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("FIRESIDE_SMTP_USER", "digest-bot")
    monkeypatch.setenv("FIRESIDE_SMTP_PASSWORD", "correct horse battery staple")
    monkeypatch.delenv(WEBHOOK_ENV, raising=False)

    assert main(["-f", str(_config(blog, smtp_server)), "--send"]) == 2

    assert f"Teams: skipped (${WEBHOOK_ENV} is not set)" in capsys.readouterr().out


def test_an_oversized_digest_is_trimmed_to_fit(blog: Project, tmp_path: Path) -> None:
    """Long titles and summaries: the card drops detail, stays valid and under the limit."""
    from fireside.commands.digest import load_inputs
    from fireside.digest.selection import select
    from fireside.digest.state import DigestState

    for day in range(5):
        blog.post(f"long-{day}", title="A very long title " * 300, slug=f"long-{day}",
                  date=f"2026-05-{26 + day} 08:00", description="Words " * 400)
    inputs = load_inputs(blog.config(digest=digest_options(None, teams_webhook_env=WEBHOOK_ENV)))
    digest = select(inputs.site, inputs.settings, inputs.discussions, docs_dir=inputs.docs_dir,
                    state=DigestState(), site_url=SITE_URL)
    digest = dataclasses.replace(digest, intro="Intro. " * 2000)

    payload = build_payload(digest)

    body = payload_bytes(payload)
    assert len(body) <= MAX_BYTES
    card, problems = check_payload(body)
    assert problems == []
    assert sum(1 for c in card["body"] if c["type"] == "Container") == 5
