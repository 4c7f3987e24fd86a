"""Fireside's interface language: its own strings, plurals and dates in ``theme.language``.

Strings are written in English in the code and templates; ``locales/<language>.yml`` maps
each to its translation. A plural is keyed by its English singular and maps CLDR plural
categories (``one``, ``few``, ``many``, ``other``) to forms, and Babel picks the category, so
Polish gets its three forms. Dates are Babel's ``long`` format in that locale. A string missing
from a catalog (or a language without one) falls back to English, with one warning each.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:
    from babel import Locale

LOCALES = Path(__file__).parent / "locales"
#: Shipped catalogs besides English (the source language).
LANGUAGES = ("de", "es", "fr", "nl", "pl")
#: English keeps the blog's existing date style, ``14 March 2026``, written without Babel (whose
#: locale data would be a few megabytes of every English build's memory).
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")

log = logging.getLogger(__name__)
#: libyaml's safe loader when the PyYAML wheel has it (the same data, several times faster).
_SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Catalog = Mapping[str, "str | Mapping[str, str]"]


@cache
def load_catalog(language: str) -> Catalog | None:
    """The catalog of ``language`` (``de``, ``pt_BR`` → ``pt``), or ``None`` when none ships."""
    for name in (language, language.split("_")[0].split("-")[0]):
        path = LOCALES / f"{name.lower()}.yml"
        if path.is_file():
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=_SAFE_LOADER) or {}
            if not isinstance(data, dict):
                raise ValueError(f"{path}: expected a mapping of English text to translations")
            return data
    return None


class Translator:
    """Translates Fireside's own text, plurals and dates into one language.

    Arguments:
        language: ``theme.language`` (``en`` when unset).
        warn: Called once per missing catalog or string (the adapter passes MkDocs' logger).
    """

    def __init__(self, language: str | None = None,
                 warn: Callable[[str], None] | None = None) -> None:
        self.language = (language or "en").replace("-", "_")
        self._warn = warn or log.warning
        self._warned: set[str] = set()
        self.locale: Locale | None = None
        """Babel's locale; ``None`` for English, which needs none."""
        if self.language.split("_")[0].lower() != "en":
            from babel import Locale, UnknownLocaleError

            try:
                self.locale = Locale.parse(self.language)
            except (UnknownLocaleError, ValueError):
                self._once(f"theme.language {language!r} is not a language Babel knows; "
                           "Fireside's dates and text are in English")
            else:
                if self.locale.language == "en":
                    self.locale = None
        self.english = self.locale is None
        self.catalog: Catalog = {}
        if not self.english:
            found = load_catalog(self.language)
            if found is None:
                self._once(f"Fireside has no translation for theme.language {language!r} "
                           f"(it ships en, {', '.join(LANGUAGES)}); its own text stays English")
            else:
                self.catalog = found

    def _once(self, message: str) -> None:
        if message not in self._warned:
            self._warned.add(message)
            self._warn(message)

    def _lookup(self, text: str) -> str | Mapping[str, str] | None:
        if self.english or not self.catalog:
            return None
        found = self.catalog.get(text)
        if found is None:
            self._once(f"no {self.language} translation for {text!r}; using English")
        return found

    def t(self, text: str, **values: Any) -> str:
        """``text`` in the language, with ``{name}`` placeholders filled from ``values``."""
        found = self._lookup(text)
        chosen = found if isinstance(found, str) else text
        return chosen.format(**values) if values else chosen

    def n(self, count: int, one: str, other: str | None = None, **values: Any) -> str:
        """A counted phrase: ``n(3, "{n} reply", "{n} replies")`` is ``3 replies``.

        ``one`` is the catalog key; ``other`` is the English plural (``one`` + ``s`` if omitted).
        """
        found = self._lookup(one)
        if isinstance(found, Mapping) and self.locale is not None:
            form = self.locale.plural_form(count)
            chosen = found.get(form) or found.get("other") or one
        else:
            chosen = one if count == 1 else (other or one + "s")
        return chosen.format(n=count, **values)

    def date(self, value: dt.datetime | dt.date | None, tz: dt.tzinfo | None = None) -> str:
        """A long date in the language (``14 March 2026``, ``14. März 2026``)."""
        if value is None:
            return ""
        if isinstance(value, dt.datetime) and tz is not None:
            value = value.astimezone(tz)
        if self.locale is None:
            return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"
        from babel.dates import format_date

        return format_date(value, format="long", locale=self.locale)

    def duration(self, value: dt.timedelta) -> str:
        """A rounded duration in words (``3 Stunden``), from Babel."""
        from babel.dates import format_timedelta

        return format_timedelta(value, threshold=1.5, locale=self.locale or "en")

    def datetime(self, value: dt.datetime | None, tz: dt.tzinfo | None = None) -> str:
        """A long date and a 24-hour time (``14 March 2026, 09:15``)."""
        if value is None:
            return ""
        local = value.astimezone(tz) if tz is not None else value
        if self.locale is None:
            time = f"{local.hour:02d}:{local.minute:02d}"
        else:
            from babel.dates import format_time

            time = format_time(local, format="HH:mm", locale=self.locale)
        return self.t("{date}, {time}", date=self.date(local), time=time)
