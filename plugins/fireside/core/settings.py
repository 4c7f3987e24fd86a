"""The sync-related sections of the ``fireside`` plugin options, read without MkDocs.

``fireside sync`` reads ``mkdocs.yml`` itself (``load_settings``); the MkDocs plugin validates
the same sections through ``settings_from_options``. Keys the plugin owns (posts, feeds …) are
ignored here; ``SYNC_KEYS`` lists what this module validates.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from fireside.discussions.platforms import PLATFORMS

__all__ = [
    "DEFAULT_SCHEDULE",
    "SYNC_KEYS",
    "DiscussionSettings",
    "EntraSettings",
    "PlatformSettings",
    "RetrySettings",
    "ScheduleRule",
    "Settings",
    "SettingsError",
    "SyncSettings",
    "load_settings",
    "settings_from_options",
]

SYNC_KEYS = ("timezone", "discussions", "sync", "platforms")

#: Yammer's documented limit for message endpoints: 10 requests per 30 seconds per user.


class SettingsError(Exception):
    """A configuration option is unknown or has the wrong type."""


@dataclass(frozen=True)
class ScheduleRule:
    """Posts up to ``max_age_days`` old are fetched at most every ``every_hours``."""

    max_age_days: float | None
    """``None`` matches every older post (the last rule)."""
    every_hours: float
    """0 fetches on every run."""


@dataclass(frozen=True)
class RetrySettings:
    """Bounded retries on connection errors, 429 and 5xx."""

    attempts: int = 5
    """Tries per request, the first included."""
    backoff_seconds: float = 2.0
    """First backoff; doubled on each retry (with jitter)."""
    max_wait_seconds: float = 300.0
    """Cap on the total time one request may spend waiting to retry."""


@dataclass(frozen=True)
class EntraSettings:
    """Microsoft Entra ID sign-in (through msal) for one Microsoft platform.

    One credential: ``client_secret_env`` (app-only, Graph), a certificate (app-only, which
    SharePoint requires), or neither, which means a delegated sign-in made once with
    ``fireside login`` and kept in the msal token cache (``token_cache`` or
    ``token_cache_env``).
    """

    tenant_id: str
    client_id: str
    authority: str = "https://login.microsoftonline.com"
    """The authority host; sovereign clouds use their own (the tenant is appended)."""
    scopes: tuple[str, ...] = ()
    """Default: ``<api_url's origin>/.default``."""
    client_secret_env: str | None = None
    certificate_path: Path | None = None
    """A PEM file (private key, optionally the certificate) or a .pfx file."""
    certificate_path_env: str | None = None
    """A variable holding the path, or the PEM text itself."""
    certificate_thumbprint: str | None = None
    """The certificate's SHA-1 thumbprint as the app registration shows it."""
    certificate_thumbprint_env: str | None = None
    certificate_password_env: str | None = None
    token_cache: Path | None = None
    """The msal token cache of a delegated sign-in (written with mode 0600)."""
    token_cache_env: str | None = None
    """A variable holding the token cache's text (for CI secrets; read only)."""

    @property
    def flow(self) -> Literal["secret", "certificate", "delegated"]:
        """Which credential: a client secret, a certificate, or a delegated sign-in."""
        if self.client_secret_env:
            return "secret"
        if self.certificate_path or self.certificate_path_env:
            return "certificate"
        return "delegated"


@dataclass(frozen=True)
class PlatformSettings:
    """One platform's connection options."""

    name: str
    api_url: str
    token_env: str
    """The environment variable that holds the token (never the token itself)."""
    rate_requests: int
    rate_per_seconds: float
    """Client-side throttle: at most ``rate_requests`` per ``rate_per_seconds``."""
    timeout_seconds: float = 30.0
    retries: RetrySettings = RetrySettings()
    entra: EntraSettings | None = None
    """Entra ID sign-in instead of a ready token in ``token_env``."""


@dataclass(frozen=True)
class DiscussionSettings:
    """Where snapshots live and how the build shows them."""

    snapshots: Path
    enabled: bool = True
    """``false`` turns the panel, counts, Q&A data and sync off."""
    top_replies: int = 3
    stale_after_hours: float = 72.0
    moderation: Path | None = None


@dataclass(frozen=True)
class SyncSettings:
    """When threads are due, and how long a run may take."""

    schedule: tuple[ScheduleRule, ...]
    deadline_seconds: float = 3600.0
    """After this long (``deadline_minutes``), no request starts; the rest stays stale."""


@dataclass(frozen=True)
class Settings:
    """Everything ``fireside sync`` needs from ``mkdocs.yml``."""

    config_file: Path | None
    docs_dir: Path
    timezone: ZoneInfo
    discussions: DiscussionSettings
    sync: SyncSettings
    platforms: Mapping[str, PlatformSettings]


