"""Front-matter and ``.authors.yml`` schema: one declarative table, validated without MkDocs.

The same table drives validation (build, ``fireside check``, sync) and the editor's generated
configuration, so a field is described once.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from fireside.core.errors import Problem
from fireside.discussions.platforms import PLATFORMS, ReferenceProblem, Registry


@dataclass(frozen=True)
class Field:
    """One front-matter field: its name, kind, whether it is required, and its documentation."""

    name: str
    kind: str
    """One of ``string``, ``text``, ``date``, ``authors``, ``strings``, ``bool``, ``int``,
    ``discussion``, ``status``, ``links``."""
    doc: str
    required: bool = False
    example: str = ""
    """A valid value, quoted in messages and used by the editor as a hint."""

    def expected(self) -> str:
        """What the field expects, for messages."""
        return f"e.g. {self.name}: {self.example}" if self.example else self.doc


POST_FIELDS: tuple[Field, ...] = (
    Field("title", "string", "The post's title (else the first `# heading`)."),
    Field("date", "date", "Publication date: a datetime, or `{created, updated}`.", required=True,
          example="2025-03-14 09:30"),
    Field("authors", "authors", "Author keys from `.authors.yml`, at least one.", required=True,
          example="[ceo]"),
    Field("categories", "strings", "Categories (from the allow-list when one is configured)."),
    Field("tags", "strings", "Free-form tags."),
    Field("description", "text", "One-sentence summary for cards, feeds and search."),
    Field("slug", "string", "The URL slug (default: from the title)."),
    Field("draft", "bool", "`true` keeps the post out of `mkdocs build`."),
    Field("pin", "bool", "`true` lists the post first on the blog index."),
    Field("readtime", "int", "Reading time in minutes (default: computed)."),
    Field("discussion", "discussion", "The thread URL from the platform, or `platform:id`; "
          "a list of them when the post is discussed in several places."),
    Field("comments", "bool", "`false` hides the discussion panel."),
    Field("links", "links", "Related links (accepted for mkdocs-material compatibility)."),
)

QA_FIELDS: tuple[Field, ...] = (
    Field("title", "string", "The session's title (else the first `# heading`)."),
    Field("date", "date", "When the session runs.", required=True, example="2025-03-14 16:00"),
    Field("hosts", "authors", "Author keys of the hosts who answer.", required=True,
          example="[ceo]"),
    Field("discussion", "discussion", "The 'ask me anything' thread."),
    Field("status", "status", "`open` or `closed`."),
    Field("description", "text", "One-sentence summary."),
    Field("slug", "string", "The URL slug (default: from the title)."),
    Field("draft", "bool", "`true` keeps the session out of `mkdocs build`."),
    Field("tags", "strings", "Free-form tags."),
)

#: Keys mkdocs / mkdocs-material themselves understand on any page; accepted without a warning.
PAGE_KEYS = frozenset({"template", "hide", "search", "status", "subtitle", "icon", "social"})

AUTHOR_KEYS = frozenset(
    {"name", "description", "avatar", "url", "email", "platforms", "slug"}
)


@dataclass(frozen=True)
class Dates:
    """A post's dates, tz-aware."""

    created: dt.datetime
    updated: dt.datetime | None = None


@dataclass(frozen=True)
class PostMeta:
    """Validated post (or Q&A session) front matter."""

    title: str | None
    dates: Dates
    authors: tuple[str, ...]
    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    description: str | None = None
    slug: str | None = None
    draft: bool = False
    pin: bool = False
    readtime: int | None = None
    discussion: tuple[str, ...] = ()
    """The ``discussion:`` links, as written (checked against the platform registry)."""
    comments: bool = True
    status: str | None = None


@dataclass(frozen=True)
class Author:
    """One entry of ``.authors.yml``."""

    key: str
    name: str
    description: str = ""
    avatar: str | None = None
    url: str | None = None
    email: str | None = None
    platforms: Mapping[str, str] | None = None


