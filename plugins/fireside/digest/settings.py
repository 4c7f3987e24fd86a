"""The ``digest:`` options of the fireside plugin, validated without MkDocs.

The MkDocs adapter declares the same keys as a typed ``SubConfig`` (``adapter/config.py``) so
the build rejects an ill-typed option; ``digest_settings`` then checks the values (addresses,
URLs, ports) and returns one frozen ``DigestSettings``. It accepts a plain mapping too, so a
loader that reads ``mkdocs.yml`` without MkDocs can call it unchanged.
"""

from __future__ import annotations

import email.utils
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fireside.core.settings import RetrySettings, SettingsError

__all__ = ["SCHEDULES", "DigestSettings", "SmtpSettings", "TeamsSettings", "digest_settings"]

SCHEDULES = ("weekly", "daily")
DIGEST_KEYS = ("enabled", "schedule", "smtp", "from", "to", "reply_to", "unsubscribe",
               "teams_webhook_env", "teams_timeout_seconds", "teams_retries", "title", "intro",
               "max_posts")
SMTP_KEYS = ("host", "port", "starttls", "implicit_tls", "username_env", "password_env",
             "ca_file", "timeout_seconds")
_WHERE = "fireside.digest"
_ADDRESS = re.compile(r"^[^@\s<>\"(),;:]+@[^@\s<>\"(),;:]+\.[^@\s<>\"(),;:]+$")
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_LOOPBACK = ("localhost", "127.0.0.1", "::1")


#: Fewer tries than sync: one post, and the publish job should not wait long for Teams.
TEAMS_RETRIES = RetrySettings(attempts=3, backoff_seconds=2.0, max_wait_seconds=60.0)


@dataclass(frozen=True)
class SmtpSettings:
    """How to reach the mail relay. Secrets are named by environment variable only."""

    host: str
    port: int
    starttls: bool = True
    """Upgrade a plain connection with STARTTLS (port 587)."""
    implicit_tls: bool = False
    """Connect with TLS from the first byte (SMTPS, port 465)."""
    username_env: str | None = None
    password_env: str | None = None
    ca_file: Path | None = None
    """A PEM bundle that signs the relay's certificate (an internal CA); default: the system's."""
    timeout_seconds: float = 30.0

    @property
    def encrypted(self) -> bool:
        """Whether the connection is encrypted before any credential is sent."""
        return self.starttls or self.implicit_tls


@dataclass(frozen=True)
class TeamsSettings:
    """The Teams Workflows webhook: its URL is a secret, read from ``webhook_env``."""

    webhook_env: str
    timeout_seconds: float = 30.0
    retries: RetrySettings = field(default_factory=lambda: TEAMS_RETRIES)


@dataclass(frozen=True)
class DigestSettings:
    """Everything ``fireside digest`` needs from the ``digest:`` options."""

    schedule: str = "weekly"
    """``weekly`` (at most one digest per calendar week) or ``daily``."""
    smtp: SmtpSettings | None = None
    """``None``: no email (the Teams post may still be configured)."""
    sender: str = ""
    """The ``From`` header (``Fireside <blog@example.com>``); the ``from`` option."""
    to: tuple[str, ...] = ()
    reply_to: str | None = None
    unsubscribe: str | None = None
    """A ``mailto:`` or ``https:`` URL for the ``List-Unsubscribe`` header."""
    teams: TeamsSettings | None = None
    title: str | None = None
    """The subject and heading (default: ``<blog title>: the week's digest``)."""
    intro: str = ""
    max_posts: int = 10
    """New posts listed in full; more are counted ("and 3 more on the blog")."""
    enabled: bool = True
    """``false`` sends nothing; previews and ``--dry-run`` still work."""


