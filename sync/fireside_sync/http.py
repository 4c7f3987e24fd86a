"""Transport shared by every adapter: one session, timeouts, throttle, bounded retries.

Retries are a small loop here rather than urllib3's ``Retry`` because the run needs to count
429s for its summary, cap the *total* wait of one request (not each sleep), and fall back to
one throttle window when a 429 carries no ``Retry-After`` (Yammer documents none).
"""

from __future__ import annotations

import collections
import email.utils
import json
import logging
import random
import time
import urllib.parse
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import requests

from fireside.core.settings import PlatformSettings
from fireside_sync.errors import HttpError

USER_AGENT = "fireside-sync/0.1 (+intranet leadership blog)"

Clock = Callable[[], float]
Sleep = Callable[[float], None]
Params = Mapping[str, "str | Sequence[str]"]
"""Query parameters; a sequence repeats the key (Discourse's ``post_ids[]``)."""
Decode = Callable[[str], Any]
"""Body text → data (``json.loads``; Jive strips its ``throw …;`` prefix first)."""


@dataclass(frozen=True)
class Refusal:
    """A platform's own way of saying no, found by an adapter's ``Check`` in an answer."""

    kind: str
    """As ``HttpError.kind``: ``auth`` stops the run, ``rate_limited`` and ``quota`` retry."""
    message: str
    retry: bool = False
    after: float | None = None
    """Seconds to wait before the retry (``None``: ``Retry-After``, else the backoff)."""


Check = Callable[[int, Any], "Refusal | None"]
"""(status, decoded body or ``None``) → a ``Refusal``, or ``None`` for the usual handling.

Slack answers errors with HTTP 200 and ``ok: false``; Discourse puts the wait in the body.
"""


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


class HeaderAuth(requests.auth.AuthBase):
    """Credentials in named headers (Discourse's ``Api-Key`` and ``Api-Username``)."""

    def __init__(self, headers: Mapping[str, str]) -> None:
        self._headers = dict(headers)

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers.update(self._headers)
        return request

    def __repr__(self) -> str:
        return f"HeaderAuth({', '.join(self._headers)}: <hidden>)"


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

_MESSAGES = {
    "auth": "the platform refused the token (HTTP 401); check that {env} holds a valid, "
            "unexpired token",
    "forbidden": "access denied (HTTP 403); the sync account may not see this thread",
    "not_found": "not found (HTTP 404); the thread may have been deleted or the link is wrong",
    "rate_limited": "still rate limited (HTTP 429) after {tries} tries",
    "server": "the platform failed (HTTP {status}) {tries} times",
    "http": "unexpected answer (HTTP {status})",
    "timeout": "no answer within {timeout:g} s, {tries} times",
    "connection": "could not connect to {host} ({reason}), {tries} times",
    "bad_response": "the platform's answer is not valid JSON",
}


