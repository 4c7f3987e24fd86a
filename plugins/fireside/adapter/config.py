"""The plugin's typed MkDocs configuration (adapter side)."""

from __future__ import annotations

import os
from typing import Generic, TypeVar, cast
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from mkdocs.config import config_options as c
from mkdocs.config.base import (
    BaseConfigOption,
    Config,
    ConfigErrors,
    ConfigWarnings,
    ValidationError,
)

from fireside.core.settings import Slugify
from fireside.core.urls import slugify

#: The platforms that may have a section under ``platforms:``.
PLATFORM_NAMES = ("yammer", "teams", "sharepoint", "slack", "discourse", "jive", "chatter")

_C = TypeVar("_C", bound=Config)


class StrictConfig(Config):
    """A ``Config`` whose unknown keys are errors (MkDocs only warns), naming the known ones."""

    def _validate(self) -> tuple[ConfigErrors, ConfigWarnings]:
        failed, warnings = super()._validate()
        unknown = sorted(set(self.keys()) - self._schema_keys)
        if unknown and not failed:
            known = ", ".join(sorted(self._schema_keys))
            failed.append((unknown[0], ValidationError(
                f"unknown option {unknown[0]!r}; expected one of {known}")))
        return failed, [w for w in warnings if w[0] not in unknown]


class OptionalSubConfig(Generic[_C], BaseConfigOption[_C | None]):
    """A typed section that is ``None`` when absent (a platform that is not configured)."""

    def __init__(self, config_class: type[_C]) -> None:
        super().__init__()
        self.config_class = config_class
        self._config_file_path: str | None = None

    def pre_validation(self, config: Config, key_name: str) -> None:
        self._config_file_path = config.config_file_path

    def run_validation(self, value: object) -> _C | None:
        if value is None:
            return None
        if not isinstance(value, dict):
            raise ValidationError(f"expected a mapping of options, but received: {value!r:.60}")
        section = self.config_class(config_file_path=self._config_file_path)
        section.load_dict(value)
        failed, warnings = section.validate()
        self.warnings.extend(f"Sub-option '{key}': {msg}" for key, msg in warnings)
        if failed:
            key, error = failed[0]
            raise ValidationError(f"Sub-option '{key}': {error}")
        return section


class Folder(c.Dir):
    """A folder relative to ``mkdocs.yml``; MkDocs' ``!relative`` tag works too."""

    def run_validation(self, value: object) -> str:
        return super().run_validation(os.fspath(value) if isinstance(value, os.PathLike)
                                      else value)


class FilePath(c.File):
    """A file relative to ``mkdocs.yml`` (``~`` is the home folder); ``!relative`` works too."""

    def run_validation(self, value: object) -> str:
        if isinstance(value, os.PathLike):
            value = os.fspath(value)
        return super().run_validation(os.path.expanduser(value) if isinstance(value, str)
                                      else value)


class Number(c.OptionallyRequired[float]):
    """A number (an int is accepted as a float), optionally with a lower bound."""

    def __init__(self, default: float | None = None, *, minimum: float | None = None) -> None:
        super().__init__(default=default)
        self.minimum = minimum

    def run_validation(self, value: object) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or (
                self.minimum is not None and value < self.minimum):
            bound = f" of at least {self.minimum:g}" if self.minimum is not None else ""
            raise ValidationError(f"expected a number{bound}, but received: {value!r:.60}")
        return float(value)