def digest_settings(raw: Mapping[str, Any] | None, *, config_dir: Path) -> DigestSettings:
    """Validate the ``digest:`` options (a plain mapping, or MkDocs' ``DigestConfig``).

    Arguments:
        raw: The options; ``None`` or empty means no digest.
        config_dir: The folder of ``mkdocs.yml``; ``smtp.ca_file`` resolves against it.

    Raises:
        SettingsError: An option is unknown, ill-typed or unusable; the message names it.
    """
    data = _mapping(raw, _WHERE)
    _known(data, DIGEST_KEYS, _WHERE)
    smtp_raw = _mapping(data.get("smtp"), f"{_WHERE}.smtp")
    _known(smtp_raw, SMTP_KEYS, f"{_WHERE}.smtp")
    schedule = _text(data, "schedule", _WHERE, default="weekly")
    if schedule not in SCHEDULES:
        raise SettingsError(f"option '{_WHERE}.schedule': expected weekly or daily, but "
                            f"received: {schedule!r:.60}")
    smtp = _smtp(smtp_raw, config_dir) if _text(smtp_raw, "host", f"{_WHERE}.smtp") else None
    sender = _text(data, "from", _WHERE)
    to = _recipients(data.get("to"))
    reply_to = _text(data, "reply_to", _WHERE) or None
    unsubscribe = _text(data, "unsubscribe", _WHERE) or None
    if smtp is not None:
        if not sender:
            raise SettingsError(f"option '{_WHERE}.from': the digest's sender is required "
                                "with smtp, e.g. from: 'Leadership blog <blog@example.com>'")
        if not to:
            raise SettingsError(f"option '{_WHERE}.to': expected one address or a list "
                                "(a distribution list), e.g. to: all-staff@example.com")
        if not unsubscribe:
            raise SettingsError(f"option '{_WHERE}.unsubscribe': required with smtp, so mail "
                                "clients show an unsubscribe button; expected a mailto: or "
                                "https: URL")
    for key, value in (("from", sender), ("reply_to", reply_to)):
        if value:
            _address(value, f"{_WHERE}.{key}")
    if unsubscribe and not unsubscribe.lower().startswith(("mailto:", "https://", "http://")):
        raise SettingsError(f"option '{_WHERE}.unsubscribe': expected a mailto: or https: "
                            f"URL, but received: {unsubscribe!r:.60}")
    webhook_env = _text(data, "teams_webhook_env", _WHERE) or None
    teams = None
    if webhook_env:
        _env_name(webhook_env, f"{_WHERE}.teams_webhook_env")
        retries = _mapping(data.get("teams_retries"), f"{_WHERE}.teams_retries")
        where = f"{_WHERE}.teams_retries"
        _known(retries, ("attempts", "backoff_seconds", "max_wait_seconds"), where)
        teams = TeamsSettings(
            webhook_env=webhook_env,
            timeout_seconds=_number(data, "teams_timeout_seconds", _WHERE, 30.0, minimum=0.001),
            retries=RetrySettings(
                attempts=int(_number(retries, "attempts", where, 3, minimum=1, whole=True)),
                backoff_seconds=_number(retries, "backoff_seconds", where, 2.0, minimum=0),
                max_wait_seconds=_number(retries, "max_wait_seconds", where, 60.0, minimum=0)))
    enabled = data.get("enabled", True)
    if not isinstance(enabled, bool):
        raise SettingsError(f"option '{_WHERE}.enabled': expected true or false, but "
                            f"received: {enabled!r:.60}")
    return DigestSettings(
        schedule=schedule, smtp=smtp, sender=sender, to=to, reply_to=reply_to,
        unsubscribe=unsubscribe, teams=teams, title=_text(data, "title", _WHERE) or None,
        intro=_text(data, "intro", _WHERE),
        max_posts=int(_number(data, "max_posts", _WHERE, 10, minimum=1, whole=True)),
        enabled=enabled)


