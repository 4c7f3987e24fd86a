"""The comms team's moderation file: reply ids hidden everywhere on the site.

Format (``data/moderation.yml``)::

    hidden:
      - id: "3100000000000042"
        reason: personal data        # optional, for the record; never shown
      - "3100000000000057"           # a bare id works too

A hidden reply, and every reply beneath it, appears nowhere: not on pages, in feeds, in counts
or among the top replies. A configured file that is missing or malformed stops the build, so a
typo can never bring a hidden reply back.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from fireside.core.errors import ConfigError

__all__ = ["ModerationError", "load_hidden"]


class ModerationError(ConfigError):
    """The moderation file is missing or malformed; the message names the file and entry."""


def load_hidden(path: Path | None) -> frozenset[str]:
    """Return the hidden reply ids listed in ``path`` (none when no file is configured).

    Raises:
        ModerationError: The file is configured but missing, unreadable or malformed.
    """
    if path is None:
        return frozenset()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ModerationError(f"moderation file {path} cannot be read ({exc.strerror}); create "
                              "it with 'hidden: []' or remove the 'moderation' option") from None
    except yaml.YAMLError as exc:
        raise ModerationError(f"moderation file {path} is not valid YAML: {exc}") from None
    if data is None:
        return frozenset()
    if not isinstance(data, dict) or not isinstance(data.get("hidden", []), list):
        raise ModerationError(f"moderation file {path}: expected 'hidden:' followed by a list "
                              "of reply ids")
    unknown = sorted(set(data) - {"hidden"})
    if unknown:
        raise ModerationError(f"moderation file {path}: unknown key {unknown[0]!r}; expected "
                              "only 'hidden'")
    hidden: set[str] = set()
    for index, entry in enumerate(data.get("hidden") or []):
        ident = entry.get("id") if isinstance(entry, dict) else entry
        if isinstance(ident, bool) or not isinstance(ident, str | int) or not str(ident).strip():
            raise ModerationError(f"moderation file {path}: hidden[{index}] is {entry!r:.60}; "
                                  "expected a reply id such as \"3100000000000042\" or "
                                  "{id: ..., reason: ...}")
        hidden.add(str(ident).strip())
    return frozenset(hidden)
