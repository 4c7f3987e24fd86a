"""``fireside sync``: pull each post's discussion from the company's social platform."""

from __future__ import annotations

from fireside_sync.errors import ConfigError, HttpError, LockError, SyncError

__all__ = ["ConfigError", "HttpError", "LockError", "SyncError"]
