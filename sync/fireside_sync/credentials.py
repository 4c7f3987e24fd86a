"""Credentials: each platform's secret read from the environment and turned into request auth.

The one place that knows how each platform signs requests: a bearer token (Viva Engage, Slack,
Chatter, Jive; Teams and SharePoint through an Entra sign-in), Discourse's ``Api-Key`` +
``Api-Username`` headers, or HTTP Basic with ``username`` and ``password_env`` (Jive
on-premises). Secrets are read here and held only by
the auth objects, whose ``repr`` hides them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import requests

from fireside.core.settings import PlatformSettings
from fireside.discussions.platforms import PLATFORMS
from fireside_sync.auth import bearer_token
from fireside_sync.errors import ConfigError
from fireside_sync.http import BearerAuth, HeaderAuth

__all__ = ["BasicAuth", "MissingCredential", "request_auth"]

DISCOURSE_DEFAULT_USER = "system"


class MissingCredential(ConfigError):
    """The environment variable that should hold a platform's secret is unset or empty."""


class BasicAuth(requests.auth.HTTPBasicAuth):
    """HTTP Basic whose ``repr`` names the user and hides the password."""

    def __repr__(self) -> str:
        return f"BasicAuth({self.username!r}, <hidden>)"


def _secret(env: Mapping[str, str], name: str, platform: str, what: str) -> str:
    value = env.get(name, "").strip()
    if not value:
        raise MissingCredential(f"the environment variable {name} is not set; it must hold "
                                f"the {platform} {what}")
    return value


def request_auth(settings: PlatformSettings, env: Mapping[str, str], *,
                 forbidden: Iterable[Path] = ()) -> requests.auth.AuthBase:
    """The auth object for ``settings``' platform, its secret read from ``env``.

    An ``entra:`` section signs in through ``fireside_sync.auth`` (msal); ``forbidden`` are
    the folders its token cache must not be in.

    Raises:
        ConfigError: A needed environment variable is unset (``MissingCredential``),
            ``password_env`` is set without ``username``, or the Entra sign-in failed.
    """
    name = settings.name
    if settings.entra is not None:
        return BearerAuth(bearer_token(settings, env, forbidden=forbidden))
    entry = PLATFORMS.get(name)
    scheme = entry.defaults.auth if entry else "token"
    if settings.password_env:
        if not settings.username:
            raise ConfigError(f"option 'fireside.platforms.{name}.password_env' needs "
                              f"'fireside.platforms.{name}.username' (the account to sign in as)")
        return BasicAuth(settings.username,
                         _secret(env, settings.password_env, name, "account's password"))
    secret = _secret(env, settings.token_env, name,
                     "API key" if scheme == "api_key" else "API token")
    if scheme == "api_key":
        return HeaderAuth({"Api-Key": secret,
                           "Api-Username": settings.username or DISCOURSE_DEFAULT_USER})
    return BearerAuth(secret)