class HttpClient:
    """GETs JSON from one platform's API through a throttle with bounded retries."""

    def __init__(self, settings: PlatformSettings, auth: str | requests.auth.AuthBase, *,
                 session: requests.Session | None = None, clock: Clock = time.monotonic,
                 sleep: Sleep = time.sleep) -> None:
        self.settings = settings
        self.stats = Stats()
        self.throttle = Throttle(settings.rate_requests, settings.rate_per_seconds,
                                 clock=clock, sleep=sleep)
        self._sleep = sleep
        self._auth = BearerAuth(auth) if isinstance(auth, str) else auth
        self._session = session or requests.Session()
        self._session.headers["User-Agent"] = USER_AGENT
        self._session.headers["Accept"] = "application/json"
        self._log = logging.getLogger(f"fireside_sync.{settings.name}")

    def close(self) -> None:
        """Close the session's connections."""
        self._session.close()

    def get_json(self, path: str, params: Params | None = None, *, decode: Decode = json.loads,
                 check: Check | None = None) -> Any:
        """GET ``<api_url>/<path>`` and return the decoded JSON.

        ``decode`` reads every body, error bodies included; ``check`` may turn any answer into
        a ``Refusal`` (retried like a 429 when it says so).

        Raises:
            HttpError: The request failed for good; ``kind`` says how.
        """
        url = f"{self.settings.api_url}/{path.lstrip('/')}"
        retry = self.settings.retries
        waited = 0.0
        for attempt in range(1, retry.attempts + 1):
            result, delay = self._attempt(url, path, params, attempt, decode, check)
            if not isinstance(result, HttpError):
                return result
            error = result
            if delay is None or attempt == retry.attempts:
                raise error
            if waited + delay > retry.max_wait_seconds:
                raise HttpError(f"{error.message}; gave up rather than wait {delay:.0f} s more "
                                f"(cap {retry.max_wait_seconds:g} s)", kind=error.kind,
                                status=error.status)
            self.stats.retries += 1
            self._log.debug("retrying %s in %.2f s after %s", path, delay, error.kind)
            self._sleep(delay)
            waited += delay
            self.stats.waited_seconds += delay
        raise AssertionError("unreachable")  # pragma: no cover

    def _attempt(self, url: str, path: str, params: Params | None, attempt: int,
                 decode: Decode, check: Check | None) -> tuple[Any, float | None]:
        """One try: the JSON, or ``(HttpError, delay before a retry or None)``."""
        timeout = self.settings.timeout_seconds
        self.throttle.wait()
        self.stats.requests += 1
        words = {"env": self.settings.token_env, "tries": attempt, "timeout": timeout,
                 "host": urllib.parse.urlsplit(url).netloc}
        try:
            response = self._session.get(url, params=params, auth=self._auth,
                                         timeout=(min(timeout, 10.0), timeout))
        except requests.Timeout:
            self.throttle.record()
            return self._error("timeout", None, words), self._backoff(attempt)
        except requests.ConnectionError as exc:
            self.throttle.record()
            return (self._error("connection", None, {**words, "reason": _reason(exc)}),
                    self._backoff(attempt))
        self.throttle.record()
        self._log.debug("GET %s -> %s", path, response.status_code)
        status = response.status_code
        data = _decoded(response.content, decode)
        refusal = check(status, data) if check is not None else None
        if refusal is not None:
            self.stats.rate_limited += refusal.kind == "rate_limited" or status == 429
            error = HttpError(refusal.message, kind=refusal.kind, status=status,
                              platform=self.settings.name)
            if not refusal.retry:
                return error, None
            after = refusal.after if refusal.after is not None else \
                _retry_after(response.headers.get("Retry-After"))
            return error, self._backoff(attempt) if after is None else after
        if status == 200:
            if data is None:
                return self._error("bad_response", status, words), None
            return data, None
        if status == 429:
            self.stats.rate_limited += 1
        kind, retry = STATUS_ACTIONS.get(status, ("server", True) if status >= 500
                                         else ("http", False))
        error = self._error(kind, status, {**words, "status": status})
        if not retry:
            return error, None
        after = _retry_after(response.headers.get("Retry-After"))
        if after is None and status == 429:
            after = max(self._backoff(attempt), self.settings.rate_per_seconds)
        return error, self._backoff(attempt) if after is None else after

    def _backoff(self, attempt: int) -> float:
        base: float = self.settings.retries.backoff_seconds * 2.0 ** (attempt - 1)
        return base * (1 + random.random() / 4)

    def _error(self, kind: str, status: int | None, words: Mapping[str, Any]) -> HttpError:
        return HttpError(_MESSAGES[kind].format(**words), kind=kind, status=status,
                         platform=self.settings.name)


def _decoded(body: bytes, decode: Decode) -> Any:
    """The decoded body (JSON is UTF-8), or ``None`` when it is empty or unreadable."""
    try:
        text = body.decode("utf-8-sig")  # UnicodeDecodeError is a ValueError
        return decode(text) if text.strip() else None
    except ValueError:
        return None


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
