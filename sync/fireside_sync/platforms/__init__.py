"""The sync adapters, one module per platform, found through the platform registry.

What each platform is (name, hosts, link forms, mention syntax, defaults) lives in
``fireside.discussions.platforms``; this package holds only the code that talks to each API.
"""

from __future__ import annotations

from fireside.discussions.platforms import PLATFORMS, ReferenceProblem, Registry, ThreadRef
from fireside_sync.errors import ThreadReferenceError
from fireside_sync.platforms.base import AdapterFactory

__all__ = ["adapter_factory", "parse_reference"]


def adapter_factory(platform: str) -> AdapterFactory | None:
    """The adapter class of ``platform`` (imported on first use), or ``None`` if unknown."""
    entry = PLATFORMS.get(platform)
    return entry.load_adapter() if entry else None  # type: ignore[return-value]


def parse_reference(text: str, registry: Registry | None = None) -> ThreadRef:
    """Parse a ``discussion:`` value with the registry, for sync's error reporting.

    Raises:
        ThreadReferenceError: Nothing in ``text`` names a thread; the message says what to do.
    """
    try:
        return (registry or Registry()).parse(text)
    except ReferenceProblem as exc:
        raise ThreadReferenceError(str(exc)) from None
