"""The suppression rule: no figure derived from fewer than ``min_group`` people is shown.

Engine-independent. ``min_group`` defaults to 5 and cannot be set lower (Viva Glint and Viva
Insights use the same floor). A suppressed figure is ``None`` in the data, ``null`` in JSON
with the field named in its row's ``suppressed`` list, and "fewer than 5" on the pages.
"""

from __future__ import annotations

from collections.abc import Iterable, MutableMapping
from typing import Any

from fireside.core.errors import ConfigError

__all__ = ["MIN_GROUP", "PrivacyError", "blank", "check_min_group", "suppress", "suppressed_label",
           "too_small"]

#: The smallest group whose figures may be shown; ``insights.min_group`` cannot go below it.
MIN_GROUP = 5


class PrivacyError(ConfigError):
    """A privacy setting is below the floor."""


def check_min_group(value: int) -> int:
    """Return ``value`` when it is a whole number of at least ``MIN_GROUP``.

    Raises:
        PrivacyError: The value is lower (or not a whole number).
    """
    if isinstance(value, bool) or not isinstance(value, int) or value < MIN_GROUP:
        raise PrivacyError(f"option 'insights.min_group' is {value!r}; expected a whole number "
                           f"of at least {MIN_GROUP} (figures from fewer people are never shown)")
    return value


def too_small(people: int, min_group: int) -> bool:
    """Whether a group of ``people`` distinct people is too small to show (0 reveals no one)."""
    return 0 < people < min_group


def suppress(row: MutableMapping[str, Any], fields: Iterable[str], people: int,
             min_group: int) -> None:
    """Blank ``fields`` of ``row`` and list them in ``row["suppressed"]`` when the group of
    ``people`` is too small."""
    if too_small(people, min_group):
        blank(row, fields)


def blank(row: MutableMapping[str, Any], fields: Iterable[str]) -> None:
    """Set ``fields`` of ``row`` to ``None`` and list them in ``row["suppressed"]``."""
    listed: list[str] = row.setdefault("suppressed", [])
    for name in fields:
        row[name] = None
        if name not in listed:
            listed.append(name)
    listed.sort()


def suppressed_label(min_group: int) -> str:
    """How a suppressed figure reads on a page."""
    return f"fewer than {min_group}"
