"""The Decap CMS configuration is generated from the schema, the authors and the categories."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml
from mkdocs.exceptions import Abort

from fireside.core.schema import POST_FIELDS, Author, parse_date
from fireside.editor.decap_config import HIDDEN_FIELDS, EditorSettings, build_config
from tests.conftest import AUTHORS, Project

NODE_MODULES = Path(__file__).resolve().parents[2] / "node_modules"
CATEGORIES = ["Strategy", "People", "Results"]


def generate(tmp_path: Path, *, categories: list[str] | None = CATEGORIES,
             **settings: Any) -> dict[str, Any]:
    authors = {key: Author(key, a["name"], a.get("description", ""))
               for key, a in AUTHORS.items()}
    return build_config(project_dir=tmp_path, docs_dir=tmp_path / "content", posts_dir="posts",
                        authors=authors,
                        categories=frozenset(categories) if categories is not None else None,
                        settings=EditorSettings(**settings))


def fields(config: dict[str, Any]) -> dict[str, dict[str, Any]]:
    (posts,) = config["collections"]
    return {f["name"]: f for f in posts["fields"]}


def test_every_schema_field_is_in_the_form_or_hidden_with_a_reason(tmp_path: Path) -> None:
    shown = fields(generate(tmp_path))

    for field in POST_FIELDS:
        assert (field.name in shown) != (field.name in HIDDEN_FIELDS), field.name
    # `updated` is the second half of a `{created, updated}` date, written by editor.js.
    expected = [f.name for f in POST_FIELDS if f.name not in HIDDEN_FIELDS]
    expected.insert(expected.index("date") + 1, "updated")
    assert list(shown) == [*expected, "body"]
    assert {n for n, f in shown.items() if f.get("required", True)} == {
        "title", "date", "authors", "body"}


def test_widgets_follow_the_field_kinds(tmp_path: Path) -> None:
    shown = fields(generate(tmp_path))

    assert shown["date"]["widget"] == "datetime"
    assert shown["date"]["format"] == "YYYY-MM-DD HH:mm"
    assert parse_date("2026-03-14 09:30", ZoneInfo("Europe/London")) is not None  # what it writes
    assert {n: shown[n]["widget"] for n in ("draft", "pin", "comments")} == dict.fromkeys(
        ("draft", "pin", "comments"), "boolean")
    assert (shown["draft"]["default"], shown["comments"]["default"]) == (False, True)
    assert shown["tags"]["widget"] == "list"
    assert shown["body"]["widget"] == "markdown"
    assert shown["description"]["widget"] == "text"
    assert "Viva Engage" in shown["discussion"]["hint"]
    assert shown["body"]["modes"] == ["raw", "rich_text"]  # Markdown typed by hand is kept
    assert shown["updated"]["widget"] == "datetime" and shown["updated"]["required"] is False


def test_help_texts_speak_to_people_not_to_yaml(tmp_path: Path) -> None:
    hints = " ".join(f["hint"] for f in fields(generate(tmp_path)).values())
    for jargon in ("mkdocs", ".authors.yml", "platform:id", "true", "`", "YAML", "keys from"):
        assert jargon not in hints, jargon


def test_posts_are_listed_newest_first_in_fireside_format(tmp_path: Path) -> None:
    (posts,) = generate(tmp_path)["collections"]
    assert posts["format"] == "fireside-frontmatter"
    assert posts["sortable_fields"][0] == {"field": "date", "label": "Date",
                                           "default_sort": "desc"}
    assert posts["summary"].startswith("{{fs_status}}")


def test_author_select_is_fed_from_the_authors_file(tmp_path: Path) -> None:
    authors = fields(generate(tmp_path))["authors"]

    assert authors["widget"] == "select"
    assert authors["multiple"] is True and authors["min"] == 1
    assert [o["value"] for o in authors["options"]] == sorted(AUTHORS)
    assert authors["options"][0]["label"] == "Dana Whitfield (Chief Executive Officer)"


def test_categories_come_from_the_allow_list_or_are_free(tmp_path: Path) -> None:
    allowed = fields(generate(tmp_path))["categories"]
    free = fields(generate(tmp_path, categories=None))["categories"]

    assert allowed["widget"] == "select" and allowed["multiple"] is True
    assert allowed["options"] == sorted(CATEGORIES)
    assert free["widget"] == "list"


@pytest.mark.parametrize(("value", "ok"), [
    ("https://web.yammer.com/main/threads/eyJfdHlwZSI6", True), ("yammer:2000000001", True),
    ("yammer:abc", False), ("myspace:1", False), ("see the thread", False)])
def test_discussion_pattern_agrees_with_the_schema(tmp_path: Path, value: str, ok: bool) -> None:
    pattern, _message = fields(generate(tmp_path))["discussion"]["pattern"]

    assert bool(re.match(pattern, value)) is ok


def test_collection_writes_dated_files_in_year_folders_with_images_beside(tmp_path: Path) -> None:
    config = generate(tmp_path)
    (posts,) = config["collections"]

    assert posts["folder"] == "content/posts"
    assert posts["create"] is True
    assert posts["slug"] == "{{year}}-{{month}}-{{day}}-{{slug}}"
    assert posts["path"] == "{{year}}/{{slug}}"
    assert (posts["media_folder"], posts["public_folder"]) == ("images", "images")
    assert posts["editor"] == {"preview": True}


def test_paths_are_relative_to_the_git_work_tree(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    site = tmp_path / "site-project"
    site.mkdir()
    authors = {"ceo": Author("ceo", "Dana")}

    config = build_config(project_dir=site, docs_dir=site / "docs", posts_dir="blog",
                          authors=authors, categories=None, settings=EditorSettings())

    assert config["collections"][0]["folder"] == "site-project/docs/blog"


def test_team_mode_uses_the_backend_and_the_editorial_workflow(tmp_path: Path) -> None:
    backend = {"name": "gitlab", "repo": "comms/fireside", "branch": "main"}
    team = generate(tmp_path, backend=backend)
    simple = generate(tmp_path, backend=backend, editorial_workflow=False)
    local = generate(tmp_path, local_backend=True, local_proxy_port=9123)

    assert team["backend"] == backend
    assert "local_backend" not in team
    assert (team["publish_mode"], simple["publish_mode"]) == ("editorial_workflow", "simple")
    gitea = generate(tmp_path, backend={"name": "gitea", "repo": "comms/fireside"})
    assert gitea["publish_mode"] == "simple"  # Decap's gitea backend has no workflow
    assert local["local_backend"]["url"] == "http://localhost:9123/api/v1"
    assert local["publish_mode"] == "simple"


def test_editor_is_off_by_default(project: Project) -> None:
    project.post("hello")

    site = project.build()

    assert not (site / "admin").exists()


def test_missing_npm_install_is_a_clear_error(project: Project, tmp_path: Path,
                                              caplog: pytest.LogCaptureFixture) -> None:
    project.post("hello")

    with pytest.raises(Abort):  # MkDocs logs the plugin's message, then aborts
        project.build(editor={"enabled": True, "npm_dir": str(tmp_path / "empty")})

    assert "the web editor is enabled but" in caplog.text
    assert "decap-cms.js is missing: run 'npm ci'" in caplog.text


@pytest.mark.skipif(not (NODE_MODULES / "decap-cms/dist/decap-cms.js").is_file(),
                    reason="Decap CMS is not installed: run 'npm ci' at the repository root")
def test_enabled_editor_is_served_from_the_site(project: Project) -> None:
    project.post("hello")

    site = project.build(categories_allowed=CATEGORIES,
                         editor={"enabled": True, "npm_dir": str(NODE_MODULES.parent),
                                 "backend": {"name": "azure", "repo": "org/comms/fireside"}})

    index = (site / "admin/index.html").read_text(encoding="utf-8")
    assert '<script src="decap-cms.js"></script>' in index
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", index)  # never a CDN
    assert (site / "admin/decap-cms.js").stat().st_size > 1_000_000
    assert list((site / "admin").glob("*.decap-cms.js"))  # the lazily loaded chunks
    config = yaml.safe_load((site / "admin/config.yml").read_text(encoding="utf-8"))
    assert config["backend"] == {"name": "azure", "repo": "org/comms/fireside"}
    assert config["publish_mode"] == "editorial_workflow"
    assert fields(config)["categories"]["options"] == sorted(CATEGORIES)
    assert [o["value"] for o in fields(config)["authors"]["options"]] == sorted(AUTHORS)
