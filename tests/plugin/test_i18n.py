"""Fireside's interface language: catalogs, Babel plurals and dates, and the English fallback."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml

from fireside.commands.cli import main
from fireside.core.i18n import LANGUAGES, LOCALES, Translator
from tests.conftest import Project

WHEN = dt.datetime(2026, 3, 14, 9, 30, tzinfo=dt.UTC)


@pytest.mark.parametrize(("language", "date", "replies"), [
    ("en", "14 March 2026", "3 replies"),
    ("de", "14. März 2026", "3 Antworten"),
    ("fr", "14 mars 2026", "3 réponses"),
    ("es", "14 de marzo de 2026", "3 respuestas"),
    ("nl", "14 maart 2026", "3 reacties"),
    ("pl", "14 marca 2026", "3 odpowiedzi"),
])
def test_dates_and_plurals_follow_the_language(language: str, date: str, replies: str) -> None:
    t = Translator(language, warn=pytest.fail)
    assert t.date(WHEN, ZoneInfo("Europe/London")) == date
    assert t.n(3, "{n} reply", "{n} replies") == replies


def test_polish_has_three_plural_forms_chosen_by_babel() -> None:
    t = Translator("pl", warn=pytest.fail)
    assert [t.n(n, "{n} post", "{n} posts") for n in (1, 2, 5, 22, 25)] == [
        "1 wpis", "2 wpisy", "5 wpisów", "22 wpisy", "25 wpisów"]


def test_every_catalog_has_the_same_entries_and_placeholders() -> None:
    catalogs = {lang: yaml.safe_load((LOCALES / f"{lang}.yml").read_text(encoding="utf-8"))
                for lang in LANGUAGES}
    keys = set(catalogs["de"])
    for lang, catalog in catalogs.items():
        assert set(catalog) == keys, lang
        for english, text in catalog.items():
            forms = text.values() if isinstance(text, dict) else [text]
            for form in forms:
                fields = {f for f in ("{n}", "{name}", "{title}", "{platform}") if f in english}
                assert all(f in form for f in fields), (lang, english, form)


def test_a_missing_translation_falls_back_to_english_with_one_warning() -> None:
    warnings: list[str] = []
    t = Translator("de", warn=warnings.append)
    assert t.t("Something new") == t.t("Something new") == "Something new"
    assert warnings == ["no de translation for 'Something new'; using English"]
    unknown: list[str] = []
    t = Translator("pt", warn=unknown.append)
    assert t.t("Draft") == "Draft" and t.n(2, "{n} reply", "{n} replies") == "2 replies"
    assert t.date(WHEN) == "14 de março de 2026"  # Babel still knows Portuguese dates
    assert len(unknown) == 1 and "no translation for theme.language 'pt'" in unknown[0]


def test_a_site_in_an_unshipped_language_builds_with_one_warning(project: Project) -> None:
    import subprocess
    import sys

    project.post("one")
    project.config_extra = {"theme": {"name": "material", "font": False, "language": "pt"}}
    config = project.config()
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build"], cwd=config.parent,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stderr.count("no translation for theme.language 'pt'") == 1
    assert "Continue reading" not in project.html("")  # the post fits its card
    assert "1 min read" in project.html("")


def test_new_writes_its_placeholders_in_the_site_language(project: Project) -> None:
    project.config_extra = {"theme": {"name": "material", "font": False, "language": "de"}}
    config = str(project.config())
    assert main(["new", "Kantine", "--author", "ceo", "-f", config]) == 0
    text = (project.docs / "posts/2026/2026-06-01-kantine.md").read_text(encoding="utf-8")
    assert "description: Ein Satz, der Kolleginnen und Kollegen neugierig macht." in text
    assert "## Was sich ändert" in text
    post = Path(project.docs / "posts/2026/2026-06-01-kantine.md")
    post.write_text(text.replace("draft: true\n", ""), encoding="utf-8")
    assert main(["check", "-f", config, "--strict"]) == 1  # German placeholders are caught too
