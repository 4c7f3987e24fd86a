"""``fireside digest --send`` through a real SMTP server on 127.0.0.1, parsed with ``email``."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from email.message import EmailMessage
from html.parser import HTMLParser
from pathlib import Path

import pytest

from fireside.commands.digest import main
from tests.conftest import Project
from tests.digest.conftest import PASSWORD, SITE_URL, SmtpServer, digest_options, free_port

DISCUSSION = "https://web.yammer.com/main/threads/"


class _Tags(HTMLParser):
    """Every start tag with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))


def _tags(html: str) -> list[tuple[str, dict[str, str]]]:
    parser = _Tags()
    parser.feed(html)
    return parser.tags


def _parts(message: EmailMessage) -> tuple[str, str]:
    assert message.get_content_type() == "multipart/alternative"
    parts = list(message.iter_parts())
    assert [p.get_content_type() for p in parts] == ["text/plain", "text/html"]
    text, html = (p.get_content() for p in parts)
    assert isinstance(text, str) and isinstance(html, str)
    return text, html


def _state(project: Project) -> Path:
    return project.root / "data/discussions/_digest.json"


@pytest.mark.usefixtures("smtp_env")
def test_the_digest_goes_out_over_starttls_with_login_and_says_what_is_new(
        blog: Project, smtp_server: SmtpServer, capsys: pytest.CaptureFixture[str]) -> None:
    config = blog.config(digest=digest_options(smtp_server.options()))

    assert main(["-f", str(config), "--send"]) == 0

    out = capsys.readouterr().out
    assert "digest: sent 2 new posts, 1 most discussed post, 1 answered question, 1 open Q&A " \
           "session to 2 addresses" in out
    assert PASSWORD not in out
    [received] = smtp_server.received
    assert received.tls and received.authenticated
    assert received.mail_from == "blog@example.com"
    assert received.rcpt_tos == ["all-staff@example.com", "managers@example.com"]
    message = received.message
    assert message["From"] == "Leadership blog <blog@example.com>"
    assert message["To"] == "all-staff@example.com, managers@example.com"
    assert message["Reply-To"] == "comms@example.com"
    assert message["List-Unsubscribe"] == "<mailto:comms@example.com?subject=Unsubscribe>"
    assert message["Subject"] == "Blog: the week's digest"
    assert message["Auto-Submitted"] == "auto-generated"
    text, html = _parts(message)

    # New posts, in both parts; never the draft or the scheduled post.
    for part in (text, html):
        assert "Strategy update" in part and "Town hall recap" in part
        assert "Secret plans" not in part and "Next month" not in part
        assert "Old news" in part  # most discussed: 4 replies this week
        assert "Will we hire in Pune?" in part and "Yes, forty roles." in part
        assert "Ask the CEO" in part
        assert "Parking?" not in part  # unanswered
    assert f"Read the post: {SITE_URL}posts/strategy-update/" in text
    assert "4 new replies (4 in all)" in text
    # The excerpt of a post without a description, its link made absolute (then as text).
    assert "Thanks for coming to the town hall." in text

    tags = _tags(html)
    links = [attrs["href"] for tag, attrs in tags if tag == "a"]
    assert links and all(h.startswith((SITE_URL, DISCUSSION, "mailto:")) for h in links), links
    assert f"{SITE_URL}qa/ask-the-ceo/#q-3300" in links
    assert not [attrs for tag, attrs in tags if tag == "img" and
                not attrs.get("src", "").startswith("cid:")]
    assert not re.search(r"""src\s*=\s*["']?https?:""", html)
    assert not [t for t, _ in tags if t in ("script", "link", "iframe", "form")]
    # Email-safe: table layout 600 px wide, styles inlined; initials drawn as text.
    assert any(t == "table" and a.get("width") == "600" for t, a in tags)
    assert all(a.get("role") == "presentation" for t, a in tags if t == "table")
    assert not re.search(r"display:\s*(?:flex|grid)|position:|<svg", html)
    heading = next(a for t, a in tags if t == "h1")
    assert "font-size" in heading["style"]
    assert re.search(r'class="avatar"[^>]*>DW</td>', html)
    assert "@media (prefers-color-scheme: dark)" in html

    state = json.loads(_state(blog).read_text(encoding="utf-8"))
    assert state["last_sent_at"] == "2026-06-01T11:00:00Z"
    assert state["shown"]["posts"] == ["posts/strategy-update.md", "posts/town-hall.md"]
    assert state["shown"]["questions"] == ["yammer:2100000001:3300"]


