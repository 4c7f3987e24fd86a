"""The sync's one error boundary: every expected failure is a ``SyncError`` with context."""

from __future__ import annotations

from fireside.core.errors import ConfigError as CoreConfigError
from fireside.core.errors import FiresideError


class SyncError(FiresideError):
    """An expected failure, worded for the comms team; never shown with a traceback.

    Attributes:
        platform: The platform involved, if any.
        thread: The thread id involved, if any.
        post: The post file involved, if any.
    """

    def __init__(self, message: str, *, platform: str | None = None, thread: str | None = None,
                 post: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.platform = platform
        self.thread = thread
        self.post = post

    def __str__(self) -> str:
        where = ":".join(p for p in (self.platform, self.thread) if p)
        prefix = f"{self.post}: " if self.post else ""
        return f"{prefix}{where + ': ' if where else ''}{self.message}"


class ConfigError(SyncError, CoreConfigError):
    """The configuration, the content or the environment stops the run before any request."""


class LockError(SyncError):
    """Another sync holds the lock on the snapshots folder."""


class ThreadReferenceError(SyncError):
    """A ``discussion:`` value names no thread we can parse."""


class HttpError(SyncError):
    """A request failed for good (after retries, where retrying makes sense).

    Attributes:
        status: The HTTP status, or ``None`` for connection errors and timeouts.
        kind: A short classification: ``auth``, ``forbidden``, ``not_found``, ``rate_limited``,
            ``server``, ``connection``, ``timeout``, ``bad_response``, ``http`` or
            ``not_tried`` (left alone after several transient failures in a row).
    """

    def __init__(self, message: str, *, kind: str, status: int | None = None,
                 platform: str | None = None, thread: str | None = None) -> None:
        super().__init__(message, platform=platform, thread=thread)
        self.kind = kind
        self.status = status


class BadPayload(SyncError):
    """The platform answered, but not with the documented shape."""
