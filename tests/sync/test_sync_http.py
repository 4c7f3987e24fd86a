"""Transport against the loopback server: retries, Retry-After, caps, timeouts, throttle."""

from __future__ import annotations

import email.utils
import socket
import time
from collections.abc import Iterator

import pytest

from fireside.core.settings import PlatformSettings, RetrySettings
from fireside_sync.errors import HttpError
from fireside_sync.http import HttpClient, Throttle
from tests.fakeplatform.yammer import FakeYammer, Scripted

TOKEN = "SENTINEL-TOKEN-http"
PATH = "messages/in_thread/2000000001.json"


def client(url: str, *, per_seconds: float = 0.0, requests: int = 100, attempts: int = 3,
           max_wait: float = 5.0, timeout: float = 2.0,
           sleeps: list[float] | None = None) -> HttpClient:
    settings = PlatformSettings(
        name="yammer", api_url=url, token_env="FIRESIDE_TEST_TOKEN", rate_requests=requests,
        rate_per_seconds=per_seconds, timeout_seconds=timeout,
        retries=RetrySettings(attempts=attempts, backoff_seconds=0.01,
                              max_wait_seconds=max_wait))
    if sleeps is None:
        return HttpClient(settings, TOKEN)
    return HttpClient(settings, TOKEN, sleep=sleeps.append)


@pytest.fixture
def fake() -> Iterator[FakeYammer]:
    with FakeYammer(token=TOKEN) as server:
        server.add_thread(2000000001, [])
        yield server


def test_retries_5xx_then_succeeds(fake: FakeYammer) -> None:
    fake.fail(PATH, Scripted(500), Scripted(503))
    http = client(fake.url)
    assert http.get_json(PATH)["meta"]["older_available"] is False
    assert (http.stats.requests, http.stats.retries) == (3, 2)
    assert all(s.authorization == f"Bearer {TOKEN}" for s in fake.requests)


def test_5xx_every_time_is_bounded(fake: FakeYammer) -> None:
    fake.fail(PATH, *[Scripted(502)] * 5)
    http = client(fake.url, attempts=3)
    with pytest.raises(HttpError) as info:
        http.get_json(PATH)
    assert (info.value.kind, info.value.status) == ("server", 502)
    assert "failed (HTTP 502) 3 times" in str(info.value)
    assert len(fake.requests) == 3


def test_429_honours_retry_after_seconds_and_date(fake: FakeYammer) -> None:
    later = email.utils.formatdate(time.time() + 3, usegmt=True)
    fake.fail(PATH, Scripted(429, headers={"Retry-After": "2"}),
              Scripted(429, headers={"Retry-After": later}))
    sleeps: list[float] = []
    http = client(fake.url, sleeps=sleeps)
    http.get_json(PATH)
    assert sleeps[0] == 2.0
    assert 1.0 < sleeps[1] <= 3.0
    assert http.stats.rate_limited == 2


def test_429_without_retry_after_waits_one_throttle_window(fake: FakeYammer) -> None:
    fake.fail(PATH, Scripted(429))
    sleeps: list[float] = []
    http = client(fake.url, per_seconds=0.5, sleeps=sleeps)
    http.get_json(PATH)
    assert sleeps == [0.5]


def test_total_wait_is_capped(fake: FakeYammer) -> None:
    fake.fail(PATH, Scripted(429, headers={"Retry-After": "1"}),
              Scripted(429, headers={"Retry-After": "86400"}))
    sleeps: list[float] = []
    http = client(fake.url, max_wait=30, sleeps=sleeps)
    with pytest.raises(HttpError, match="gave up rather than wait 86400 s") as info:
        http.get_json(PATH)
    assert info.value.kind == "rate_limited"
    assert sleeps == [1.0]


def test_timeout_is_retried_then_reported(fake: FakeYammer) -> None:
    fake.fail(PATH, Scripted(delay=0.6))
    http = client(fake.url, timeout=0.2)
    assert http.get_json(PATH)["messages"] == []
    fake.fail(PATH, *[Scripted(delay=0.6)] * 2)
    with pytest.raises(HttpError, match=r"no answer within 0.2 s, 2 times") as info:
        client(fake.url, timeout=0.2, attempts=2).get_json(PATH)
    assert info.value.kind == "timeout"


def test_connection_refused() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(HttpError, match=rf"could not connect to 127.0.0.1:{port} \(connection "
                                        r"refused\), 2 times") as info:
        client(f"http://127.0.0.1:{port}/api/v1", attempts=2).get_json(PATH)
    assert info.value.kind == "connection"


def test_malformed_json_is_not_retried(fake: FakeYammer) -> None:
    fake.fail(PATH, Scripted(200, body=b"<html>proxy error</html>"))
    with pytest.raises(HttpError, match="not valid JSON") as info:
        client(fake.url).get_json(PATH)
    assert info.value.kind == "bad_response"
    assert len(fake.requests) == 1


def test_401_names_the_variable_never_the_token(fake: FakeYammer) -> None:
    fake.token = "another-token"
    http = client(fake.url)
    with pytest.raises(HttpError) as info:
        http.get_json(PATH)
    assert info.value.kind == "auth" and len(fake.requests) == 1
    assert "FIRESIDE_TEST_TOKEN" in str(info.value)
    assert TOKEN not in str(info.value) and TOKEN not in repr(http._auth)


def test_throttle_keeps_a_strict_server_happy(fake: FakeYammer) -> None:
    fake.rate_limit = (4, 0.25)
    http = client(fake.url, requests=4, per_seconds=0.25, attempts=1)
    started = time.monotonic()
    for _ in range(10):
        http.get_json(PATH)
    assert time.monotonic() - started >= 0.5  # 10 calls at 4 per 0.25 s span two windows
    assert http.stats.rate_limited == 0
    unthrottled = client(fake.url, attempts=1)
    with pytest.raises(HttpError, match="429"):
        for _ in range(10):
            unthrottled.get_json(PATH)


def test_throttle_sliding_window_with_a_fake_clock() -> None:
    now = [0.0]
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    throttle = Throttle(10, 30, clock=lambda: now[0], sleep=sleep)
    for _ in range(10):
        assert throttle.wait() == 0
        throttle.record()
    now[0] = 5.0
    assert throttle.wait() == 25.0  # the 11th call waits until the first leaves the window
    assert waits == [25.0]
    assert Throttle(1, 0).wait() == 0 and Throttle(1, 0).wait() == 0
