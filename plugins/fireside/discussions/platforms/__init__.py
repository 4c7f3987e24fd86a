"""The platform registry: everything Fireside knows about each discussion platform, in one place.

A platform is one entry here (a module beside this one that defines ``PLATFORM``) plus one
sync adapter module in ``fireside_sync.platforms``. The entry holds the platform's name as
readers know it, the hosts it recognises, its link parser (every URL form a user pastes, and
the short ``platform:id`` form), its mention syntax, its adapter and its default connection
settings. Front-matter validation, the build, sync and the editor all read it, so a link means
the same thing everywhere.

Pure and offline: nothing here imports MkDocs, ``requests`` or the sync package.
"""

from __future__ import annotations

import importlib
import re
import urllib.parse
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

__all__ = [
    "PLATFORMS",
    "Defaults",
    "Platform",
    "ReferenceProblem",
    "Registry",
    "ThreadRef",
    "display_name",
    "id_problem",
    "parse_reference",
]

RefKind = Literal["thread", "message", "page"]
"""``thread``: the id is the thread's; ``message``/``page``: the sync adapter resolves it."""


class ReferenceProblem(ValueError):
    """A ``discussion:`` value that names no thread; the message tells the author what to do."""


@dataclass(frozen=True)
class ThreadRef:
    """A parsed ``discussion:`` reference."""

    platform: str
    kind: RefKind
    id: str

    @property
    def key(self) -> str:
        """The key under which the sync state records a resolved reference."""
        return f"{self.platform}:{self.kind}:{self.id}"

    def thread_id(self, resolved: Mapping[str, str]) -> str | None:
        """The thread id, looking a permalink up in the sync state's ``resolved`` map."""
        return self.id if self.kind == "thread" else resolved.get(self.key)


@dataclass(frozen=True)
class Defaults:
    """A platform's default connection settings (its documented limits)."""

    api_url: str
    rate_requests: int
    rate_per_seconds: float
    auth: Literal["token", "entra", "basic"] = "token"


@dataclass(frozen=True)
class Platform:
    """One discussion platform."""

    name: str
    """The key in ``platforms:``, ``platform:id`` and ``.authors.yml``'s ``platforms``."""
    display_name: str
    """As readers know it: "Join the discussion on …"."""
    hosts: tuple[str, ...]
    """Host names (and their subdomains) whose links belong to this platform."""
    parse_url: Callable[[urllib.parse.SplitResult], ThreadRef | None]
    """A link on one of its hosts → the thread; ``None`` when the link is not this platform's.

    Raises ``ReferenceProblem`` when the link is this platform's but names no thread."""
    parse_id: Callable[[str], ThreadRef]
    """The ``id`` of the short ``platform:id`` form; raises ``ReferenceProblem``."""
    short_form: str
    """The short form as the author writes it, for messages: ``yammer:<thread id>``."""
    adapter: str
    """``module:Class`` of the sync adapter, imported only by ``fireside sync``."""
    defaults: Defaults
    thread_url: Callable[[ThreadRef], str | None] = lambda ref: None
    """The live thread's address when there is no snapshot yet (``None``: unknown)."""
    mention: re.Pattern[str] | None = None
    """A mention token in a stored body; group 1 is the mentioned user's platform id."""
    self_hosted: bool = False
    """The host of the configured ``api_url`` is the platform's host too."""
    id_pattern: str = r"\S+"
    """A regular expression for the short form's id (used by the web editor's field check)."""

    def load_adapter(self) -> Callable[..., object]:
        """Import and return the sync adapter's class (sync only)."""
        module, _, name = self.adapter.partition(":")
        return getattr(importlib.import_module(module), name)  # type: ignore[no-any-return]


def _load() -> dict[str, Platform]:
    """Collect ``PLATFORM`` from each platform module, in the order readers see them."""
    platforms: dict[str, Platform] = {}
    for module in _MODULES:
        entry: Platform = importlib.import_module(f"{__name__}.{module}").PLATFORM
        platforms[entry.name] = entry
    return platforms


#: One line per platform.
_MODULES = ("yammer", "teams", "sharepoint")

#: Every platform, by name.
PLATFORMS: Mapping[str, Platform] = _load()

_SHORT = re.compile(r"^([a-z]+):(\S.*)$")


def display_name(platform: str) -> str:
    """The platform's name as readers know it."""
    entry = PLATFORMS.get(platform)
    return entry.display_name if entry else platform.capitalize()