def _smtp(data: Mapping[str, Any], config_dir: Path) -> SmtpSettings:
    where = f"{_WHERE}.smtp"
    host = _text(data, "host", where)
    implicit = _flag(data, "implicit_tls", where, False)
    starttls = _flag(data, "starttls", where, not implicit)  # unset: STARTTLS unless SMTPS
    if starttls and implicit:
        raise SettingsError(f"option '{where}': starttls and implicit_tls exclude each other; "
                            "use implicit_tls: true (port 465) or starttls: true (port 587)")
    default_port = 465 if implicit else 587 if starttls else 25
    port = int(_number(data, "port", where, default_port, minimum=1, whole=True))
    if port > 65535:
        raise SettingsError(f"option '{where}.port': expected a port from 1 to 65535, but "
                            f"received: {port}")
    user_env = _text(data, "username_env", where) or None
    password_env = _text(data, "password_env", where) or None
    for key, value in (("username_env", user_env), ("password_env", password_env)):
        if value:
            _env_name(value, f"{where}.{key}")
    if bool(user_env) != bool(password_env):
        raise SettingsError(f"option '{where}': set both username_env and password_env (the "
                            "names of the variables holding the login), or neither")
    if user_env and not (starttls or implicit) and host.lower() not in _LOOPBACK:
        raise SettingsError(f"option '{where}': a login needs an encrypted connection; set "
                            "starttls: true (port 587) or implicit_tls: true (port 465)")
    ca = _text(data, "ca_file", where)
    return SmtpSettings(
        host=host, port=port, starttls=starttls, implicit_tls=implicit, username_env=user_env,
        password_env=password_env, ca_file=(config_dir / ca).resolve() if ca else None,
        timeout_seconds=_number(data, "timeout_seconds", where, 30.0, minimum=0.001))


def _mapping(value: Any, where: str) -> Mapping[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise SettingsError(f"option '{where}': expected a mapping, but received: {value!r:.60}")
    return value


def _known(data: Mapping[str, Any], keys: tuple[str, ...], where: str) -> None:
    for key in data:
        if key not in keys:
            raise SettingsError(f"unknown option '{where}.{key}'; expected one of "
                                f"{', '.join(keys)}")


def _text(data: Mapping[str, Any], key: str, where: str, *, default: str = "") -> str:
    value = data.get(key)
    if value is None:
        return default
    if not isinstance(value, str):
        raise SettingsError(f"option '{where}.{key}': expected a text, but received: "
                            f"{value!r:.60}")
    return value.strip()


def _flag(data: Mapping[str, Any], key: str, where: str, default: bool) -> bool:
    value = data.get(key)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise SettingsError(f"option '{where}.{key}': expected true or false, but received: "
                            f"{value!r:.60}")
    return value


def _number(data: Mapping[str, Any], key: str, where: str, default: float, *,
            minimum: float, whole: bool = False) -> float:
    value = data.get(key)
    if value is None:
        return default
    ok = isinstance(value, int) or (not whole and isinstance(value, float))
    number = float(value) if ok and not isinstance(value, bool) else None
    if number is None or number < minimum:
        what = "a whole number" if whole else "a number"
        raise SettingsError(f"option '{where}.{key}': expected {what} of at least {minimum:g}, "
                            f"but received: {value!r:.60}")
    return number


def _recipients(value: Any) -> tuple[str, ...]:
    where = f"{_WHERE}.to"
    if value is None or value == "":
        return ()
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
        raise SettingsError(f"option '{where}': expected an address or a list of addresses, "
                            f"but received: {value!r:.60}")
    for item in items:
        _address(item, where)
    return tuple(dict.fromkeys(v.strip() for v in items))


def _address(value: str, where: str) -> str:
    """The bare address of ``value`` (``Name <a@b.example>`` or ``a@b.example``)."""
    _, address = email.utils.parseaddr(value)
    if not _ADDRESS.match(address):
        raise SettingsError(f"option '{where}': expected an email address such as "
                            f"blog@example.com or 'Blog <blog@example.com>', but received: "
                            f"{value!r:.60}")
    return address


def _env_name(value: str, where: str) -> None:
    if not _ENV_NAME.match(value):
        raise SettingsError(f"option '{where}': expected the NAME of an environment variable "
                            f"(the secret itself never goes in mkdocs.yml), but received: "
                            f"{value[:12]!r}…")