@pytest.mark.usefixtures("smtp_env")
def test_a_second_run_sends_nothing_new_and_says_so(
        blog: Project, smtp_server: SmtpServer, capsys: pytest.CaptureFixture[str]) -> None:
    config = blog.config(digest=digest_options(smtp_server.options()))
    assert main(["-f", str(config), "--send"]) == 0
    first = _state(blog).read_bytes()
    capsys.readouterr()

    # The same content an hour later: nothing new, nothing sent, the state as it was.
    config = blog.config(now="2026-06-01 13:00", digest=digest_options(smtp_server.options()))
    assert main(["-f", str(config), "--send"]) == 0

    assert "digest: not sent: nothing new since 2026-06-01 12:00" in capsys.readouterr().out
    assert len(smtp_server.received) == 1
    assert _state(blog).read_bytes() == first

    # A new post and a new answer a week later: only those, not last week's items again.
    blog.post("new-week", title="A new week", date="2026-06-03 09:00",
              description="Fresh.")
    config = blog.config(now="2026-06-08 12:00", digest=digest_options(smtp_server.options()))
    assert main(["-f", str(config), "--send"]) == 0
    text, html = _parts(smtp_server.received[1].message)
    assert "A new week" in text
    for old in ("Strategy update", "Town hall recap", "Old news", "Will we hire", "Ask the CEO"):
        assert old not in text and old not in html


@pytest.mark.parametrize("smtp_server", ["plain", "implicit_tls"], indirect=True)
@pytest.mark.usefixtures("smtp_env")
def test_a_relay_without_starttls_and_one_with_implicit_tls(blog: Project,
                                                            smtp_server: SmtpServer) -> None:
    config = blog.config(digest=digest_options(smtp_server.options()))

    assert main(["-f", str(config), "--send"]) == 0

    [received] = smtp_server.received
    assert received.tls is (smtp_server.mode == "implicit_tls")
    assert received.authenticated is (smtp_server.mode == "implicit_tls")
    _parts(received.message)


def _run(config: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "fireside.commands.cli", "digest", "-f",
                           str(config), *args], env={**os.environ, **env},
                          capture_output=True, text=True, timeout=120, check=False)


def test_a_wrong_password_is_a_clear_error_and_the_state_stays(
        blog: Project, smtp_server: SmtpServer) -> None:
    config = blog.config(digest=digest_options(smtp_server.options()))

    done = _run(config, "--send", env={"FIRESIDE_SMTP_USER": "digest-bot",
                                       "FIRESIDE_SMTP_PASSWORD": "wrong-password-9"})

    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert f"the SMTP server 127.0.0.1:{smtp_server.port} refused the login (535" in done.stderr
    assert "check FIRESIDE_SMTP_USER and FIRESIDE_SMTP_PASSWORD" in done.stderr
    assert "wrong-password-9" not in done.stdout + done.stderr
    assert smtp_server.received == []
    assert not _state(blog).exists()