@dataclass(frozen=True)
class Registry:
    """The platforms as this site configures them: self-hosted platforms add their host."""

    platforms: Mapping[str, Platform] = field(default_factory=lambda: PLATFORMS)
    extra_hosts: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Platform name → further hosts, from the configured ``api_url`` of self-hosted ones."""

    @classmethod
    def configured(cls, api_urls: Mapping[str, str]) -> Registry:
        """The registry for a site whose ``platforms:`` section sets these ``api_url``s."""
        extra: dict[str, tuple[str, ...]] = {}
        for name, url in api_urls.items():
            entry = PLATFORMS.get(name)
            host = (urllib.parse.urlsplit(url).hostname or "").lower()
            if entry is not None and entry.self_hosted and host:
                extra[name] = (host,)
        return cls(PLATFORMS, extra)

    def hosts(self, platform: Platform) -> tuple[str, ...]:
        """Every host whose links belong to ``platform`` on this site."""
        return platform.hosts + self.extra_hosts.get(platform.name, ())

    def for_host(self, host: str) -> Iterable[Platform]:
        """The platforms that claim ``host`` (or a parent domain of it)."""
        host = host.lower().rstrip(".")
        for platform in self.platforms.values():
            if any(host == h or host.endswith("." + h) for h in self.hosts(platform)):
                yield platform

    def parse(self, text: str) -> ThreadRef:
        """Parse one ``discussion:`` value: a pasted link or ``platform:id``.

        Raises:
            ReferenceProblem: The value names no thread of a known platform; the message
                says what to paste instead.
        """
        text = text.strip()
        if re.match(r"^[a-z][a-z0-9+.-]*://", text, re.IGNORECASE):
            return _safe(self._parse_url(text))
        match = _SHORT.match(text)
        if match and match.group(1) in self.platforms:
            return _safe(self.platforms[match.group(1)].parse_id(match.group(2).strip()))
        forms = " or ".join(p.short_form for p in self.platforms.values())
        raise ReferenceProblem(f"{_shorten(text)} is neither a thread link nor platform:id; "
                               f"paste the thread's link copied from the platform, or write "
                               f"{forms}")

    def parse_all(self, value: str | Sequence[str]) -> tuple[ThreadRef, ...]:
        """Parse a ``discussion:`` value that may be a list of links."""
        items = [value] if isinstance(value, str) else list(value)
        return tuple(self.parse(item) for item in items)

    def _parse_url(self, text: str) -> ThreadRef:
        parts = urllib.parse.urlsplit(text)
        if parts.scheme.lower() not in ("http", "https"):
            raise ReferenceProblem(f"{_shorten(text)} is not a web link; paste the thread's "
                                   "https:// link")
        host = (parts.hostname or "").lower()
        problem: ReferenceProblem | None = None
        for platform in self.for_host(host):
            try:
                ref = platform.parse_url(parts)
            except ReferenceProblem as exc:
                problem = problem or exc
                continue
            if ref is not None:
                return ref
        if problem is not None:
            raise problem
        names = ", ".join(p.display_name for p in self.platforms.values())
        raise ReferenceProblem(f"the link {_shorten(text)} is not a discussion thread of a "
                               f"configured platform ({names}); paste the thread's link from "
                               "the platform, or write platform:id")

    def live_url(self, ref: ThreadRef, reference: str) -> str | None:
        """The live thread's address when there is no snapshot: the pasted link, if any."""
        if reference.strip().lower().startswith(("http://", "https://")):
            return reference.strip()
        return self.platforms[ref.platform].thread_url(ref) if ref.platform in self.platforms \
            else None


def parse_reference(text: str, registry: Registry | None = None) -> ThreadRef:
    """Parse one ``discussion:`` value with ``registry`` (default: built-in hosts only).

    Raises:
        ReferenceProblem: As ``Registry.parse``.
    """
    return (registry or Registry()).parse(text)


#: A thread id (or one ``/``-separated part of a reference's id) becomes a file name and a
#: request path segment: no separator, space, control character or leading dot.
_SAFE_ID = re.compile(r"^[^./\\\x00-\x20\x7f][^/\\\x00-\x20\x7f]{0,199}$")


def id_problem(ident: str, *, reference: bool = False) -> str | None:
    """Why ``ident`` cannot be a thread id, or ``None``: the same rule for every platform.

    Applied to every parsed reference (whatever a platform's own parser accepts), and by sync
    to ids read back from its state file and resolved from answers, so no id can carry a path
    (``../``) into a snapshot's file name or an API request. With ``reference``, ``/`` may
    separate parts (a reference such as a Teams ``channel/message`` pair is resolved by its
    adapter into a thread id).
    """
    parts = ident.split("/") if reference else [ident]
    if len(ident) > 300 or not all(_SAFE_ID.match(part) for part in parts):
        return (f"the id {ident[:40]!r} has a space, a backslash, a control character, an "
                "empty or '..' part, or a leading dot; expected the id the platform shows")
    return None


def _safe(ref: ThreadRef) -> ThreadRef:
    if problem := id_problem(ref.id, reference=True):
        raise ReferenceProblem(f"{ref.platform}: {problem}")
    return ref


def _shorten(text: str) -> str:
    return repr(text if len(text) <= 80 else text[:77] + "...")
