"""The ``insights:`` options, validated without MkDocs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from fireside.core.errors import ConfigError
from fireside.insights.privacy import MIN_GROUP, PrivacyError, check_min_group

__all__ = ["InsightsOptions", "OptionsError", "insights_options"]


class OptionsError(ConfigError):
    """An ``insights`` option is unknown or has an unusable value."""


@dataclass(frozen=True)
class InsightsOptions:
    """How the engagement report and the inbox are built."""

    publish: bool = False
    """Also build the pages into the site under ``/insights/`` (off: leader metrics are
    personal data too)."""
    min_group: int = MIN_GROUP
    """Figures from fewer distinct people are suppressed; at least 5."""
    target_posts_per_week: float = 2.0
    """The posting cadence each leader is compared with."""


def insights_options(raw: Mapping[str, Any] | None) -> InsightsOptions:
    """Validate the ``insights`` mapping of the fireside plugin options.

    Raises:
        OptionsError: An option is unknown or unusable; the message names it and the fix.
    """
    raw = raw or {}
    known = ("publish", "min_group", "target_posts_per_week")
    for key in raw:
        if key not in known:
            raise OptionsError(f"unknown option 'insights.{key}'; expected one of "
                               f"{', '.join(known)}")
    publish = raw.get("publish", False)
    if not isinstance(publish, bool):
        raise OptionsError(f"option 'insights.publish' is {publish!r}; expected true or false")
    try:
        min_group = check_min_group(raw.get("min_group", MIN_GROUP))
    except PrivacyError as exc:
        raise OptionsError(str(exc)) from None
    target = raw.get("target_posts_per_week", 2.0)
    if isinstance(target, bool) or not isinstance(target, int | float) or target <= 0:
        raise OptionsError(f"option 'insights.target_posts_per_week' is {target!r}; expected "
                           "a number above 0, such as 2")
    return InsightsOptions(publish=publish, min_group=min_group,
                           target_posts_per_week=float(target))
