"""A deadline for one whole request, headers included, which socket timeouts cannot give.

``requests``' ``timeout`` bounds each socket operation, so a server that trickles its status
line, headers or body a byte at a time never trips it. Here every connection the session uses
reports its socket when it starts reading a response (``getresponse``), and a timer shuts that
socket down when the request's time is up: the blocked read then ends at once, with an error
that ``HttpClient`` reports as a timeout of that one request.

The session gets this through a ``requests`` transport adapter whose urllib3 pools build
``_WatchedHTTPConnection``/``_WatchedHTTPSConnection``; nothing else changes (TLS, proxies,
keep-alive and retries stay requests' and urllib3's).
"""

from __future__ import annotations

import contextlib
import contextvars
import socket
import threading
from collections.abc import Iterator
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

__all__ = ["Watchdog", "install"]

_CURRENT: contextvars.ContextVar[Watchdog | None] = contextvars.ContextVar(
    "fireside_watchdog", default=None)


class Watchdog:
    """Shuts down the sockets of the current request once ``seconds`` have passed."""

    def __init__(self, seconds: float) -> None:
        self.fired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(max(seconds, 0.0), self._fire)
        self._timer.daemon = True

    @contextlib.contextmanager
    def armed(self) -> Iterator[Watchdog]:
        """Watch the requests made inside the block (in this thread)."""
        token = _CURRENT.set(self)
        self._timer.start()
        try:
            yield self
        finally:
            self._timer.cancel()
            _CURRENT.reset(token)

    def watch(self, sock: socket.socket | None) -> None:
        """Shut ``sock`` down when the time is up (at once, if it already is)."""
        if sock is None:
            return
        with self._lock:
            self._sockets.append(sock)
            fired = self.fired
        if fired:
            _shut(sock)

    def _fire(self) -> None:
        with self._lock:
            self.fired = True
            sockets = list(self._sockets)
        for sock in sockets:
            _shut(sock)


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


def _watch_current(connection: HTTPConnection) -> None:
    watchdog = _CURRENT.get()
    if watchdog is not None:
        watchdog.watch(connection.sock)


class _WatchedHTTPConnection(HTTPConnection):
    def getresponse(self, *args: Any, **kwargs: Any) -> Any:
        _watch_current(self)
        return super().getresponse(*args, **kwargs)


class _WatchedHTTPSConnection(HTTPSConnection):
    def getresponse(self, *args: Any, **kwargs: Any) -> Any:
        _watch_current(self)
        return super().getresponse(*args, **kwargs)


class _WatchedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class _WatchedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


class _WatchedAdapter(HTTPAdapter):
    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _WatchedHTTPPool,
                                                   "https": _WatchedHTTPSPool}
        self.poolmanager.key_fn_by_scheme = dict(self.poolmanager.key_fn_by_scheme)


def install(session: requests.Session) -> requests.Session:
    """Mount the watched transport on ``session`` for http and https; return it."""
    adapter = _WatchedAdapter()
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session
