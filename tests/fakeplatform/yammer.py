"""A loopback Viva Engage (Yammer v1) server reproducing the documented API.

``GET /api/v1/messages/in_thread/{id}.json`` answers newest first, ``page_size`` messages a
page, with ``older_than`` paging, ``meta.older_available``, ``references`` (users and the
thread), ``liked_by.count`` and dates as ``YYYY/MM/DD HH:MM:SS +0000``. ``GET
/api/v1/messages/{id}.json`` answers one message (for permalinks). Bearer auth gives 401.

Tests script failures per path (``script``), or for all requests (``delay``, ``status_all``,
``rate_limit``). Transport faults (``Scripted.fault``: a short body, a trickled body, a
dropped connection) and ``endless`` paging (older pages forever) reproduce broken servers.
Every request is recorded in ``requests``.
"""

from __future__ import annotations

import collections
import datetime as dt
import json
import re
import socket
import threading
import time
import urllib.parse
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

from tests.fakeplatform.serving import BackgroundServer

PAGE_SIZE = 20
NETWORK = "northwind.example"
_IN_THREAD = re.compile(r"^/api/v1/messages/in_thread/(\d+)\.json$")
_MESSAGE = re.compile(r"^/api/v1/messages/(\d+)\.json$")


@dataclass
class Scripted:
    """One canned answer, served instead of the real one."""

    status: int = 200
    body: bytes | None = None
    """Raw body; ``None`` serves the real answer (with ``status``)."""
    headers: Mapping[str, str] = field(default_factory=dict)
    delay: float = 0.0
    fault: str | None = None
    """A transport fault: ``short`` (body shorter than its Content-Length), ``trickle`` (the
    body one byte per ``trickle_seconds``; ``trickle-headers``: the status line and headers),
    ``stall`` (half the body, then silence), ``close`` (headers, then the connection closes)."""


@dataclass(frozen=True)
class Seen:
    """One request as the server received it."""

    path: str
    query: Mapping[str, str]
    authorization: str | None
    at: float


def user(user_id: int, full_name: str, *, job_title: str = "") -> dict[str, Any]:
    """A ``references`` user entry (with an email, which must never reach a snapshot)."""
    handle = full_name.lower().replace(" ", "")
    return {"type": "user", "id": user_id, "full_name": full_name, "name": handle,
            "job_title": job_title, "email": f"{handle}@{NETWORK}",
            "mugshot_url": f"https://mug0.assets-yammer.com/mugshot/images/48x48/{handle}",
            "web_url": f"https://www.yammer.com/{NETWORK}/users/{handle}"}


def message(message_id: int, thread_id: int, sender_id: int, created: dt.datetime,
            text: str, *, replied_to: int | None = None, likes: int = 0,
            html: str | None = None, mentions: Iterable[int] = (),
            sender_type: str = "user") -> dict[str, Any]:
    """A message in Yammer's shape; ``replied_to`` defaults to the starter for replies."""
    if replied_to is None and message_id != thread_id:
        replied_to = thread_id
    parsed = text + "".join(f" [[user:{m}]]" for m in mentions)
    body: dict[str, str] = {"plain": text, "parsed": parsed}
    if html is not None:
        body["rich"] = html
    return {
        "id": message_id, "sender_id": sender_id, "sender_type": sender_type,
        "replied_to_id": replied_to, "thread_id": thread_id,
        "created_at": created.astimezone(dt.UTC).strftime("%Y/%m/%d %H:%M:%S +0000"),
        "published_at": created.astimezone(dt.UTC).strftime("%Y/%m/%d %H:%M:%S +0000"),
        "network_id": 900001, "group_id": 88000001, "privacy": "public",
        "web_url": f"https://www.yammer.com/{NETWORK}/messages/{message_id}",
        "body": body, "content_excerpt": text[:80], "attachments": [],
        "liked_by": {"count": likes, "names": [
            {"user_id": 1700000000 + i, "full_name": f"Colleague {i}", "permalink": f"c{i}"}
            for i in range(min(likes, 3))]},
        "system_message": sender_type != "user",
    }