@pytest.mark.usefixtures("smtp_env")
def test_an_unreachable_server_is_a_clear_error_and_nothing_is_skipped(
        blog: Project, smtp_server: SmtpServer, capsys: pytest.CaptureFixture[str]) -> None:
    good = smtp_server.options()
    port = free_port()
    config = blog.config(digest=digest_options({**good, "port": port}))

    assert main(["-f", str(config), "--send"]) == 1

    err = capsys.readouterr().err
    assert f"could not connect to the SMTP server 127.0.0.1:{port} (Connection refused)" in err
    assert not _state(blog).exists()
    # Once the server is back, the same items go out: nothing was lost.
    config = blog.config(digest=digest_options(good))
    assert main(["-f", str(config), "--send"]) == 0
    assert "Strategy update" in _parts(smtp_server.received[0].message)[0]


@pytest.mark.usefixtures("smtp_env")
def test_an_untrusted_certificate_is_a_clear_error(
        blog: Project, smtp_server: SmtpServer, capsys: pytest.CaptureFixture[str]) -> None:
    options = smtp_server.options()
    del options["ca_file"]  # the system CAs do not know the throwaway certificate
    config = blog.config(digest=digest_options(options))

    assert main(["-f", str(config), "--send"]) == 1

    assert "is not trusted (self-signed certificate); set digest.smtp.ca_file" in \
        capsys.readouterr().err
    assert smtp_server.received == []


