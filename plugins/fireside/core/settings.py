"""The one settings object that the build, ``fireside sync`` and every command receive.

Plain frozen dataclasses, without MkDocs: ``fireside.adapter.settings`` fills them from the
validated ``mkdocs.yml`` (read by MkDocs' own loader), so ``!ENV``, ``!relative`` and
``INHERIT:`` mean exactly what they mean to MkDocs, and every option is checked once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

from fireside.core.errors import ConfigError
from fireside.core.urls import slugify
from fireside.discussions.platforms import Registry

__all__ = [
    "DEFAULT_SCHEDULE",
    "DiscussionSettings",
    "EntraSettings",
    "PlatformSettings",
    "RetrySettings",
    "ScheduleRule",
    "Settings",
    "SettingsError",
    "SiteOptions",
    "Slugify",
    "SyncSettings",
]

class SettingsError(ConfigError):
    """An option that the typed configuration cannot express is unusable (the digest's)."""


#: A slug function as in mkdocs-material's ``post_slugify``: ``(text, separator) -> slug``.
Slugify = Callable[[str, str], str]


@dataclass(frozen=True)
class SiteOptions:
    """The options that shape the blog: content folders, URLs, listings and slugs."""

    timezone: ZoneInfo
    now: dt.datetime
    blog_dir: str = ""
    blog_title: str = "Blog"
    posts_dir: str = "posts"
    qa_dir: str = "qa"
    authors_file: str = ".authors.yml"
    post_url_format: str = "posts/{slug}"
    qa_url_format: str = "qa/{slug}"
    categories_allowed: frozenset[str] | None = None
    per_page: int = 10
    listing_per_page: int = 100
    archive: bool = True
    categories: bool = True
    tags: bool = True
    author_pages: bool = True
    words_per_minute: int = 265
    language: str | None = None
    """``theme.language``: Fireside's own text and dates follow it (``core/i18n.py``)."""
    post_slugify: Slugify = field(default=slugify, compare=False)
    """Makes a post's slug from its title (``post_slugify``)."""
    post_slugify_separator: str = "-"
    categories_slugify: Slugify = field(default=slugify, compare=False)
    """Makes the URL of a category or tag page from its name (``categories_slugify``)."""
    categories_slugify_separator: str = "-"
    registry: Registry = field(default_factory=Registry)
    """The discussion platforms, with the hosts of the configured self-hosted ones."""

    def post_slug(self, title: str) -> str:
        """The slug of a post titled ``title``."""
        return self.post_slugify(title, self.post_slugify_separator)

    def category_slug(self, name: str) -> str:
        """The URL segment of the category or tag ``name``."""
        return self.categories_slugify(name, self.categories_slugify_separator)


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
    ``token_cache_env``). Secrets are named (environment variables), never held.
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
    """One platform's connection options (the same keys for every platform)."""

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
    username: str | None = None
    """The account to act as, where the platform needs one (Discourse's ``Api-Username``)."""
    password_env: str | None = None
    """The environment variable holding a password, where the platform signs in with one."""
    web_url: str | None = None
    """Where readers open threads, when it differs from ``api_url`` (Discourse, Chatter)."""


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


DEFAULT_SCHEDULE = (ScheduleRule(14, 0), ScheduleRule(90, 24), ScheduleRule(None, 168))


@dataclass(frozen=True)
class Settings:
    """Everything the build, sync and the commands need from ``mkdocs.yml``."""

    config_file: Path | None
    """The ``mkdocs.yml`` read (``None`` when built in memory, as in tests)."""
    project_dir: Path
    """The folder of ``mkdocs.yml``: messages name files relative to it."""
    docs_dir: Path
    site: SiteOptions
    discussions: DiscussionSettings
    sync: SyncSettings = SyncSettings(DEFAULT_SCHEDULE)
    platforms: Mapping[str, PlatformSettings] = field(default_factory=dict)
    """The configured platforms only, by name."""

    @property
    def timezone(self) -> ZoneInfo:
        """The site's time zone for naive dates."""
        return self.site.timezone
