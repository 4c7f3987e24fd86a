"""A small fake-API HTTP server that the fake platforms (Slack, Discourse, Jive, Chatter) share.

A fake subclasses ``Loopback`` and implements ``authorized`` (its credential check and the
platform's own refusal) and ``route`` (the documented endpoints). The base serves on
127.0.0.1, records every request, plays scripted answers (``fail``) and can answer every
request with a status for a while (``storm``), as the platforms do when they throttle.
"""

from __future__ import annotations

import collections
import json
import socket
import threading
import urllib.parse
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

from tests.fakeplatform.serving import BackgroundServer

Answer = tuple[int, bytes, dict[str, str]]



@dataclass
class Scripted:
    """One canned answer, served instead of the real one."""

    status: int = 200
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Seen:
    """One request as the server received it."""

    path: str
    query: Mapping[str, Sequence[str]]
    headers: Mapping[str, str]

    def arg(self, name: str) -> str | None:
        """The first value of query parameter ``name``."""
        values = self.query.get(name)
        return values[0] if values else None


def as_json(data: Any) -> bytes:
    """``data`` as a JSON body."""
    return json.dumps(data).encode()


class Loopback(BackgroundServer):
    """The shared server; ``with Fake(...) as fake:`` serves on 127.0.0.1."""

    #: The path prefix of the API on this server (``api_url`` is the root plus this).
    prefix = ""
    content_type = "application/json; charset=utf-8"

    def __init__(self) -> None:
        self.requests: list[Seen] = []
        self.script: dict[str, collections.deque[Scripted]] = collections.defaultdict(
            collections.deque)
        self.storm_left = 0
        self.storm_answer = Scripted(429)
        self._lock = threading.Lock()

    @property
    def root(self) -> str:
        """``http://127.0.0.1:<port>``."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        """The ``api_url`` to configure."""
        return self.root + self.prefix

    def fail(self, path: str, *answers: Scripted) -> None:
        """Serve ``answers`` (in order) to the next requests of ``path`` (``*``: any path)."""
        self.script[path].extend(answers)

    def storm(self, count: int, answer: Scripted) -> None:
        """Answer the next ``count`` authorized requests with ``answer``."""
        self.storm_left, self.storm_answer = count, answer

    def seen(self, path: str) -> list[Seen]:
        """The requests made to ``path`` (without the prefix)."""
        return [s for s in self.requests if s.path == path]

    # -- to implement ------------------------------------------------------------------------

    def authorized(self, seen: Seen) -> Answer | None:
        """``None`` when the request carries the right credential, else the refusal."""
        raise NotImplementedError

    def route(self, seen: Seen) -> Answer:
        """The real answer to an authorized request."""
        raise NotImplementedError

    # -- serving -----------------------------------------------------------------------------

    def answer(self, path: str, query: Mapping[str, Sequence[str]],
               headers: Mapping[str, str]) -> Answer:
        """The status, body and headers for one GET."""
        seen = Seen(path.removeprefix(self.prefix).lstrip("/"), query, headers)
        with self._lock:
            self.requests.append(seen)
            queue = self.script.get(seen.path) or self.script.get("*")
            canned = queue.popleft() if queue else None
        refused = self.authorized(seen)
        if refused is not None:
            return refused
        with self._lock:
            if self.storm_left > 0:
                self.storm_left -= 1
                canned = canned or self.storm_answer
        if canned is not None:
            return canned.status, canned.body, dict(canned.headers)
        return self.route(seen)

    def handler(self) -> type[BaseHTTPRequestHandler]:
        """This fake's request handler."""
        return _handler(self)


def _handler(fake: Loopback) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def setup(self) -> None:
            super().setup()
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def do_GET(self) -> None:
            parts = urllib.parse.urlsplit(self.path)
            query = urllib.parse.parse_qs(parts.query, keep_blank_values=True)
            status, body, headers = fake.answer(urllib.parse.unquote(parts.path), query,
                                                {k.lower(): v for k, v in self.headers.items()})
            try:
                self.send_response(status)
                self.send_header("Content-Type", headers.pop("Content-Type", fake.content_type))
                self.send_header("Content-Length", str(len(body)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler
