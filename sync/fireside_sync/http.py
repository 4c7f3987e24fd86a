"""Transport shared by every adapter: one session, timeouts, throttle, bounded retries.

Retries are a small loop here rather than urllib3's ``Retry`` because the run needs to count
429s for its summary, cap the *total* wait of one request (not each sleep), and fall back to
one throttle window when a 429 carries no ``Retry-After`` (Yammer documents none).
"""

from __future__ import annotations

import collections
import email.utils
import http.client
import json
import logging
import random
import re
import time
import urllib.parse
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import requests
import urllib3

from fireside.core.settings import PlatformSettings
from fireside_sync.errors import HttpError, SyncError
from fireside_sync.watchdog import Watchdog
from fireside_sync.watchdog import install as install_watchdog

USER_AGENT = "fireside-sync/0.1 (+intranet leadership blog)"

Clock = Callable[[], float]
Sleep = Callable[[float], None]


@dataclass
class Stats:
    """Counters of one platform's traffic in a run."""

    requests: int = 0
    rate_limited: int = 0
    """Responses with HTTP 429."""
    retries: int = 0
    waited_seconds: float = 0.0
    """Time spent in backoff (not in the throttle)."""


class Throttle:
    """At most ``requests`` calls in any window of ``per_seconds`` (a sliding window).

    A sliding window rather than a token bucket: a bucket refilled at 10/30 s lets 11 calls
    land in one 30-second window after an initial burst, which a strict server answers with 429.
    """

    def __init__(self, requests: int, per_seconds: float, *, clock: Clock = time.monotonic,
                 sleep: Sleep = time.sleep) -> None:
        self.requests = requests
        self.per_seconds = per_seconds
        self._clock = clock
        self._sleep = sleep
        self._done: collections.deque[float] = collections.deque()

    def wait(self) -> float:
        """Block until one more call fits in the window; return how long it waited."""
        if self.per_seconds <= 0:
            return 0.0
        waited = 0.0
        now = self._clock()
        while len(self._done) >= self.requests:
            delay = self._done[0] + self.per_seconds - now
            if delay <= 0:
                self._done.popleft()
                continue
            self._sleep(delay)
            waited += delay
            now = self._clock()
        return waited

    def record(self) -> None:
        """Note that a call has completed.

        The window counts from completions, not sends: the server saw each earlier call no
        later than its response arrived here, so jitter in transit cannot squeeze one call
        too many into the server's window.
        """
        if self.per_seconds > 0:
            self._done.append(self._clock())


class BearerAuth(requests.auth.AuthBase):
    """``Authorization: Bearer <token>``; the token never appears in ``repr``."""

    def __init__(self, token: str) -> None:
        self._token = token

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers["Authorization"] = f"Bearer {self._token}"
        return request

    def __repr__(self) -> str:
        return "BearerAuth(<hidden>)"


#: What to do with a final status: (kind, retry?). Other 4xx are ``http``; other 5xx retry.
STATUS_ACTIONS: Mapping[int, tuple[str, bool]] = {
    401: ("auth", False),
    403: ("forbidden", False),
    404: ("not_found", False),
    429: ("rate_limited", True),
    500: ("server", True),
    502: ("server", True),
    503: ("server", True),
    504: ("server", True),
}

#: Largest decoded answer read for one request; a bigger one is a failure of its thread.
MAX_RESPONSE_BYTES = 16 * 1024 * 1024
#: Redirects followed inside the API base before a request counts as a redirect loop.
MAX_REDIRECTS = 5
_CHUNK = 64 * 1024

_MESSAGES = {
    "auth": "the platform refused the token (HTTP 401); check {env}",
    "forbidden": "access denied (HTTP 403); the sync account may not see this thread",
    "not_found": "not found (HTTP 404); the thread may have been deleted or the link is wrong",
    "rate_limited": "still rate limited (HTTP 429) after {tries} tries",
    "server": "the platform failed (HTTP {status}) {tries} times",
    "http": "unexpected answer (HTTP {status})",
    "timeout": "no answer within {timeout:g} s, {tries} times",
    "connection": "could not connect to {host} ({reason}), {tries} times",
    "broken": "the answer broke off ({reason}), {tries} times",
    "bad_response": "the platform's answer is not valid JSON",
    "bad_encoding": "the platform's answer could not be decoded ({reason})",
    "too_large": "the answer is larger than {limit:,} bytes; not read",
    "redirect": "the platform redirected {reason}; requests never leave the API base",
    "deadline": "not tried: the run reached its deadline (fireside.sync.deadline_minutes)",
}


class UnsafeRequest(SyncError):
    """A request path that would leave the configured API base (never sent)."""


def api_url(base: str, path: str) -> str:
    """``<base>/<path>``, built so that it cannot leave ``base``.

    Each segment of ``path`` is percent-encoded on its own (``?``, ``#``, spaces and
    backslashes included; existing ``%XX`` escapes and RFC 3986 sub-delimiters such as
    ``:@()'`` are kept, as Graph and SharePoint paths need them), and a segment that is empty,
    a dot segment or decodes to one with a separator is refused, so an id read from a link, a
    state file or an answer names a resource under the API base and nothing else. An absolute
    ``path`` (a platform's own next-page link) must already be under ``base``.

    Raises:
        UnsafeRequest: The path would leave the API base.
    """
    if re.match(r"^[a-z][a-z0-9+.-]*:", path, re.IGNORECASE):
        if not within_base(base, path):
            raise UnsafeRequest(f"refused to request {_where(path)}: it is outside the API "
                                "base")
        return path
    segments = path.strip("/").split("/")
    for segment in segments:
        plain = urllib.parse.unquote(segment)
        if plain in ("", ".", "..") or any(c in plain for c in "/\\\x00"):
            raise UnsafeRequest(f"refused to request {path[:80]!r}: it would leave the API base")
    quoted = "/".join(urllib.parse.quote(s, safe="!$&'()*+,;=:@%") for s in segments)
    return f"{base.rstrip('/')}/{_PERCENT.sub(lambda m: m.group().replace('%', '%25'), quoted)}"


#: A ``%`` that does not start a ``%XX`` escape (it is encoded itself).
_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def _where(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path[:60]}"


def within_base(base: str, url: str) -> bool:
    """Whether absolute ``url`` is on ``base``'s scheme, host and port, under its path."""
    want, got = urllib.parse.urlsplit(base), urllib.parse.urlsplit(url)
    prefix = want.path.rstrip("/") + "/"
    segments = urllib.parse.unquote(got.path).replace("\\", "/").split("/")[1:]
    if segments and segments[-1] == "":
        segments.pop()  # a trailing slash
    return ((got.scheme.lower(), got.netloc.lower()) == (want.scheme.lower(),
                                                          want.netloc.lower())
            and got.path.startswith(prefix)
            and all(part not in ("", ".", "..") for part in segments))


class _Failed(Exception):
    """One attempt failed; carries the kind and the words for its message."""

    def __init__(self, kind: str, retry: bool, **words: Any) -> None:
        super().__init__(kind)
        self.kind = kind
        self.retry = retry
        self.words = words


class HttpClient:
    """GETs JSON from one platform's API through a throttle with bounded retries.

    Every transport failure of one request (refused, reset, a body shorter than its
    ``Content-Length``, a broken gzip stream, a redirect loop, an answer that trickles in) is
    an ``HttpError`` for that request, retried where retrying makes sense. ``timeout_seconds``
    bounds the whole request: connecting, the headers and the body (``watchdog`` shuts the
    socket when it is up). ``deadline`` (a ``clock()`` value) bounds the run: past it, no
    request starts.
    """

    def __init__(self, settings: PlatformSettings, token: str, *,
                 session: requests.Session | None = None, clock: Clock = time.monotonic,
                 sleep: Sleep = time.sleep, deadline: float | None = None) -> None:
        self.settings = settings
        self.stats = Stats()
        self.throttle = Throttle(settings.rate_requests, settings.rate_per_seconds,
                                 clock=clock, sleep=sleep)
        self.deadline = deadline
        self._clock = clock
        self._sleep = sleep
        self._auth = BearerAuth(token)
        self._session = session or requests.Session()
        self._session.headers["User-Agent"] = USER_AGENT
        self._session.headers["Accept"] = "application/json"
        self._session.max_redirects = MAX_REDIRECTS
        install_watchdog(self._session)
        self._log = logging.getLogger(f"fireside_sync.{settings.name}")

    def close(self) -> None:
        """Close the session's connections."""
        self._session.close()

    def set_header(self, name: str, value: str) -> None:
        """Send ``name: value`` with every request (e.g. SharePoint's JSON ``Accept``)."""
        self._session.headers[name] = value

    def url_for(self, path: str) -> str:
        """The absolute URL of ``path`` under the API base (see ``api_url``)."""
        return api_url(self.settings.api_url, path)

    def get_next(self, url: str) -> Any:
        """GET a next-page link the platform returned (``@odata.nextLink``), verbatim.

        Raises:
            UnsafeRequest: The link is not under the API base (never sent: the token would
                go with it).
            HttpError: The request failed for good.
        """
        return self.get_json(url)

    def get_json(self, path: str, params: Mapping[str, str] | None = None) -> Any:
        """GET ``<api_url>/<path>`` and return the decoded JSON.

        Raises:
            HttpError: The request failed for good; ``kind`` says how.
            UnsafeRequest: ``path`` would leave the API base (nothing is sent).
        """
        url = self.url_for(path)
        retry = self.settings.retries
        waited = 0.0
        for attempt in range(1, retry.attempts + 1):
            result, delay = self._attempt(url, path, params, attempt)
            if not isinstance(result, HttpError):
                return result
            error = result
            if delay is None or attempt == retry.attempts:
                raise error
            if waited + delay > retry.max_wait_seconds:
                raise HttpError(f"{error.message}; gave up rather than wait {delay:.0f} s more "
                                f"(cap {retry.max_wait_seconds:g} s)", kind=error.kind,
                                status=error.status)
            if self.deadline is not None and self._clock() + delay >= self.deadline:
                raise HttpError(f"{error.message}; no retry, the run reached its deadline",
                                kind=error.kind, status=error.status)
            self.stats.retries += 1
            self._log.debug("retrying %s in %.2f s after %s", path, delay, error.kind)
            self._sleep(delay)
            waited += delay
            self.stats.waited_seconds += delay
        raise AssertionError("unreachable")  # pragma: no cover

    def _attempt(self, url: str, path: str, params: Mapping[str, str] | None,
                 attempt: int) -> tuple[Any, float | None]:
        """One try: the JSON, or ``(HttpError, delay before a retry or None)``."""
        timeout = self.settings.timeout_seconds
        words: dict[str, Any] = {
            "env": _credential(self.settings), "tries": attempt, "timeout": timeout,
            "host": urllib.parse.urlsplit(url).netloc, "limit": MAX_RESPONSE_BYTES}
        if self.deadline is not None:
            remaining = self.deadline - self._clock()
            if remaining <= 0:
                return self._error("deadline", None, words), None
            timeout = min(timeout, remaining)
        self.throttle.wait()
        self.stats.requests += 1
        try:
            status, headers, data = self._get(url, params, timeout)
        except _Failed as failed:
            self.throttle.record()
            error = self._error(failed.kind, None, {**words, **failed.words})
            return error, self._backoff(attempt) if failed.retry else None
        self.throttle.record()
        self._log.debug("GET %s -> %s", path, status)
        if status == 200:
            try:
                return json.loads(data), None
            except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
                return self._error("bad_response", status, words), None
        if status == 429:
            self.stats.rate_limited += 1
        kind, retry = STATUS_ACTIONS.get(status, ("server", True) if status >= 500
                                         else ("http", False))
        error = self._error(kind, status, {**words, "status": status})
        if not retry:
            return error, None
        after = _retry_after(headers.get("Retry-After"))
        if after is None and status == 429:
            after = max(self._backoff(attempt), self.settings.rate_per_seconds)
        return error, self._backoff(attempt) if after is None else after

    def _get(self, url: str, params: Mapping[str, str] | None,
             timeout: float) -> tuple[int, Mapping[str, str], bytes]:
        """One GET: ``(status, headers, body)``, redirects followed only inside the API base,
        the body read in time and within ``MAX_RESPONSE_BYTES``.

        Raises:
            _Failed: Any transport failure, classified.
        """
        watchdog = Watchdog(timeout)
        with watchdog.armed():
            try:
                return self._hops(url, params, timeout)
            except _Failed as failed:
                if watchdog.fired and failed.kind != "too_large":
                    raise _Failed("timeout", True) from None  # the watchdog cut it short
                raise

    def _hops(self, url: str, params: Mapping[str, str] | None,
              timeout: float) -> tuple[int, Mapping[str, str], bytes]:
        started = self._clock()
        for _hop in range(MAX_REDIRECTS + 1):
            left = timeout - (self._clock() - started)
            if left <= 0:
                raise _Failed("timeout", True)
            try:
                response = self._session.get(url, params=params, auth=self._auth,
                                             timeout=(min(left, 10.0), left), stream=True,
                                             allow_redirects=False)
            except requests.Timeout:
                raise _Failed("timeout", True) from None
            except requests.ConnectionError as exc:
                raise _Failed("connection", True, reason=_reason(exc)) from None
            except requests.RequestException as exc:
                raise _Failed("broken", True, reason=type(exc).__name__) from None
            try:
                if response.is_redirect:
                    target = urllib.parse.urljoin(url, response.headers.get("Location", ""))
                    if not within_base(self.settings.api_url, target):
                        shown = urllib.parse.urlsplit(target)
                        raise _Failed("redirect", False,
                                      reason=f"to {shown.netloc}{shown.path[:60]}, outside "
                                             "the API base")
                    url, params = target, None
                    continue
                # Every answer's body is read under the same limits (error bodies too: some
                # platforms explain a refusal there).
                return (response.status_code, response.headers,
                        self._read(response, started + timeout))
            finally:
                response.close()
        raise _Failed("redirect", False, reason=f"more than {MAX_REDIRECTS} times (a loop)")

    def _read(self, response: requests.Response, deadline: float) -> bytes:
        """The decoded body, read in chunks until ``deadline`` and ``MAX_RESPONSE_BYTES``.

        ``read1`` returns whatever one socket read brings, so a body trickled a byte a second
        is checked against the deadline after every byte rather than after 64 KB; and the
        socket's own timeout is cut to the time left, so a read that stalls ends on time too.
        """
        chunks: list[bytes] = []
        size = 0
        sock = getattr(getattr(response.raw, "connection", None), "sock", None)
        try:
            while True:
                left = deadline - self._clock()
                if left <= 0:
                    raise _Failed("timeout", True)
                if sock is not None:
                    sock.settimeout(left)
                chunk = response.raw.read1(_CHUNK, decode_content=True)
                if not chunk:
                    return b"".join(chunks)
                size += len(chunk)
                if size > MAX_RESPONSE_BYTES:
                    raise _Failed("too_large", False)
                chunks.append(chunk)
        except (urllib3.exceptions.ReadTimeoutError, TimeoutError):
            raise _Failed("timeout", True) from None
        except urllib3.exceptions.DecodeError as exc:
            raise _Failed("bad_encoding", False, reason=_short(exc)) from None
        except (urllib3.exceptions.HTTPError, http.client.HTTPException, OSError) as exc:
            raise _Failed("broken", True, reason=_short(exc)) from None

    def _backoff(self, attempt: int) -> float:
        base: float = self.settings.retries.backoff_seconds * 2.0 ** (attempt - 1)
        return base * (1 + random.random() / 4)

    def _error(self, kind: str, status: int | None, words: Mapping[str, Any]) -> HttpError:
        return HttpError(_MESSAGES[kind].format(**{"reason": "network error", **words}),
                         kind=kind, status=status, platform=self.settings.name)


def _short(exc: BaseException) -> str:
    """A short, token-free reason for a failure while reading a body."""
    text = str(exc).lower()
    for needle, reason in (("incompleteread", "body shorter than its Content-Length"),
                           ("incomplete", "body shorter than its Content-Length"),
                           ("decompress", "the compressed body is broken"),
                           ("content-encoding", "the compressed body is broken"),
                           ("reset", "connection reset"), ("chunk", "broken chunked body")):
        if needle in text:
            return reason
    return type(exc).__name__


def _credential(settings: PlatformSettings) -> str:
    """What to check after a 401: the token variable, or the Entra app's permissions."""
    if settings.entra is None:
        return f"that {settings.token_env} holds a valid, unexpired token"
    return (f"that the app registration {settings.entra.client_id} has the permissions and "
            "admin consent this platform needs (see the README)")


def _reason(exc: requests.ConnectionError) -> str:
    """A short, token-free reason for a connection error."""
    text = str(exc).lower()
    for needle, reason in (("refused", "connection refused"), ("reset", "connection reset"),
                           ("name or service not known", "host name not found"),
                           ("nodename nor servname", "host name not found"),
                           ("certificate", "TLS certificate problem"), ("ssl", "TLS error")):
        if needle in text:
            return reason
    return "network error"


def _retry_after(value: str | None) -> float | None:
    """Seconds from a ``Retry-After`` header (seconds or an HTTP date), ``None`` if unusable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())
