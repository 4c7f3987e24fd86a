"""``fireside publish`` sends the digest after a good build, when due, and reports it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import pytest

from tests.conftest import Project
from tests.digest.conftest import PASSWORD, USER, SmtpServer, TeamsReceiver, digest_options

WEBHOOK_ENV = "FIRESIDE_TEAMS_WEBHOOK"


def publish(project: Project, env: dict[str, str], **options: Any
            ) -> tuple[subprocess.CompletedProcess[str], dict[str, Any], str]:
    """Run ``fireside publish``; return the process, the JSON report and the text summary."""
    config = project.config(**options)
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith(("FIRESIDE_SMTP", "FIRESIDE_TEAMS", "FIRESIDE_YAMMER"))}
    done = subprocess.run([sys.executable, "-m", "fireside.commands.cli", "publish", "-f",
                           str(config)], cwd=project.root, env={**clean, **env},
                          capture_output=True, text=True, timeout=240, check=False)
    report = json.loads((project.root / "build-report.json").read_text(encoding="utf-8"))
    summary = (project.root / "build-report.txt").read_text(encoding="utf-8")
    return done, report, summary


def _options(smtp: SmtpServer, teams: bool = True) -> dict[str, Any]:
    extra: dict[str, Any] = {"teams_retries": {"attempts": 2, "backoff_seconds": 0}}
    if teams:
        extra["teams_webhook_env"] = WEBHOOK_ENV
    return digest_options(smtp.options(), **extra)


def test_publish_sends_the_due_digest_once_and_reports_it(
        blog: Project, smtp_server: SmtpServer, teams: TeamsReceiver) -> None:
    env = {"FIRESIDE_SMTP_USER": USER, "FIRESIDE_SMTP_PASSWORD": PASSWORD,
           WEBHOOK_ENV: teams.url}

    done, report, summary = publish(blog, env, digest=_options(smtp_server))

    assert done.returncode == 0, done.stdout + done.stderr
    assert report["ok"] is True
    digest = report["digest"]
    assert (digest["status"], digest["recipients"]) == ("sent", 2)
    assert digest["teams"]["status"] == "posted"
    assert digest["items"]["posts"] == ["posts/town-hall.md", "posts/strategy-update.md"]
    assert "digest: sent 2 new posts, 1 most discussed post, 1 answered question, 1 open Q&A " \
           "session to 2 addresses; Teams: posted" in summary
    assert len(smtp_server.received) == 1 and len(teams.cards) == 1 and teams.problems == []
    assert "SECRET-SIGNATURE" not in done.stdout + done.stderr + json.dumps(report) + summary
    assert PASSWORD not in done.stdout + done.stderr + json.dumps(report)

    # The next publish the same week builds again, and sends nothing.
    done, report, summary = publish(blog, env, now="2026-06-03 12:00",
                                    digest=_options(smtp_server))

    assert done.returncode == 0
    assert report["digest"]["status"] == "not_due"
    assert "digest: not sent: not due: the weekly digest went out on 2026-06-01 12:00" in summary
    assert len(smtp_server.received) == 1


def test_teams_down_and_a_wrong_password_never_fail_the_publish(
        blog: Project, smtp_server: SmtpServer, teams: TeamsReceiver) -> None:
    teams.replies = [500] * 10
    env = {"FIRESIDE_SMTP_USER": USER, "FIRESIDE_SMTP_PASSWORD": "not-the-password",
           WEBHOOK_ENV: teams.url}

    done, report, summary = publish(blog, env, digest=_options(smtp_server))

    assert done.returncode == 0, done.stdout + done.stderr
    assert report["ok"] is True
    assert report["digest"]["status"] == "failed"
    assert any("digest not sent: the SMTP server 127.0.0.1" in w and "refused the login" in w
               and "the next publish tries again" in w for w in report["warnings"])
    assert teams.requests == 0  # the email failed first: nothing went anywhere
    assert not (blog.root / "data/discussions/_digest.json").exists()

    # The password is fixed, Teams is still down: the email goes, Teams is a warning.
    env["FIRESIDE_SMTP_PASSWORD"] = PASSWORD
    done, report, summary = publish(blog, env, digest=_options(smtp_server))

    assert done.returncode == 0 and report["ok"] is True
    assert report["digest"]["status"] == "sent"
    assert "warning: digest Teams post failed: HTTP 500 after 2 tries" in summary
    assert teams.requests == 2 and len(smtp_server.received) == 1


def test_publish_without_a_digest_says_so(blog: Project) -> None:
    done, report, summary = publish(blog, {})

    assert done.returncode == 0
    assert report["digest"]["status"] == "not_configured"
    assert "digest: not sent: no digest configured (add 'digest:'" in summary


@pytest.mark.usefixtures("smtp_server")
def test_a_failed_build_sends_no_digest(blog: Project, smtp_server: SmtpServer) -> None:
    blog.post("broken", title="Broken", authors=["nobody"])
    env = {"FIRESIDE_SMTP_USER": USER, "FIRESIDE_SMTP_PASSWORD": PASSWORD}

    done, report, _ = publish(blog, env, digest=_options(smtp_server, teams=False))

    assert done.returncode == 1
    assert report["digest"] is None
    assert smtp_server.received == []