@pytest.mark.usefixtures("smtp_env")
def test_dry_run_writes_eml_preview_and_card_and_sends_nothing(
        blog: Project, smtp_server: SmtpServer, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    config = blog.config(digest=digest_options(smtp_server.options(),
                                               teams_webhook_env="FIRESIDE_TEAMS_WEBHOOK"))
    out = tmp_path / "preview"

    assert main(["-f", str(config), "--dry-run", str(out)]) == 0

    names = sorted(p.name for p in out.iterdir())
    assert names == ["digest-2026-06-01-teams.json", "digest-2026-06-01.eml",
                     "digest-2026-06-01.html", "digest-2026-06-01.txt"]
    from email import message_from_bytes, policy

    message = message_from_bytes((out / "digest-2026-06-01.eml").read_bytes(),
                                 policy=policy.default)
    assert isinstance(message, EmailMessage)
    _, html = _parts(message)
    preview = (out / "digest-2026-06-01.html").read_text(encoding="utf-8")
    assert html.replace("\r\n", "\n").strip() == preview.strip()
    assert "digest (dry run): would send 2 new posts" in capsys.readouterr().out
    assert smtp_server.received == []
    assert not _state(blog).exists()


def test_without_send_it_only_previews(blog: Project, smtp_server: SmtpServer,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    config = blog.config(digest=digest_options(smtp_server.options()))

    assert main(["-f", str(config)]) == 0

    out = capsys.readouterr().out
    assert f"  new: Strategy update ({SITE_URL}posts/strategy-update/)" in out
    assert "nothing was sent; add --send" in out
    assert smtp_server.received == [] and not _state(blog).exists()


def test_an_empty_period_sends_nothing_and_says_so(project: Project, smtp_server: SmtpServer,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    project.post("ancient", title="Ancient", date="2025-01-01 09:00")
    config = project.config(digest=digest_options(smtp_server.options()))

    assert main(["-f", str(config), "--send"]) == 0

    assert "digest: not sent: nothing new since 2026-05-25 12:00" in capsys.readouterr().out
    assert smtp_server.received == []


@pytest.mark.usefixtures("smtp_env")
def test_since_reaches_further_back_and_max_posts_counts_the_rest(
        blog: Project, smtp_server: SmtpServer) -> None:
    config = blog.config(digest=digest_options(smtp_server.options(), max_posts=1))

    assert main(["-f", str(config), "--send", "--since", "2026-02-01"]) == 0

    text, html = _parts(smtp_server.received[0].message)
    assert "Town hall recap" in text and "Strategy update" not in text
    assert "And 2 more posts on the blog" in text  # Strategy update and Old news
    assert "And 2 more posts on" in html
    assert "Secret plans" not in text


@pytest.mark.usefixtures("smtp_env")
def test_late_drafts_come_next_time_and_a_post_is_most_discussed_only_once(
        blog: Project, smtp_server: SmtpServer) -> None:
    from tests.conftest import make_reply, save_thread

    assert main(["-f", str(blog.config(digest=digest_options(smtp_server.options()))),
                 "--send"]) == 0
    # After that digest: a post dated before it was a draft then, and is published now.
    blog.post("late-draft", title="Late draft", date="2026-05-31 09:00")
    # A week of new replies on last week's most discussed post and on one of its new posts.
    snapshots = blog.root / "data/discussions"
    save_thread(snapshots, "2000000001", [
        make_reply(f"41{i}", created=f"2026-06-0{2 + i}T10:00:00Z", author=f"17{i}")
        for i in range(5)])
    save_thread(snapshots, "2000000002", [
        make_reply(f"42{i}", created=f"2026-06-0{2 + i}T10:00:00Z") for i in range(2)])
    config = blog.config(now="2026-06-08 12:00",
                         digest=digest_options(smtp_server.options()))

    assert main(["-f", str(config), "--send"]) == 0

    text, _ = _parts(smtp_server.received[1].message)
    assert "* Late draft" in text
    discussed = text.split("MOST DISCUSSED", 1)[1]
    assert "* Strategy update\r\n  2 new replies (2 in all)" in discussed
    assert "Old news" not in text  # already the most discussed once


def test_hostile_titles_and_replies_are_text(blog: Project, smtp_server: SmtpServer,
                                             tmp_path: Path) -> None:
    from tests.conftest import make_reply, save_thread

    blog.post("hostile", title='<script>alert(1)</script> & "Q3"', date="2026-05-31 09:00",
              description="<img src=https://tracker.example/p.gif> x<y and y>z")
    save_thread(blog.root / "data/discussions", "2100000001", [
        make_reply("3300", created="2026-05-21T10:00:00Z", likes=3,
                   body='<p>Why?<img src="https://evil.example/pixel.gif"></p>'),
        make_reply("3301", parent="3300", author="1500000001", created="2026-05-29T16:00:00Z",
                   body="<p>Because <script>steal()</script>we can.</p>", host=True)])
    config = blog.config(digest=digest_options(smtp_server.options()))

    assert main(["-f", str(config), "--dry-run", str(tmp_path)]) == 0

    html = (tmp_path / "digest-2026-06-01.html").read_text(encoding="utf-8")
    text = (tmp_path / "digest-2026-06-01.txt").read_text(encoding="utf-8")
    tags = {tag for tag, _ in _tags(html)}
    assert "script" not in tags and "img" not in tags
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; \"Q3\"" in html
    assert "x&lt;y and y&gt;z" in html and "x<y and y>z" in text
    assert "Dana Whitfield: Because we can." in text
    assert "evil.example" not in html + text and "steal()" not in html + text


@pytest.mark.usefixtures("smtp_env")
def test_a_refused_list_is_reported_and_every_list_refused_is_an_error(
        blog: Project, smtp_server: SmtpServer, capsys: pytest.CaptureFixture[str]) -> None:
    config = blog.config(digest=digest_options(smtp_server.options()))
    smtp_server.inbox.unknown = {"managers@example.com", "all-staff@example.com"}

    assert main(["-f", str(config), "--send"]) == 1

    assert "refused every recipient (all-staff@example.com: 550 5.1.1 no such mailbox; " \
           "managers@example.com: 550" in capsys.readouterr().err
    assert not _state(blog).exists()

    smtp_server.inbox.unknown = {"managers@example.com"}
    assert main(["-f", str(config), "--send"]) == 0

    captured = capsys.readouterr()
    assert "to 1 address" in captured.out
    assert "warning: digest: managers@example.com refused: 550 5.1.1 no such mailbox" in \
        captured.err
    assert smtp_server.received[0].rcpt_tos == ["all-staff@example.com"]
