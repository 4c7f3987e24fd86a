"""From ``mkdocs.yml`` to the core's ``Settings``: MkDocs' own loader, then one conversion.

The plugin (``on_config``) and every command (``fireside sync|check|new|edit|publish``) go
through ``settings_from_config``, so the build and sync cannot read different configurations.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

from fireside.adapter.config import PLATFORM_NAMES, FiresideConfig, PlatformConfig
from fireside.core.errors import ConfigError
from fireside.core.settings import (
    DiscussionSettings,
    EntraSettings,
    PlatformSettings,
    RetrySettings,
    ScheduleRule,
    Settings,
    SiteOptions,
    SyncSettings,
)
from fireside.core.site import resolve_now
from fireside.core.urls import check_post_url_format
from fireside.discussions.platforms import PLATFORMS, Registry

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

#: The throttle of a platform the registry does not know yet: (requests, seconds).
_FALLBACK_RATE = (10, 30.0)


def settings_from_config(config: FiresideConfig, mkdocs_config: MkDocsConfig) -> Settings:
    """Map the validated plugin options onto the core's ``Settings``.

    Raises:
        ConfigError: An option has a valid type but an unusable value.
    """
    config_file = Path(mkdocs_config.config_file_path) if mkdocs_config.config_file_path \
        else None
    project_dir = config_file.resolve().parent if config_file else Path.cwd()
    platforms = {name: _platform(name, section) for name in PLATFORM_NAMES
                 if (section := config.platforms[name]) is not None}
    registry = Registry.configured({name: p.api_url for name, p in platforms.items()})
    return Settings(
        config_file=config_file,
        project_dir=project_dir,
        docs_dir=Path(mkdocs_config.docs_dir),
        site=_site_options(config, registry, mkdocs_config.theme.get("language")),
        discussions=DiscussionSettings(
            snapshots=Path(config.discussions.snapshots),
            enabled=config.discussions.enabled,
            top_replies=config.discussions.top_replies,
            stale_after_hours=config.discussions.stale_after_hours,
            moderation=Path(config.discussions.moderation) if config.discussions.moderation
            else None,
        ),
        sync=SyncSettings(_schedule(config), 60 * config.sync.deadline_minutes),
        platforms=platforms,
    )


def _site_options(config: FiresideConfig, registry: Registry,
                  language: str | None) -> SiteOptions:
    for name in ("post_url_format", "qa_url_format"):
        problem = check_post_url_format(getattr(config, name))
        if problem:
            raise ConfigError(f"option '{name}' {problem}")
    tz = ZoneInfo(config.timezone)  # checked by the option
    try:
        now = resolve_now(config.now, tz)
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    allowed = config.categories_allowed
    return SiteOptions(
        timezone=tz, now=now, blog_dir=config.blog_dir.strip("/"), blog_title=config.blog_title,
        posts_dir=config.posts_dir.strip("/"), qa_dir=config.qa_dir.strip("/"),
        authors_file=config.authors_file, post_url_format=config.post_url_format,
        qa_url_format=config.qa_url_format,
        categories_allowed=frozenset(allowed) if allowed is not None else None,
        per_page=config.pagination_per_page, listing_per_page=config.listing_per_page,
        archive=config.archive, categories=config.categories, tags=config.tags,
        author_pages=config.authors_profiles,
        words_per_minute=config.post_readtime_words_per_minute,
        post_slugify=config.post_slugify, post_slugify_separator=config.post_slugify_separator,
        categories_slugify=config.categories_slugify,
        categories_slugify_separator=config.categories_slugify_separator,
        registry=registry,
        language=language,
    )


def _schedule(config: FiresideConfig) -> tuple[ScheduleRule, ...]:
    rules = [ScheduleRule(r.max_age_days, r.every_hours) for r in config.sync.schedule]
    if rules[-1].max_age_days is not None:  # the last rule also covers every older post
        rules.append(ScheduleRule(None, rules[-1].every_hours))
    return tuple(rules)


def _platform(name: str, section: PlatformConfig) -> PlatformSettings:
    entry = PLATFORMS.get(name)
    api_url = section.api_url or (entry.defaults.api_url if entry and not entry.self_hosted
                                  else None)
    if not api_url:
        example = entry.defaults.api_url if entry and entry.defaults.api_url \
            else "https://community.example.com"
        raise ConfigError(f"option 'platforms.{name}.api_url' is required: the address of "
                          f"your {entry.display_name if entry else name}, such as {example}")
    requests, per_seconds = ((entry.defaults.rate_requests, entry.defaults.rate_per_seconds)
                             if entry else _FALLBACK_RATE)
    entra = section.entra
    if entra is not None and section.token_env:
        raise ConfigError(f"option 'platforms.{name}': set either token_env (a ready token) "
                          "or entra (sign-in through Microsoft Entra ID), not both")
    auth = entry.defaults.auth if entry else "token"
    if auth == "entra" and entra is None and not section.token_env:
        raise ConfigError(f"option 'platforms.{name}' needs 'entra: {{tenant_id, client_id, "
                          "client_secret_env or certificate_path}}' (it signs in with Entra ID), "
                          "or a 'token_env' naming the variable that holds a token")
    if auth == "basic" and not (section.username and section.password_env):
        raise ConfigError(f"option 'platforms.{name}' needs 'username' and 'password_env' (it "
                          "signs in with a user name and password)")
    return PlatformSettings(
        name=name,
        api_url=api_url,
        token_env=section.token_env or f"FIRESIDE_{name.upper()}_TOKEN",
        rate_requests=section.rate_limit.requests or requests,
        rate_per_seconds=section.rate_limit.per_seconds if section.rate_limit.per_seconds
        is not None else per_seconds,
        timeout_seconds=section.timeout_seconds,
        retries=RetrySettings(section.retries.attempts, section.retries.backoff_seconds,
                              section.retries.max_wait_seconds),
        entra=None if entra is None else EntraSettings(
            tenant_id=entra.tenant_id.strip(), client_id=entra.client_id.strip(),
            authority=entra.authority, scopes=tuple(entra.scopes),
            client_secret_env=entra.client_secret_env,
            certificate_path=Path(entra.certificate_path) if entra.certificate_path else None,
            certificate_path_env=entra.certificate_path_env,
            certificate_thumbprint=entra.certificate_thumbprint,
            certificate_thumbprint_env=entra.certificate_thumbprint_env,
            certificate_password_env=entra.certificate_password_env,
            token_cache=Path(entra.token_cache) if entra.token_cache else None,
            token_cache_env=entra.token_cache_env,
        ),
        username=section.username,
        password_env=section.password_env,
        web_url=section.web_url,
    )


def load_mkdocs_config(config_file: Path) -> MkDocsConfig:
    """Read ``config_file`` with MkDocs' own loader (``!ENV``, ``!relative``, ``INHERIT:``).

    Raises:
        ConfigError: The file is missing or invalid; the message holds MkDocs' reasons.
    """
    if not Path(config_file).is_file():
        raise ConfigError(f"{config_file}: not found; run this in the folder holding "
                          "mkdocs.yml or pass -f PATH")
    with _collect_errors() as reasons:
        try:
            config = load_config(str(config_file))
        except MkDocsException as exc:
            detail = "; ".join(reasons) or str(exc)
            raise ConfigError(f"{config_file}: {detail}") from None
    return config


def fireside_options(config: MkDocsConfig) -> FiresideConfig:
    """The validated ``fireside`` plugin options of a loaded configuration.

    Raises:
        ConfigError: The plugin is not listed under ``plugins:``.
    """
    options = getattr(config.plugins.get("fireside"), "config", None)
    if not isinstance(options, FiresideConfig):
        raise ConfigError(f"{config.config_file_path}: the 'fireside' plugin is not listed "
                          "under 'plugins:'")
    return options


def load_settings(config_file: Path) -> Settings:
    """Read ``mkdocs.yml`` as MkDocs does and return the core's settings.

    Raises:
        ConfigError: The file, an option or the plugin entry is invalid.
    """
    config = load_mkdocs_config(config_file)
    try:
        return settings_from_config(fireside_options(config), config)
    except ConfigError as exc:
        raise ConfigError(f"{config_file}: {exc}") from None


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _collect_errors() -> Iterator[list[str]]:
    """Keep MkDocs' own error lines for our message, and its chatter off the terminal."""
    logger = logging.getLogger("mkdocs")
    handler, level, propagate = _Collect(), logger.level, logger.propagate
    logger.addHandler(handler)
    logger.setLevel(logging.ERROR)
    logger.propagate = False
    try:
        yield handler.messages
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        logger.propagate = propagate
