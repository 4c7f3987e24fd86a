"""The one way a fake platform serves: a threaded HTTP(S) server on 127.0.0.1, in the background."""

from __future__ import annotations

import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Self


class BackgroundServer:
    """Serves ``handler()`` on an ephemeral loopback port; ``with Fake() as fake:`` starts it."""

    _server: ThreadingHTTPServer | None = None
    _tls: ssl.SSLContext | None = None

    def handler(self) -> type[BaseHTTPRequestHandler]:
        """The request handler class, bound to this fake."""
        raise NotImplementedError

    @property
    def port(self) -> int:
        """The port the server listens on."""
        assert self._server is not None, "not started"
        return int(self._server.server_address[1])

    def start(self) -> Self:
        """Serve in a background thread on an ephemeral port (HTTPS when given a context)."""
        server = ThreadingHTTPServer(("127.0.0.1", 0), self.handler())
        server.daemon_threads = True
        if self._tls is not None:
            server.socket = self._tls.wrap_socket(server.socket, server_side=True)
        self._server = server
        threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def stop(self) -> None:
        """Stop serving."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.stop()