class FakeYammer(BackgroundServer):
    """The server's data and behaviour; ``with FakeYammer() as fake:`` serves on 127.0.0.1."""

    def __init__(self, token: str = "test-token") -> None:
        self.token = token
        self.accepted: set[str] | None = None
        """Tokens accepted instead of ``token`` (e.g. the ones a fake Entra ID issued)."""
        self.threads: dict[int, list[dict[str, Any]]] = {}
        self.users: dict[int, dict[str, Any]] = {}
        self.page_size = PAGE_SIZE
        self.delay = 0.0
        self.status_all: int | None = None
        self.rate_limit: tuple[int, float] | None = None
        self.script: dict[str, collections.deque[Scripted]] = collections.defaultdict(
            collections.deque)
        self.requests: list[Seen] = []
        self.endless = False
        """Offer an older page with new messages on every request, forever."""
        self.trickle_seconds = 0.2
        self._lock = threading.Lock()
        self._window: collections.deque[float] = collections.deque()

    @property
    def url(self) -> str:
        """The ``api_url`` to configure."""
        return f"http://127.0.0.1:{self.port}/api/v1"

    def add_thread(self, thread_id: int, messages: list[dict[str, Any]],
                   users: Iterable[dict[str, Any]] = ()) -> None:
        """Serve ``messages`` (starter included) as thread ``thread_id``."""
        self.threads[thread_id] = list(messages)
        for entry in users:
            self.users[entry["id"]] = entry

    def fail(self, path: str, *answers: Scripted) -> None:
        """Serve ``answers`` (in order) to the next requests of ``path`` (``*``: any path)."""
        self.script[path].extend(answers)

    def thread_requests(self, thread_id: int) -> list[Seen]:
        """The requests made for one thread's messages."""
        return [s for s in self.requests if s.path == f"messages/in_thread/{thread_id}.json"]

    def handler(self) -> type[BaseHTTPRequestHandler]:
        """This fake's request handler."""
        return _handler(self)

    # -- answering ---------------------------------------------------------------------------

    def answer(self, path: str, query: Mapping[str, str],
               authorization: str | None) -> tuple[int, bytes, dict[str, str]]:
        """The status, body and headers for one GET."""
        short = path.removeprefix("/api/v1/")
        with self._lock:
            self.requests.append(Seen(short, dict(query), authorization, time.monotonic()))
            queue = self.script.get(short) or self.script.get("*")
            canned = queue.popleft() if queue else None
            limited = self._over_rate_limit()
        delay = self.delay + (canned.delay if canned else 0.0)
        if delay:
            time.sleep(delay)
        tokens = {self.token} if self.accepted is None else self.accepted
        if not (authorization or "").startswith("Bearer ") or \
                (authorization or "")[len("Bearer "):] not in tokens:
            return 401, _json({"response": {"message": "Token not found.", "code": 16,
                                            "stat": "fail"}}), {}
        if limited:
            return 429, _json({"response": {"message": "Rate limited", "stat": "fail"}}), {}
        if canned is not None and (canned.body is not None or canned.status != 200):
            body = canned.body if canned.body is not None else _json({"error": canned.status})
            return canned.status, body, {**canned.headers, **_fault(canned)}
        if self.status_all is not None:
            return self.status_all, _json({"error": self.status_all}), {}
        if match := _IN_THREAD.match(path):
            if self.endless:
                return self._endless_page(int(match.group(1)), query)
            status, body, headers = self._page(int(match.group(1)), query)
            return status, body, {**headers, **(_fault(canned) if canned else {})}
        if match := _MESSAGE.match(path):
            return self._message(int(match.group(1)))
        return 404, _json({"error": "not found"}), {}

    def _over_rate_limit(self) -> bool:
        if self.rate_limit is None:
            return False
        count, window = self.rate_limit
        now = time.monotonic()
        while self._window and self._window[0] <= now - window:
            self._window.popleft()
        if len(self._window) >= count:
            return True
        self._window.append(now)
        return False

    def _page(self, thread_id: int, query: Mapping[str, str]) -> tuple[int, bytes, dict[str, str]]:
        if thread_id not in self.threads:
            return 404, _json({"error": "not found"}), {}
        everything = sorted(self.threads[thread_id], key=lambda m: m["id"], reverse=True)
        older_than = int(query["older_than"]) if "older_than" in query else None
        rest = [m for m in everything if older_than is None or m["id"] < older_than]
        page = rest[: self.page_size]
        senders = sorted({m["sender_id"] for m in page})
        references: list[dict[str, Any]] = [self.users[s] for s in senders if s in self.users]
        references.append({
            "type": "thread", "id": thread_id, "thread_starter_id": thread_id,
            "web_url": f"https://www.yammer.com/{NETWORK}/threads/{thread_id}",
            "stats": {"updates": len(everything), "shares": 0},
        })
        return 200, _json({"messages": page, "references": references,
                           "meta": {"older_available": len(rest) > len(page),
                                    "current_user_id": 1599999999}}), {}

    def _endless_page(self, thread_id: int,
                      query: Mapping[str, str]) -> tuple[int, bytes, dict[str, str]]:
        """20 fresh, older messages and ``older_available`` on every request, forever."""
        below = int(query.get("older_than", thread_id * 10**6))
        start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
        page = [message(below - i, thread_id, 1600000001, start, f"Reply {below - i} " * 20)
                for i in range(1, self.page_size + 1)]
        if "older_than" not in query:
            page[0] = message(thread_id, thread_id, 1600000001, start, "Starter")
        references = [user(1600000001, "Staff Member 1"),
                      {"type": "thread", "id": thread_id, "stats": {"updates": 30}}]
        return 200, _json({"messages": page, "references": references,
                           "meta": {"older_available": True}}), {}

    def _message(self, message_id: int) -> tuple[int, bytes, dict[str, str]]:
        for messages in self.threads.values():
            for item in messages:
                if item["id"] == message_id:
                    return 200, _json(item), {}
        return 404, _json({"error": "not found"}), {}


