"""Build an adapter's ``HttpClient`` against a loopback server, recording its sleeps."""

from __future__ import annotations

import datetime as dt

import requests

from fireside.core.settings import PlatformSettings, RetrySettings
from fireside_sync.http import HttpClient

NOW = dt.datetime(2026, 3, 10, 8, 0, tzinfo=dt.UTC)
T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def at(minutes: int) -> dt.datetime:
    """``T0`` plus some minutes."""
    return T0 + dt.timedelta(minutes=minutes)


def client(name: str, api_url: str, auth: str | requests.auth.AuthBase, *,
           attempts: int = 1, sleeps: list[float] | None = None,
           max_wait: float = 600.0) -> HttpClient:
    """A client with no throttle; ``sleeps`` collects every backoff instead of sleeping."""
    settings = PlatformSettings(name=name, api_url=api_url, token_env="TEST_TOKEN",
                                rate_requests=1000, rate_per_seconds=0,
                                retries=RetrySettings(attempts, 0.01, max_wait))
    record = sleeps if sleeps is not None else []
    return HttpClient(settings, auth, sleep=record.append)