DEFAULT_SCHEDULE = (ScheduleRule(14, 0), ScheduleRule(90, 24), ScheduleRule(None, 168))


class _Loader(yaml.SafeLoader):
    """A safe loader that tolerates MkDocs' tags (``!ENV``, ``!relative``, ``!!python/…``)."""


def _construct_env(loader: _Loader, node: yaml.Node) -> Any:
    # MkDocs semantics: ``!ENV NAME`` or ``!ENV [NAME, OTHER, default]``.
    if isinstance(node, yaml.ScalarNode):
        names, default = [loader.construct_scalar(node)], None
    elif isinstance(node, yaml.SequenceNode):
        items = loader.construct_sequence(node)
        names, default = items[:-1] if len(items) > 1 else items, items[-1] if len(items) > 1 \
            else None
    else:
        return None
    for name in names:
        if isinstance(name, str) and name in os.environ:
            return yaml.safe_load(os.environ[name]) if os.environ[name] else ""
    return default


def _construct_other(loader: _Loader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)  # type: ignore[arg-type]


_Loader.add_constructor("!ENV", _construct_env)
_Loader.add_multi_constructor("!", _construct_other)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", _construct_other)


def load_settings(config_file: Path) -> Settings:
    """Read and validate the sync-related options of ``config_file`` (``mkdocs.yml``).

    Raises:
        SettingsError: The file is missing or unreadable, or an option is invalid.
    """
    config_file = Path(config_file).absolute()
    try:
        text = config_file.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise SettingsError(f"cannot read {config_file}: {exc.strerror}") from None
    try:
        data = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        raise SettingsError(f"{config_file} is not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise SettingsError(f"{config_file}: expected a mapping of options")
    config_dir = config_file.parent
    docs = data.get("docs_dir", "docs")
    if not isinstance(docs, str):
        raise SettingsError(f"{config_file}: option 'docs_dir': expected a folder name, "
                            f"but received: {docs!r}")
    options = _fireside_options(data.get("plugins"), config_file)
    try:
        settings = settings_from_options(options, config_dir=config_dir,
                                         docs_dir=config_dir / docs)
    except SettingsError as exc:
        raise SettingsError(f"{config_file}: {exc}") from None
    return Settings(config_file, settings.docs_dir, settings.timezone, settings.discussions,
                    settings.sync, settings.platforms)


def _fireside_options(plugins: Any, config_file: Path) -> Mapping[str, Any]:
    entries: list[Any]
    if plugins is None:
        entries = []
    elif isinstance(plugins, dict):
        entries = [{k: v} for k, v in plugins.items()]
    elif isinstance(plugins, list):
        entries = plugins
    else:
        raise SettingsError(f"{config_file}: option 'plugins': expected a list, but received: "
                            f"{plugins!r:.60}")
    for entry in entries:
        if entry == "fireside":
            return {}
        if isinstance(entry, dict) and "fireside" in entry:
            options = entry["fireside"] or {}
            if not isinstance(options, dict):
                raise SettingsError(f"{config_file}: plugin 'fireside': expected a mapping of "
                                    f"options, but received: {options!r:.60}")
            return options
    raise SettingsError(f"{config_file}: the 'fireside' plugin is not listed under 'plugins:'")


def settings_from_options(options: Mapping[str, Any], *, config_dir: Path,
                          docs_dir: Path) -> Settings:
    """Validate the ``SYNC_KEYS`` sections of the fireside plugin options.

    Arguments:
        options: The ``fireside`` plugin's options; keys outside ``SYNC_KEYS`` are ignored.
        config_dir: The folder of ``mkdocs.yml``; relative paths resolve against it.
        docs_dir: The docs folder (absolute, or relative to ``config_dir``).

    Raises:
        SettingsError: An option is unknown or ill-typed; the message names it.
    """
    config_dir = Path(config_dir).absolute()
    tz_name = _get(options, "timezone", str, "UTC", "fireside")
    try:
        timezone = ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingsError(f"option 'fireside.timezone': expected an IANA time zone such as "
                            f"Europe/London, but received: {tz_name!r}") from None
    return Settings(
        config_file=None,
        docs_dir=(config_dir / docs_dir).resolve(),
        timezone=timezone,
        discussions=_discussions(_section(options, "discussions", "fireside"), config_dir),
        sync=_sync(_section(options, "sync", "fireside")),
        platforms=_platforms(_section(options, "platforms", "fireside"), config_dir),
    )


def _section(data: Mapping[str, Any], key: str, where: str) -> Mapping[str, Any]:
    value = data.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise SettingsError(f"option '{where}.{key}': expected a mapping, but received: "
                            f"{value!r:.60}")
    return value


def _known(data: Mapping[str, Any], keys: tuple[str, ...], where: str) -> None:
    for key in data:
        if key not in keys:
            raise SettingsError(f"unknown option '{where}.{key}'; expected one of "
                                f"{', '.join(keys)}")


_KIND_TEXT = {str: "a text", int: "a whole number", float: "a number"}


def _get(data: Mapping[str, Any], key: str, kind: type, default: Any, where: str,
         *, minimum: float | None = None) -> Any:
    value = data.get(key, default)
    ok = isinstance(value, kind) and not isinstance(value, bool)
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value, ok = float(value), True
    if not ok or (minimum is not None and value < minimum):
        bound = f" of at least {minimum:g}" if minimum is not None else ""
        raise SettingsError(f"option '{where}.{key}': expected {_KIND_TEXT[kind]}{bound}, "
                            f"but received: {value!r:.60}")
    return value


def _discussions(data: Mapping[str, Any], config_dir: Path) -> DiscussionSettings:
    where = "fireside.discussions.panel"
    _known(data, ("enabled", "snapshots", "top_replies", "stale_after_hours", "moderation"), where)
    moderation = _get(data, "moderation", str, "", where)
    enabled = data.get("enabled", True)
    if not isinstance(enabled, bool):
        raise SettingsError(f"option '{where}.enabled': expected true or false, "
                            f"but received: {enabled!r:.60}")
    return DiscussionSettings(
        enabled=enabled,
        snapshots=(config_dir / _get(data, "snapshots", str, "data/discussions", where)).resolve(),
        top_replies=_get(data, "top_replies", int, 3, where, minimum=0),
        stale_after_hours=_get(data, "stale_after_hours", float, 72.0, where, minimum=0),
        moderation=(config_dir / moderation).resolve() if moderation else None,
    )


def _sync(data: Mapping[str, Any]) -> SyncSettings:
    _known(data, ("schedule", "deadline_minutes"), "fireside.sync")
    deadline = 60 * _get(data, "deadline_minutes", float, 60.0, "fireside.sync", minimum=0.001)
    raw = data.get("schedule")
    if raw is None:
        return SyncSettings(DEFAULT_SCHEDULE, deadline)
    if not isinstance(raw, list) or not raw:
        raise SettingsError("option 'fireside.sync.schedule': expected a list of "
                            f"{{max_age_days, every_hours}}, but received: {raw!r:.60}")
    rules: list[ScheduleRule] = []
    for index, item in enumerate(raw):
        where = f"fireside.sync.schedule[{index}]"
        if not isinstance(item, dict):
            raise SettingsError(f"option '{where}': expected {{max_age_days: 14, every_hours: "
                                f"0}}, but received: {item!r:.60}")
        _known(item, ("max_age_days", "every_hours"), where)
        age = item.get("max_age_days")
        rules.append(ScheduleRule(
            None if age is None else _get(item, "max_age_days", float, None, where, minimum=0),
            _get(item, "every_hours", float, None, where, minimum=0)))
    if rules[-1].max_age_days is not None:
        rules.append(ScheduleRule(None, rules[-1].every_hours))
    ages = [r.max_age_days for r in rules[:-1]]
    if None in ages or ages != sorted(ages):  # type: ignore[type-var]
        raise SettingsError("option 'fireside.sync.schedule': expected rules in increasing "
                            "max_age_days, with only the last one without max_age_days")
    return SyncSettings(tuple(rules), deadline)


def _platforms(data: Mapping[str, Any], config_dir: Path) -> dict[str, PlatformSettings]:
    platforms: dict[str, PlatformSettings] = {}
    for name, raw in data.items():
        where = f"fireside.platforms.{name}"
        if not isinstance(raw, dict):
            raise SettingsError(f"option '{where}': expected a mapping, but received: "
                                f"{raw!r:.60}")
        _known(raw, ("api_url", "token_env", "entra", "rate_limit", "timeout_seconds",
                     "retries"), where)
        rate = _section(raw, "rate_limit", where)
        _known(rate, ("requests", "per_seconds"), f"{where}.rate_limit")
        entry = PLATFORMS.get(str(name))
        if entry is None:
            raise SettingsError(f"option '{where}': unknown platform; expected one of "
                                f"{', '.join(PLATFORMS)}")
        default_rate = (entry.defaults.rate_requests, entry.defaults.rate_per_seconds)
        retries = _section(raw, "retries", where)
        _known(retries, ("attempts", "backoff_seconds", "max_wait_seconds"), f"{where}.retries")
        if entry.self_hosted and "api_url" not in raw:
            raise SettingsError(f"option '{where}.api_url': required; the address of your "
                                f"{entry.display_name}, such as https://contoso.sharepoint.com")
        api_url = _get(raw, "api_url", str, entry.defaults.api_url, where)
        if not api_url.startswith(("https://", "http://")):
            raise SettingsError(f"option '{where}.api_url': expected an http(s) URL, but "
                                f"received: {api_url!r:.60}")
        platforms[str(name)] = PlatformSettings(
            name=str(name),
            api_url=api_url.rstrip("/"),
            token_env=_get(raw, "token_env", str, f"FIRESIDE_{str(name).upper()}_TOKEN", where),
            rate_requests=_get(rate, "requests", int, default_rate[0], f"{where}.rate_limit",
                               minimum=1),
            rate_per_seconds=_get(rate, "per_seconds", float, default_rate[1],
                                  f"{where}.rate_limit", minimum=0),
            timeout_seconds=_get(raw, "timeout_seconds", float, 30.0, where, minimum=0.001),
            retries=RetrySettings(
                attempts=_get(retries, "attempts", int, 5, f"{where}.retries", minimum=1),
                backoff_seconds=_get(retries, "backoff_seconds", float, 2.0,
                                     f"{where}.retries", minimum=0),
                max_wait_seconds=_get(retries, "max_wait_seconds", float, 300.0,
                                      f"{where}.retries", minimum=0),
            ),
            entra=_entra(raw, where, config_dir),
        )
    return platforms


_ENTRA_KEYS = ("tenant_id", "client_id", "authority", "scopes", "client_secret_env",
               "certificate_path", "certificate_path_env", "certificate_thumbprint",
               "certificate_thumbprint_env", "certificate_password_env", "token_cache",
               "token_cache_env")


def _entra(platform: Mapping[str, Any], where: str, config_dir: Path) -> EntraSettings | None:
    """The ``entra:`` section of one platform, or ``None``."""
    if "entra" not in platform:
        return None
    if "token_env" in platform:
        raise SettingsError(f"option '{where}': set either token_env (a ready token) or "
                            "entra (sign-in through Microsoft Entra ID), not both")
    data = _section(platform, "entra", where)
    where = f"{where}.entra"
    _known(data, _ENTRA_KEYS, where)
    text: dict[str, str | None] = {}
    for key in _ENTRA_KEYS:
        if key != "scopes":
            text[key] = _get(data, key, str, "", where).strip() or None
    for key in ("tenant_id", "client_id"):
        if not text[key]:
            raise SettingsError(f"option '{where}.{key}': required (from the app registration "
                                "in Microsoft Entra ID)")
    authority = text["authority"] or EntraSettings.authority
    if not authority.startswith("https://"):
        raise SettingsError(f"option '{where}.authority': expected an https:// URL, but "
                            f"received: {authority!r:.60}")
    scopes = data.get("scopes", [])
    if not isinstance(scopes, list) or not all(isinstance(s, str) and s for s in scopes):
        raise SettingsError(f"option '{where}.scopes': expected a list of scopes, but "
                            f"received: {scopes!r:.60}")
    secret = text["client_secret_env"]
    certificate = text["certificate_path"] or text["certificate_path_env"]
    if secret and certificate:
        raise SettingsError(f"option '{where}': set client_secret_env or a certificate, "
                            "not both")
    if certificate and not (text["certificate_thumbprint"] or
                            text["certificate_thumbprint_env"]):
        raise SettingsError(f"option '{where}.certificate_thumbprint': required with a "
                            "certificate (the SHA-1 thumbprint shown in the app registration)")
    if not secret and not certificate and not (text["token_cache"] or text["token_cache_env"]):
        raise SettingsError(f"option '{where}': set client_secret_env, certificate_path, or "
                            "token_cache for a delegated sign-in made with 'fireside login'")

    def path(key: str) -> Path | None:
        value = text[key]
        return (config_dir / Path(value).expanduser()).resolve() if value else None

    return EntraSettings(
        tenant_id=str(text["tenant_id"]), client_id=str(text["client_id"]),
        authority=authority.rstrip("/"), scopes=tuple(scopes),
        client_secret_env=secret, certificate_path=path("certificate_path"),
        certificate_path_env=text["certificate_path_env"],
        certificate_thumbprint=text["certificate_thumbprint"],
        certificate_thumbprint_env=text["certificate_thumbprint_env"],
        certificate_password_env=text["certificate_password_env"],
        token_cache=path("token_cache"), token_cache_env=text["token_cache_env"])