class WholeNumber(c.OptionallyRequired[int]):
    """A whole number (not a bool), optionally with a lower bound."""

    def __init__(self, default: int | None = None, *, minimum: int | None = None) -> None:
        super().__init__(default=default)
        self.minimum = minimum

    def run_validation(self, value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or (
                self.minimum is not None and value < self.minimum):
            bound = f" of at least {self.minimum}" if self.minimum is not None else ""
            raise ValidationError(f"expected a whole number{bound}, but received: "
                                  f"{value!r:.60}")
        return value


class HttpUrl(c.OptionallyRequired[str]):
    """An ``http(s)://`` URL, without its trailing slash."""

    def run_validation(self, value: object) -> str:
        if not isinstance(value, str) or not value.startswith(("https://", "http://")):
            raise ValidationError(f"expected an http(s) URL, but received: {value!r:.60}")
        return value.rstrip("/")


class SlugFunction(c.OptionallyRequired[Slugify]):
    """A slug function ``(text, separator) -> slug``, as Material's ``post_slugify``."""

    def run_validation(self, value: object) -> Slugify:
        if not callable(value):
            raise ValidationError(
                "expected a function such as !!python/object/apply:pymdownx.slugs.slugify "
                f"{{kwds: {{case: lower}}}}, but received: {value!r:.60}")
        return cast("Slugify", value)


class TimeZone(c.OptionallyRequired[str]):
    """An IANA time zone name, checked once here."""

    def run_validation(self, value: object) -> str:
        try:
            ZoneInfo(str(value))
        except (ZoneInfoNotFoundError, ValueError):
            raise ValidationError(f"expected an IANA time zone such as Europe/London or UTC, "
                                  f"but received: {value!r:.60}") from None
        return str(value)


class FeedsConfig(StrictConfig):
    """Options under ``feeds:``: which RSS, Atom and JSON feeds are built and what they carry."""

    enabled = c.Type(bool, default=True)
    """Set to ``false`` to build no feeds, OPML file or Subscribe page."""
    formats = c.ListOfItems(c.Choice(("rss", "atom", "json")), default=["rss", "atom", "json"])
    """Formats of every feed: ``rss`` (RSS 2.0), ``atom`` (Atom 1.0), ``json`` (JSON Feed 1.1)."""
    blog = c.Type(bool, default=True)
    """Build the whole blog's feed."""
    authors = c.Type(bool, default=True)
    """Build one feed per author in ``.authors.yml``."""
    categories = c.Type(bool, default=True)
    """Build one feed per category that has posts."""
    max_items = WholeNumber(20, minimum=1)
    """Items per feed, newest first."""
    author_emails = c.Type(bool, default=False)
    """Publish an author's ``email`` from ``.authors.yml`` in feeds (where it has one)."""
    full_content = c.Type(bool, default=True)
    """Carry each post's full HTML, not only its summary."""
    title = c.Optional(c.Type(str))
    """Title of the blog feed and prefix of the others (default: ``site_name``)."""
    description = c.Optional(c.Type(str))
    """Description of the blog feed (default: ``site_description``)."""
    stylesheet = c.Type(bool, default=False)
    """Add an XSL stylesheet to RSS and Atom feeds for browsers (off: Chrome is removing XSLT and
    shows a warning banner over it; the Subscribe page is the human view of the feeds)."""
    opml = c.Type(bool, default=True)
    """Write ``feeds.opml``, listing every feed for a one-step import."""
    subscribe_page = c.Type(bool, default=True)
    """Generate the ``subscribe/`` page listing every feed and how to follow it."""


class EditorConfig(StrictConfig):
    """Options of the web editor (``editor:``), served under ``/admin/`` when enabled."""

    enabled = c.Type(bool, default=False)
    """Serve the editor; needs ``npm ci`` first. ``$FIRESIDE_EDITOR=local`` also enables it."""
    local_backend = c.Type(bool, default=False)
    """Save through ``decap-server`` on this machine (``fireside edit`` sets this)."""
    local_proxy_port = c.Type(int, default=8081)
    """The port of ``decap-server`` in local mode."""
    backend = c.Type(dict, default={"name": "git-gateway", "branch": "main"})
    """Decap's ``backend`` block for team mode: ``name`` (gitlab, github, azure, gitea …),
    ``repo``, ``branch`` and the host's auth options."""
    editorial_workflow = c.Type(bool, default=True)
    """Team mode: posts go through Draft, In review and Ready before they are merged (not with
    the ``gitea`` backend, which Decap supports only in simple mode)."""
    path = c.Type(str, default="admin")
    """The editor's folder in the site (``/admin/``)."""
    npm_dir = c.Dir(exists=False, default=".")
    """The folder holding ``package.json`` and ``node_modules`` (relative to ``mkdocs.yml``)."""


class DiscussionsConfig(StrictConfig):
    """Options under ``discussions:``, shared by the build and ``fireside sync``."""

    enabled = c.Type(bool, default=True)
    """Set to ``false`` for no panel, counts or Q&A data; sync then does nothing."""
    snapshots = Folder(exists=False, default="data/discussions")
    """Where sync writes snapshots and the build reads them (relative to ``mkdocs.yml``)."""
    top_replies = WholeNumber(3, minimum=0)
    """Replies shown on the panel."""
    stale_after_hours = Number(72.0, minimum=0)
    """Older snapshots show "may be out of date"; 0 turns the notice off."""
    moderation = c.Optional(FilePath(exists=False))
    """The moderation file listing hidden replies (relative to ``mkdocs.yml``)."""


class ScheduleRuleConfig(StrictConfig):
    """One rule of ``sync.schedule``: posts up to ``max_age_days`` old, every ``every_hours``."""

    max_age_days = c.Optional(Number(minimum=0))
    """Omitted on the last rule, which matches every older post."""
    every_hours = Number(minimum=0)
    """Minimum hours between fetches (0: every run)."""


class Schedule(c.ListOfItems[ScheduleRuleConfig]):
    """The sync schedule: rules in increasing ``max_age_days``, only the last without it."""

    def __init__(self) -> None:
        super().__init__(c.SubConfig(ScheduleRuleConfig), default=[
            {"max_age_days": 14, "every_hours": 0}, {"max_age_days": 90, "every_hours": 24},
            {"every_hours": 168}])

    def run_validation(self, value: object) -> list[ScheduleRuleConfig]:
        if not isinstance(value, list) or not value:
            raise ValidationError("expected a list of {max_age_days, every_hours} rules, but "
                                  f"received: {value!r:.60}")
        rules = super().run_validation(value)
        ages = [r.max_age_days for r in rules]
        body = [a for a in ages[:-1] if a is not None]
        if len(body) != len(ages) - 1 or body != sorted(body):
            raise ValidationError("expected rules in increasing max_age_days, with only the "
                                  "last one without max_age_days")
        return rules


class SyncConfig(StrictConfig):
    """Options under ``sync:``, read by ``fireside sync``."""

    schedule = Schedule()
    """Post age -> minimum hours between fetches."""
    deadline_minutes = Number(60.0, minimum=0.001)
    """After this long, no request starts; the threads left keep their snapshot, marked stale."""


class RateLimitConfig(StrictConfig):
    """A client-side throttle: at most ``requests`` per ``per_seconds``."""

    requests = c.Optional(WholeNumber(minimum=1))
    """Default: the platform's documented limit (Viva Engage: 10)."""
    per_seconds = c.Optional(Number(minimum=0))
    """Default: the platform's documented window (Viva Engage: 30)."""


class RetriesConfig(StrictConfig):
    """Bounded retries on connection errors, 429 and 5xx."""

    attempts = WholeNumber(5, minimum=1)
    """Tries per request, the first included."""
    backoff_seconds = Number(2.0, minimum=0)
    """The first backoff, doubled on each retry."""
    max_wait_seconds = Number(300.0, minimum=0)
    """Cap on the total time one request waits to retry."""


class WebhookRetriesConfig(StrictConfig):
    """Bounded retries of the Teams webhook (shorter than a platform's: it runs in publish)."""

    attempts = WholeNumber(3, minimum=1)
    """Tries per post, the first included."""
    backoff_seconds = Number(2.0, minimum=0)
    """The first backoff, doubled on each retry."""
    max_wait_seconds = Number(60.0, minimum=0)
    """Cap on the total time one post waits to retry."""


class EntraConfig(StrictConfig):
    """Microsoft Entra ID sign-in (Teams, SharePoint); secrets come from the environment."""

    tenant_id = c.Type(str)
    """The directory (tenant) id; required."""
    client_id = c.Type(str)
    """The app registration's (client) id; required."""
    authority = HttpUrl(default="https://login.microsoftonline.com")
    """The sign-in authority (a sovereign cloud's, where needed)."""
    client_secret_env = c.Optional(c.Type(str))
    """The environment variable holding the client secret."""
    certificate_path = c.Optional(FilePath(exists=False))
    """The certificate (PEM) for certificate sign-in, relative to ``mkdocs.yml``."""
    certificate_path_env = c.Optional(c.Type(str))
    """The environment variable holding the certificate's path instead."""
    certificate_thumbprint = c.Optional(c.Type(str))
    """The certificate's SHA-1 thumbprint."""
    certificate_thumbprint_env = c.Optional(c.Type(str))
    """The environment variable holding the thumbprint instead."""
    certificate_password_env = c.Optional(c.Type(str))
    """The environment variable holding the certificate's password (a .pfx file)."""
    scopes = c.ListOfItems(c.Type(str), default=[])
    """Default: ``<api_url's origin>/.default``."""
    token_cache = c.Optional(FilePath(exists=False))
    """Where ``fireside login`` keeps the token cache; keep it outside the site."""
    token_cache_env = c.Optional(c.Type(str))
    """The environment variable holding the token cache's text (CI secrets; read only)."""

    def _validate(self) -> tuple[ConfigErrors, ConfigWarnings]:
        failed, warnings = super()._validate()
        if failed:
            return failed, warnings
        certificate = self.get("certificate_path") or self.get("certificate_path_env")
        problem: tuple[str, str] | None = None
        if not str(self.get("authority", "")).startswith("https://"):
            problem = ("authority", "expected an https:// URL")
        elif self.get("client_secret_env") and certificate:
            problem = ("client_secret_env", "set client_secret_env or a certificate, not both")
        elif certificate and not (self.get("certificate_thumbprint")
                                  or self.get("certificate_thumbprint_env")):
            problem = ("certificate_thumbprint", "required with a certificate (the SHA-1 "
                       "thumbprint shown in the app registration)")
        elif not (self.get("client_secret_env") or certificate or self.get("token_cache")
                  or self.get("token_cache_env")):
            problem = ("token_cache", "set client_secret_env, certificate_path, or token_cache "
                       "for a delegated sign-in made with 'fireside login'")
        if problem:
            failed.append((problem[0], ValidationError(problem[1])))
        return failed, warnings


class PlatformConfig(StrictConfig):
    """One platform's section under ``platforms:``; the same keys for every platform."""

    api_url = c.Optional(HttpUrl())
    """The API's base URL; overridable so a test server can stand in."""
    token_env = c.Optional(c.Type(str))
    """The environment variable holding the token (default ``FIRESIDE_<NAME>_TOKEN``)."""
    entra = OptionalSubConfig(EntraConfig)
    """Entra ID sign-in instead of a token (Teams, SharePoint)."""
    rate_limit = c.SubConfig(RateLimitConfig)
    """The client-side throttle."""
    timeout_seconds = Number(30.0, minimum=0.001)
    """Timeout of every request."""
    retries = c.SubConfig(RetriesConfig)
    """Bounded retries."""
    username = c.Optional(c.Type(str))
    """The account to act as, where the platform needs one (Discourse)."""
    password_env = c.Optional(c.Type(str))
    """The environment variable holding a password, where the platform needs one."""
    web_url = c.Optional(HttpUrl())
    """Where readers open threads, when it differs from ``api_url`` (Discourse, Chatter)."""


class PlatformsConfig(StrictConfig):
    """Options under ``platforms:``: one optional section per platform."""

    yammer = OptionalSubConfig(PlatformConfig)
    """Viva Engage (Yammer)."""
    teams = OptionalSubConfig(PlatformConfig)
    """Microsoft Teams (Graph)."""
    sharepoint = OptionalSubConfig(PlatformConfig)
    """SharePoint news comments."""
    slack = OptionalSubConfig(PlatformConfig)
    """Slack."""
    discourse = OptionalSubConfig(PlatformConfig)
    """Discourse."""
    jive = OptionalSubConfig(PlatformConfig)
    """Jive."""
    chatter = OptionalSubConfig(PlatformConfig)
    """Salesforce Chatter."""


class InsightsConfig(StrictConfig):
    """Options of the engagement report and the leaders' inbox (``insights:``)."""

    publish = c.Type(bool, default=False)
    """Also build the report under ``/insights/`` and the inboxes under
    ``/insights/inbox/<key>/`` (off: per-leader metrics are personal data too)."""
    min_group = c.Type(int, default=5)
    """Figures from fewer distinct people are suppressed; cannot be set below 5."""
    target_posts_per_week = c.Type((int, float), default=2)
    """The posting cadence each leader is compared with."""


class SmtpConfig(StrictConfig):
    """Options under ``digest.smtp:``: the company's mail relay."""

    host = c.Optional(c.Type(str))
    """The relay's host name; without it the digest sends no email."""
    port = c.Optional(c.Type(int))
    """Default: 587 with STARTTLS, 465 with implicit TLS, 25 without TLS."""
    starttls = c.Optional(c.Type(bool))
    """Upgrade the connection with STARTTLS (the default unless ``implicit_tls``)."""
    implicit_tls = c.Type(bool, default=False)
    """TLS from the first byte (SMTPS, port 465)."""
    username_env = c.Optional(c.Type(str))
    """The environment variable holding the login name (never the login itself)."""
    password_env = c.Optional(c.Type(str))
    """The environment variable holding the password."""
    ca_file = c.Optional(c.Type(str))
    """A PEM file of the CA that signs the relay's certificate (relative to ``mkdocs.yml``)."""
    timeout_seconds = c.Type((int, float), default=30)
    """Per network operation."""


class DigestConfig(StrictConfig):
    """Options under ``digest:``: the email digest and the Teams channel post."""

    enabled = c.Type(bool, default=True)
    """Set to ``false`` to keep the configuration but send nothing."""
    schedule = c.Choice(("weekly", "daily"), default="weekly")
    """At most one digest per calendar week (Monday to Sunday) or day, in ``timezone``."""
    smtp = c.SubConfig(SmtpConfig)
    """The mail relay (see ``SmtpConfig``)."""
    # ``from`` is a Python keyword, so it cannot be written as an attribute here.
    vars()["from"] = c.Optional(c.Type(str))
    """The sender: ``Leadership blog <blog@example.com>``."""
    to = c.Optional(c.Type((str, list)))
    """One address or a list (distribution lists): every one is on the ``To`` line."""
    reply_to = c.Optional(c.Type(str))
    """Where replies go (e.g. the comms team)."""
    unsubscribe = c.Optional(c.Type(str))
    """``mailto:`` or ``https:`` URL for the ``List-Unsubscribe`` header (required with smtp)."""
    teams_webhook_env = c.Optional(c.Type(str))
    """The environment variable holding the Teams Workflows webhook URL (a secret)."""
    teams_timeout_seconds = c.Type((int, float), default=30)
    """Per request to the webhook."""
    teams_retries = c.SubConfig(WebhookRetriesConfig)
    """Retries of the webhook post, like a platform's ``retries``."""
    title = c.Optional(c.Type(str))
    """Subject and heading (default: ``<blog_title>: the week's digest``)."""
    intro = c.Type(str, default="")
    """A short paragraph under the heading (blank lines separate paragraphs)."""
    max_posts = c.Type(int, default=10)
    """New posts listed in the email; more are counted. The Teams card lists at most 5."""


class FiresideConfig(StrictConfig):
    """Options of the ``fireside`` plugin in ``mkdocs.yml``."""

    enabled = c.Type(bool, default=True)
    """Set to ``false`` to build the site without the blog."""
    timezone = TimeZone(default="UTC")
    """IANA time zone for naive dates in front matter (``Europe/London``)."""
    now = c.Optional(c.Type(str))
    """Pretend the build runs at this date (previews, tests); ``$FIRESIDE_NOW`` also works."""

    blog_dir = c.Type(str, default="")
    """URL prefix of every blog page; empty puts the blog index at the site root."""
    blog_title = c.Type(str, default="Blog")
    """Title of the blog index."""

    posts_dir = c.Type(str, default="posts")
    """Folder of posts inside ``docs_dir``."""
    post_url_format = c.Type(str, default="posts/{slug}")
    """A post's URL: placeholders ``{slug}``, ``{yyyy}``, ``{mm}``, ``{dd}``, ``{file}``."""
    post_readtime_words_per_minute = WholeNumber(265, minimum=1)
    """Reading speed used for the computed reading time."""
    post_slugify = SlugFunction(default=slugify)
    """Makes a post's slug from its title: ``(text, separator) -> slug``, as in
    mkdocs-material (``pymdownx.slugs.slugify(case="lower")`` works too)."""
    post_slugify_separator = c.Type(str, default="-")
    """The separator handed to ``post_slugify``."""
    categories_slugify = SlugFunction(default=slugify)
    """Makes the URL of a category or tag page from its name."""
    categories_slugify_separator = c.Type(str, default="-")
    """The separator handed to ``categories_slugify``."""

    pagination_per_page = WholeNumber(10, minimum=1)
    """Posts per page of the blog index (cards with excerpts)."""
    listing_per_page = WholeNumber(100, minimum=1)
    """Posts per page of archive, category, tag and author pages (compact rows, so a long
    page reads well, and every generated page costs a whole theme render)."""
    archive = c.Type(bool, default=True)
    """Build yearly archive pages."""
    categories = c.Type(bool, default=True)
    """Build category pages."""
    categories_allowed = c.Optional(c.ListOfItems(c.Type(str)))
    """When set, a post's categories must come from this list."""
    tags = c.Type(bool, default=True)
    """Build tag pages."""
    authors_file = c.Type(str, default=".authors.yml")
    """Authors file inside ``docs_dir`` (mkdocs-material's format)."""
    authors_profiles = c.Type(bool, default=True)
    """Build one page per author."""

    qa_dir = c.Type(str, default="qa")
    """Folder of Q&A sessions inside ``docs_dir``."""
    qa_url_format = c.Type(str, default="qa/{slug}")
    """A Q&A session's URL (same placeholders as ``post_url_format``)."""

    feeds = c.SubConfig(FeedsConfig)
    """RSS, Atom and JSON feeds, the OPML file and the Subscribe page."""
    discussions = c.SubConfig(DiscussionsConfig)
    """Discussion panel options, shared with ``fireside sync``."""
    sync = c.SubConfig(SyncConfig)
    """Sync schedule, read by ``fireside sync``."""
    platforms = c.SubConfig(PlatformsConfig)
    """Platform endpoints and credentials' variables, read by ``fireside sync``."""
    insights = c.SubConfig(InsightsConfig)
    """The engagement report and inbox (``fireside insights``/``inbox``); see the README."""
    editor = c.SubConfig(EditorConfig)
    """The web editor (Decap CMS) under ``/admin/``; see ``EditorConfig``."""
    digest = c.SubConfig(DigestConfig)
    """The email digest and the Teams post of ``fireside digest``; see ``DigestConfig``."""
    cache = c.Type(bool, default=True)
    """Reuse each unchanged page's converted HTML from ``.cache/fireside/`` beside
    ``mkdocs.yml``; ``fireside cache clear`` empties it."""
