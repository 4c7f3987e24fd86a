"""Slugs keep every script's letters, can be configured like Material's, and never collide
silently."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort

from fireside.commands.cli import main
from fireside.core.urls import slugify
from tests.conftest import Project


@pytest.mark.parametrize(("text", "slug"), [
    ("Новости", "новости"),
    ("営業", "営業"),
    ("Straße", "straße"),
    ("Йога и здоровье", "йога-и-здоровье"),
    ("हिन्दी समाचार", "हिन्दी-समाचार"),
    ("Q3 results: növel", "q3-results-novel"),
    ("Łódź office", "łodz-office"),
    ("R&D", "r-d"),
    ("!!!", "post"),
])
def test_slugify_keeps_letters_of_every_script(text: str, slug: str) -> None:
    assert slugify(text) == slug


def _ascii_slug(text: str) -> str:  # the rule before Unicode slugs
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "post"


@pytest.mark.parametrize("text", [
    "Our Q3 results", "What\u2019s next \u2014 2027", "Café au lait", "Town Hall", "AI & you",
    "Gdańsk service centre opens: repairs in days, not weeks", "£750 a year", "🚀 Launch",
    "snake_case title", "  spaced  out  ",
])
def test_latin_titles_keep_the_slugs_they_had(text: str) -> None:
    assert slugify(text) == _ascii_slug(text)


def test_non_latin_categories_and_tags_get_their_own_pages(project: Project) -> None:
    project.post("news", categories=["Новости"], tags=["Straße"])
    project.post("sales", categories=["営業"], date="2026-01-16 09:00")
    site = project.build()
    assert "News" in (site / "category/новости/index.html").read_text(encoding="utf-8")
    assert "Sales" in (site / "category/営業/index.html").read_text(encoding="utf-8")
    assert (site / "tag/straße/index.html").is_file()
    assert not (site / "category/post").exists()


def test_a_slug_collision_is_an_error_naming_both_sources(
        project: Project, capsys: pytest.CaptureFixture[str],
        caplog: pytest.LogCaptureFixture) -> None:
    project.post("first", categories=["R&D"])
    project.post("second", categories=["R D"], date="2026-01-16 09:00")
    with pytest.raises(Abort):
        project.build()
    message = caplog.text
    assert ("content/posts/first.md: field 'categories': 'R&D' and 'R D' both make the page "
            "/category/r-d/ ('R D' is in content/posts/second.md)") in message \
        or ("content/posts/second.md: field 'categories': 'R D' and 'R&D' both make the page "
            "/category/r-d/ ('R&D' is in content/posts/first.md)") in message
    assert main(["check", "-f", str(project.root / "mkdocs.yml")]) == 1
    assert "both make the page /category/r-d/" in capsys.readouterr().err


def _config_with_slugify(project: Project, option: str) -> Path:
    path = project.config(**{option: "SLUGIFY"})
    tag = "!!python/object/apply:pymdownx.slugs.slugify {kwds: {case: lower}}"
    path.write_text(path.read_text(encoding="utf-8").replace("SLUGIFY", tag), encoding="utf-8")
    return path


def test_slug_functions_are_configurable_like_materials(project: Project) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    project.post("first", title="R&D: what\u2019s new", categories=["R&D"])
    project.post("second", categories=["R D"], date="2026-01-16 09:00")
    _config_with_slugify(project, "categories_slugify")
    text = (project.root / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.replace("categories_slugify:", "post_slugify: !!python/object/apply:"
                        "pymdownx.slugs.slugify {kwds: {case: lower}}\n    categories_slugify:")
    (project.root / "mkdocs.yml").write_text(text, encoding="utf-8")
    config = load_config(str(project.root / "mkdocs.yml"))
    build(config)
    site = project.site_dir
    assert (site / "category/rd/index.html").is_file()  # pymdownx drops '&'
    assert (site / "category/r-d/index.html").is_file()
    assert (site / "posts/rd-whats-new/index.html").is_file()


def test_a_slug_function_that_is_not_callable_is_a_configuration_error(
        project: Project) -> None:
    from mkdocs.config import load_config

    project.post("first")
    with pytest.raises(Abort):
        load_config(str(project.config(post_slugify="lower")))