@dataclass(frozen=True)
class Rules:
    """Site-wide rules the schema checks against."""

    timezone: ZoneInfo
    authors: frozenset[str] | None
    """Known author keys, or ``None`` when ``.authors.yml`` itself is broken (no cascade)."""
    categories: frozenset[str] | None = None
    """The allow-list, or ``None`` to accept any category."""
    registry: Registry = dataclasses.field(default_factory=Registry)
    """The discussion platforms as this site configures them."""


class _Report:
    """Collects problems for one file, attaching YAML line numbers."""

    def __init__(self, path: str, lines: Mapping[str, int]) -> None:
        self.path = path
        self.lines = lines
        self.problems: list[Problem] = []

    def error(self, field: str | None, message: str) -> None:
        self.problems.append(Problem(self.path, field, message, self._line(field)))

    def warning(self, field: str | None, message: str) -> None:
        self.problems.append(Problem(self.path, field, message, self._line(field), "warning"))

    def _line(self, field: str | None) -> int | None:
        if not field:
            return None
        return self.lines.get(field) or self.lines.get(field.split(".")[0])


def _show(value: Any) -> str:
    """Render a bad value for a message, shortened."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


#: Dates outside these years are refused (a typo, and they break UTC and timestamps).
MIN_YEAR, MAX_YEAR = 1900, 9998
_DATE_FORMS = "a date like 2025-03-14 or a datetime like 2025-03-14 09:30"
_DATE_RE = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ Tt](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*"
    r"(Z|[+-]\d{2}:?\d{2})?$"
)


def parse_date(value: Any, tz: ZoneInfo) -> dt.datetime | None:
    """Return ``value`` as a tz-aware datetime (naive values are in ``tz``), or ``None``."""
    if isinstance(value, dt.datetime):
        return _in_range(value if value.tzinfo else value.replace(tzinfo=tz))
    if isinstance(value, dt.date):
        return _in_range(dt.datetime.combine(value, dt.time(), tzinfo=tz))
    if not isinstance(value, str):
        return None
    match = _DATE_RE.match(value.strip())
    if not match:
        return None
    year, month, day, hour, minute, second, offset = match.groups()
    try:
        zone: dt.tzinfo = tz
        if offset:
            if offset == "Z":
                zone = dt.UTC
            else:
                sign = 1 if offset[0] == "+" else -1
                digits = offset[1:].replace(":", "")
                delta = dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
                zone = dt.timezone(sign * delta)
        return _in_range(dt.datetime(
            int(year), int(month), int(day),
            int(hour or 0), int(minute or 0), int(second or 0), tzinfo=zone,
        ))
    except ValueError:
        return None


def _in_range(value: dt.datetime) -> dt.datetime | None:
    """``value`` if every later step (UTC, timestamps, feeds) can handle it, else ``None``.

    ``0001-01-01T00:00:00+05:00`` is a valid datetime whose UTC form is before year 1.
    """
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        return None
    try:
        value.astimezone(dt.UTC).timestamp()
    except (OverflowError, ValueError, OSError):
        return None
    return value


def _string(report: _Report, name: str, value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    report.error(name, f"got {_show(value)}; expected a non-empty text")
    return None


def _strings(report: _Report, name: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str) and "," in value:
        listed = ", ".join(p.strip() for p in value.split(",") if p.strip())
        report.error(name, f"got {_show(value)}, one text; write a list: {name}: [{listed}]")
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        report.error(name, f"got {_show(value)}; expected a list such as [Strategy, People]")
        return ()
    items: list[str] = []
    for item in value:
        if not isinstance(item, str | int) or isinstance(item, bool) or not str(item).strip():
            report.error(name, f"got {_show(item)} in the list; expected a text")
            continue
        text = str(item).strip()
        if text in items:
            report.warning(name, f"{text!r} is listed twice")
            continue
        items.append(text)
    return tuple(items)


def _bool(report: _Report, name: str, value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    report.error(name, f"got {_show(value)}; expected true or false")
    return None


def _dates(report: _Report, name: str, value: Any, rules: Rules) -> Dates | None:
    if isinstance(value, dict):
        unknown = sorted(str(k) for k in value if k not in ("created", "updated"))
        if unknown:
            report.warning(name, f"unknown date key(s) {', '.join(unknown)}; "
                                 "expected 'created' and optionally 'updated'")
        if "created" not in value:
            report.error(name, "is a mapping without 'created'; expected {created: 2025-03-14}")
            return None
        created = _one_date(report, f"{name}.created", value["created"], rules)
        updated = None
        if value.get("updated") is not None:
            updated = _one_date(report, f"{name}.updated", value["updated"], rules)
        if created and updated and updated < created:
            report.error(f"{name}.updated", "is before date.created; expected a later date")
        return Dates(created, updated) if created else None
    created = _one_date(report, name, value, rules)
    return Dates(created) if created else None


def _one_date(report: _Report, name: str, value: Any, rules: Rules) -> dt.datetime | None:
    parsed = parse_date(value, rules.timezone)
    if parsed is None:
        report.error(name, f"got {_show(value)}; expected {_DATE_FORMS}")
    return parsed


def _authors(report: _Report, name: str, value: Any, rules: Rules) -> tuple[str, ...]:
    keys = _strings(report, name, value)
    if isinstance(value, list | str) and not keys:
        report.error(name, "is empty; expected at least one author key from .authors.yml")
    for key in keys:
        if rules.authors is not None and key not in rules.authors:
            known = ", ".join(sorted(rules.authors)) or "none defined"
            report.error(name, f"unknown author {key!r}; expected a key of .authors.yml ({known})")
    return keys


def _discussion(report: _Report, name: str, value: Any, rules: Rules) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    links: list[str] = []
    for item in items:
        if not isinstance(item, str) or not item.strip():
            report.error(name, f"got {_show(item)}; expected the thread's link copied from the "
                               f"platform, or platform:id with a platform of "
                               f"{', '.join(rules.registry.platforms)}")
            continue
        try:
            rules.registry.parse(item)
        except ReferenceProblem as exc:
            report.error(name, str(exc))
            continue
        links.append(item.strip())
    return tuple(links)


def _int(report: _Report, name: str, value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    report.error(name, f"got {_show(value)}; expected a whole number of minutes above 0")
    return None


Validator = Callable[[_Report, str, Any, Rules], Any]

_VALIDATORS: dict[str, Validator] = {
    "string": lambda r, n, v, _: _string(r, n, v),
    "text": lambda r, n, v, _: _string(r, n, v),
    "date": _dates,
    "authors": _authors,
    "strings": lambda r, n, v, _: _strings(r, n, v),
    "bool": lambda r, n, v, _: _bool(r, n, v),
    "int": lambda r, n, v, _: _int(r, n, v),
    "discussion": _discussion,
    "status": lambda r, n, v, _: v if v in ("open", "closed") else r.error(
        n, f"got {_show(v)}; expected open or closed"),
    "links": lambda r, n, v, _: v,
}


def validate_meta(
    meta: Mapping[Any, Any],
    *,
    path: str,
    lines: Mapping[str, int],
    rules: Rules,
    qa: bool = False,
) -> tuple[PostMeta | None, list[Problem]]:
    """Validate the front matter of a post (or, with ``qa``, a Q&A session).

    Arguments:
        meta: The parsed YAML mapping.
        path: The file, for messages.
        lines: 1-based line of each top-level key.
        rules: Time zone, known authors and the category allow-list.
        qa: Validate against the Q&A session schema.

    Returns:
        The validated metadata (``None`` when any error was found) and every problem.
    """
    report = _Report(path, lines)
    fields = QA_FIELDS if qa else POST_FIELDS
    known = {f.name: f for f in fields}
    values: dict[str, Any] = {}
    for key in meta:
        if not isinstance(key, str):
            report.error(None, f"front-matter key {_show(key)} is not a name; expected text keys")
            continue
        field = known.get(key)
        if field is None:
            if key not in PAGE_KEYS:
                names = ", ".join(sorted(known))
                report.warning(key, f"unknown field (a typo?); known fields are {names}")
            continue
        if meta[key] is None or meta[key] == "":  # editors write "" for a cleared field
            if field.required:
                report.error(key, f"is empty; expected a value, {field.expected()}")
            continue
        values[key] = _VALIDATORS[field.kind](report, key, meta[key], rules)
    if qa and len(values.get("discussion") or ()) > 1:
        report.error("discussion", "a Q&A session has one thread; keep the link of the thread "
                                   "where the questions are asked")
    for field in fields:
        if field.required and field.name not in meta:
            report.error(field.name, f"is missing; expected a value, {field.expected()}")
    categories = values.get("categories") or ()
    if rules.categories is not None:
        for category in categories:
            if category not in rules.categories:
                allowed = ", ".join(sorted(rules.categories))
                report.error("categories",
                             f"{category!r} is not an allowed category; expected one of {allowed}")
    if any(p.severity == "error" for p in report.problems):
        return None, report.problems
    return (
        PostMeta(
            title=values.get("title"),
            dates=values["date"],
            authors=values.get("hosts" if qa else "authors") or (),
            categories=categories,
            tags=values.get("tags") or (),
            description=values.get("description"),
            slug=values.get("slug"),
            draft=bool(values.get("draft", False)),
            pin=bool(values.get("pin", False)),
            readtime=values.get("readtime"),
            discussion=values.get("discussion") or (),
            comments=values.get("comments", True) is not False,
            status=values.get("status"),
        ),
        report.problems,
    )


def validate_authors(
    data: Any, *, path: str, lines: Mapping[str, int]
) -> tuple[dict[str, Author], list[Problem]]:
    """Validate ``.authors.yml`` (mkdocs-material's format plus ``email`` and ``platforms``).

    ``lines`` maps ``"<key>"`` and ``"<key>.<field>"`` to 1-based lines.
    """
    report = _Report(path, lines)
    authors: dict[str, Author] = {}
    if not isinstance(data, dict) or not isinstance(data.get("authors"), dict):
        report.error(None, "expected a top-level 'authors:' mapping of author keys, e.g.\n"
                           "    authors:\n      ceo:\n        name: Dana Whitfield")
        return authors, report.problems
    for key, entry in data["authors"].items():
        where = str(key)
        if not isinstance(entry, dict):
            report.error(where, f"got {_show(entry)}; expected a mapping with at least 'name'")
            continue
        for extra in sorted(set(map(str, entry)) - AUTHOR_KEYS):
            report.warning(f"{where}.{extra}",
                           f"unknown field; known fields are {', '.join(sorted(AUTHOR_KEYS))}")
        name = entry.get("name")
        if not isinstance(name, str) or not name.strip():
            report.error(f"{where}.name", f"got {_show(name)}; expected the author's full name")
            continue
        texts: dict[str, str | None] = {}
        for field in ("description", "avatar", "url", "email"):
            value = entry.get(field)
            if value is not None and not isinstance(value, str):
                report.error(f"{where}.{field}", f"got {_show(value)}; expected a text")
                value = None
            texts[field] = value
        avatar = texts["avatar"]  # checked against docs_dir by content.load_authors
        email = texts["email"]
        if email and not re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", email):
            report.error(f"{where}.email", f"got {_show(email)}; expected an address like "
                                           "name@example.com")
        platforms = entry.get("platforms") or {}
        ids: dict[str, str] = {}
        if not isinstance(platforms, dict):
            report.error(f"{where}.platforms", f"got {_show(platforms)}; expected a mapping "
                                               "such as {yammer: 1234567}")
        else:
            for platform, ident in platforms.items():
                if platform not in PLATFORMS:
                    report.error(f"{where}.platforms", f"unknown platform {platform!r}; "
                                 f"expected one of {', '.join(PLATFORMS)}")
                elif not isinstance(ident, str | int) or isinstance(ident, bool):
                    report.error(f"{where}.platforms",
                                 f"got {_show(ident)} for {platform}; expected the user id")
                else:
                    ids[str(platform)] = str(ident)
        authors[str(key)] = Author(
            key=str(key), name=name.strip(), description=texts["description"] or "",
            avatar=avatar, url=texts["url"], email=email, platforms=ids,
        )
    return authors, report.problems