def make_thread(thread_id: int, count: int, *, start: dt.datetime | None = None,
                host: int | None = None, likes: int = 1) -> tuple[list[dict[str, Any]],
                                                                 list[dict[str, Any]]]:
    """A synthetic thread of ``count`` messages (the starter included) and its users.

    Reply ``i`` (1-based) is by user ``1600000000 + i % 7``, answers the reply before it
    when ``i`` is a multiple of 5, and has ``likes * i % 11`` likes; ``host`` writes reply 3.
    """
    start = start or dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    users = [user(1600000000 + k, f"Staff Member {k}") for k in range(7)]
    messages: list[dict[str, Any]] = []
    for i in range(count):
        ident = thread_id if i == 0 else thread_id * 1000 + i
        sender = host if (i == 3 and host) else 1600000000 + i % 7
        parent = thread_id * 1000 + i - 1 if i % 5 == 0 and i > 1 else None
        messages.append(message(ident, thread_id, sender, start + dt.timedelta(minutes=7 * i),
                                f"Message {i} of thread {thread_id}", replied_to=parent,
                                likes=(likes * i) % 11))
    return messages, users


def _json(data: Any) -> bytes:
    return json.dumps(data).encode()


_FAULT = "X-Fake-Fault"


def _fault(canned: Scripted) -> dict[str, str]:
    return {_FAULT: canned.fault} if canned.fault else {}


def _handler(fake: FakeYammer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def setup(self) -> None:
            super().setup()
            # Headers and body go out in two writes: without this, Nagle's algorithm and
            # delayed ACKs add 40 ms to every keep-alive request.
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def do_GET(self) -> None:
            parts = urllib.parse.urlsplit(self.path)
            query = dict(urllib.parse.parse_qsl(parts.query))
            status, body, headers = fake.answer(parts.path, query,
                                                self.headers.get("Authorization"))
            fault = headers.pop(_FAULT, None)
            length = len(body) + (100 if fault == "short" else 0)
            try:
                if fault == "trickle-headers":  # the status line and headers a byte at a time
                    head = (f"HTTP/1.1 {status} OK\r\nContent-Type: application/json\r\n"
                            f"Content-Length: {len(body)}\r\nX-Padding: {'x' * 2000}\r\n\r\n")
                    for char in head.encode():
                        self.wfile.write(bytes([char]))
                        self.wfile.flush()
                        time.sleep(fake.trickle_seconds)
                    self.wfile.write(body)
                    return
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(length))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                if fault == "trickle":
                    for index in range(len(body)):
                        self.wfile.write(body[index : index + 1])
                        self.wfile.flush()
                        time.sleep(fake.trickle_seconds)
                elif fault == "stall":  # half the body, then nothing for a long time
                    self.wfile.write(body[: len(body) // 2])
                    self.wfile.flush()
                    time.sleep(30)
                elif fault != "close":
                    self.wfile.write(body)
                if fault in ("short", "close"):
                    self.wfile.flush()
                    self.close_connection = True
            except (BrokenPipeError, ConnectionResetError):  # the client timed out and left
                pass

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler
