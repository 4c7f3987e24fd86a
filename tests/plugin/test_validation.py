"""Bad front matter and ``.authors.yml``: exact messages from ``fireside check`` and the build."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import pytest

from fireside.commands.cli import main
from fireside.discussions.platforms import PLATFORMS
from tests.conftest import Project

P = "content/posts/bad.md"
A = "content/.authors.yml"
YAML_HINT = (
    "check the quoting and indentation - a value containing ': ' or '#' needs quotes"
)
GOOD = "---\ntitle: Fine\ndate: 2026-01-01\nauthors: [ceo]\n---\n\nBody.\n"

# (id, raw post file or None, authors override or None, expected message lines)
CASES: list[tuple[str, str | None, dict[str, Any] | None, list[str]]] = [
    (
        "no-front-matter",
        "Just text.\n",
        None,
        [
            f"error: {P}:1: has no front matter; expected the file to start with a '---' line, "
            "then title/date/authors, then '---'"
        ],
    ),
    (
        "unclosed",
        "---\ntitle: x\ndate: 2026-01-01\n",
        None,
        [f"error: {P}:1: front matter starts with '---' but has no closing '---' line"],
    ),
    (
        "broken-yaml-colon",
        "---\ntitle: Results: up\ndate: 2026-01-01\nauthors: [ceo]\n---\n",
        None,
        [
            f"error: {P}:2: invalid YAML (mapping values are not allowed in this context); "
            + YAML_HINT
        ],
    ),
    (
        "broken-yaml-indent",
        "---\ntitle: x\n  date: 2026-01-01\nauthors: [ceo]\n---\n",
        None,
        [
            f"error: {P}:3: invalid YAML (mapping values are not allowed in this context); "
            + YAML_HINT
        ],
    ),
    (
        "list-front-matter",
        "---\n- a\n- b\n---\n",
        None,
        [f"error: {P}:2: front matter is a list; expected 'key: value' lines"],
    ),
    (
        "missing-date",
        "---\ntitle: x\nauthors: [ceo]\n---\n",
        None,
        [f"error: {P}: field 'date': is missing; expected a value, e.g. date: 2025-03-14 09:30"],
    ),
    (
        "bad-date",
        "---\ntitle: x\ndate: next Tuesday\nauthors: [ceo]\n---\n",
        None,
        [
            f"error: {P}:3: field 'date': got 'next Tuesday'; expected a date like 2025-03-14 or "
            "a datetime like 2025-03-14 09:30"
        ],
    ),
    (
        "impossible-date",
        "---\ntitle: x\ndate: 2026-02-30\nauthors: [ceo]\n---\n",
        None,
        [
            f"error: {P}:3: field 'date': got '2026-02-30'; expected a date like 2025-03-14 or "
            "a datetime like 2025-03-14 09:30"
        ],
    ),
    (
        "date-dict-no-created",
        "---\ntitle: x\ndate: {updated: 2026-01-01}\nauthors: [ceo]\n---\n",
        None,
        [
            f"error: {P}:3: field 'date': is a mapping without 'created'; expected "
            "{created: 2025-03-14}"
        ],
    ),
    (
        "updated-before-created",
        "---\ntitle: x\ndate: {created: 2026-02-01, updated: 2026-01-01}\nauthors: [ceo]\n---\n",
        None,
        [f"error: {P}:3: field 'date.updated': is before date.created; expected a later date"],
    ),
    (
        "missing-authors",
        "---\ntitle: x\ndate: 2026-01-01\n---\n",
        None,
        [f"error: {P}: field 'authors': is missing; expected a value, e.g. authors: [ceo]"],
    ),
    (
        "empty-authors",
        "---\ntitle: x\ndate: 2026-01-01\nauthors: []\n---\n",
        None,
        [
            f"error: {P}:4: field 'authors': is empty; expected at least one author key from "
            ".authors.yml"
        ],
    ),
    (
        "unknown-author",
        "---\ntitle: x\ndate: 2026-01-01\nauthors: [ceo, bob]\n---\n",
        None,
        [
            f"error: {P}:4: field 'authors': unknown author 'bob'; expected a key of .authors.yml "
            "(ceo, cfo)"
        ],
    ),
    (
        "authors-not-list",
        "---\ntitle: x\ndate: 2026-01-01\nauthors: {ceo: 1}\n---\n",
        None,
        [
            f"error: {P}:4: field 'authors': got {{'ceo': 1}}; expected a list such as "
            "[Strategy, People]"
        ],
    ),
    (
        "draft-not-bool",
        "---\ntitle: x\ndate: 2026-01-01\nauthors: [ceo]\ndraft: maybe\n---\n",
        None,
        [f"error: {P}:5: field 'draft': got 'maybe'; expected true or false"],
    ),
    (
        "pin-number",
        "---\ntitle: x\ndate: 2026-01-01\nauthors: [ceo]\npin: 1\n---\n",
        None,
        [f"error: {P}:5: field 'pin': got 1; expected true or false"],
    ),
    (
        "readtime-negative",
        "---\ntitle: x\ndate: 2026-01-01\nauthors: [ceo]\nreadtime: -3\n---\n",
        None,
        [f"error: {P}:5: field 'readtime': got -3; expected a whole number of minutes above 0"],
    ),
    (
        "bad-discussion",
        "---\ntitle: x\ndate: 2026-01-01\nauthors: [ceo]\ndiscussion: see yammer\n---\n",
        None,
        [
            f"error: {P}:5: field 'discussion': 'see yammer' is neither a thread link nor "
            "platform:id; paste the thread's link copied from the platform, or write "
            + " or ".join(p.short_form for p in PLATFORMS.values())
        ],
    ),
    (
        "category-not-allowed",
        "---\ntitle: x\ndate: 2026-01-01\nauthors: [ceo]\ncategories: [Gossip]\n---\n",
        None,
        [
            f"error: {P}:5: field 'categories': 'Gossip' is not an allowed category; expected one "
            "of People, Strategy"
        ],
    ),
    (
        "title-not-text",
        "---\ntitle: [a, b]\ndate: 2026-01-01\nauthors: [ceo]\n---\n",
        None,
        [f"error: {P}:2: field 'title': got ['a', 'b']; expected a non-empty text"],
    ),
    (
        "unknown-key-warning",
        "---\ntitle: x\ndate: 2026-01-01\nauthors: [ceo]\nauthor: ceo\n---\n",
        None,
        [
            f"warning: {P}:5: field 'author': unknown field (a typo?); known fields are "
            "authors, categories, comments, date, description, discussion, draft, links, pin, "
            "readtime, slug, tags, title"
        ],
    ),
    (
        "duplicate-slug",
        None,
        None,
        [
            f"error: {P}: field 'slug': the URL /posts/fine/ is already used by "
            "content/posts/good.md; expected a unique slug (set 'slug:' in one of them)"
        ],
    ),
    (
        "authors-no-mapping",
        None,
        {"__raw__": "- ceo\n"},
        [
            f"error: {A}: expected a top-level 'authors:' mapping of author keys, e.g.\n"
            "    authors:\n      ceo:\n        name: Dana Whitfield"
        ],
    ),
    (
        "author-no-name",
        None,
        {"ceo": {"description": "CEO"}},
        [f"error: {A}:2: field 'ceo.name': got None; expected the author's full name"],
    ),
    (
        "author-remote-avatar",
        None,
        {"ceo": {"name": "Dana", "avatar": "https://cdn.example.com/dana.png"}},
        [
            f"error: {A}:4: field 'ceo.avatar': got 'https://cdn.example.com/dana.png'; expected a "
            "local image path inside docs_dir, such as authors/dana.png (the intranet loads "
            "nothing from outside, and no scheme, absolute path or backslash is allowed)"
        ],
    ),
    (
        "author-bad-email",
        None,
        {"ceo": {"name": "Dana", "email": "dana at example"}},
        [
            f"error: {A}:4: field 'ceo.email': got 'dana at example'; expected an address like "
            "name@example.com"
        ],
    ),
    (
        "author-unknown-platform",
        None,
        {"ceo": {"name": "Dana", "platforms": {"myspace": 1}}},
        [
            f"error: {A}:4: field 'ceo.platforms': unknown platform 'myspace'; expected one of "
            + ", ".join(PLATFORMS)
        ],
    ),
    (
        "author-unknown-key",
        None,
        {"ceo": {"name": "Dana", "twitter": "@dana"}},
        [
            f"warning: {A}:4: field 'ceo.twitter': unknown field; known fields are avatar, "
            "description, email, name, platforms, slug, url"
        ],
    ),
]


@pytest.mark.parametrize(
    ("raw", "authors", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_check_reports_the_exact_message(
    project: Project,
    raw: str | None,
    authors: dict[str, Any] | None,
    expected: list[str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if authors is not None:
        if "__raw__" in authors:
            project.write(".authors.yml", authors["__raw__"])
        else:
            project.authors(authors)
    if raw is not None:
        project.write("posts/bad.md", raw)
    else:
        project.write("posts/good.md", GOOD)
        if authors is None:  # the duplicate-slug case
            project.write("posts/bad.md", GOOD.replace("2026-01-01", "2026-01-02"))
    config = project.config(categories_allowed=["Strategy", "People"])
    monkeypatch.chdir(project.root)
    code = main(["check", "-f", str(config)])
    err = capsys.readouterr().err
    assert err.rstrip("\n").split("\n") == "\n".join(expected).split("\n")
    assert code == (1 if any(e.startswith("error") for e in expected) else 0)
    assert "Traceback" not in err


def test_strict_check_fails_on_warnings(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    project.write("posts/p.md", GOOD.replace("authors: [ceo]", "authors: [ceo]\nauthor: ceo"))
    config = str(project.config())
    assert main(["check", "-f", config]) == 0
    assert main(["check", "-f", config, "--strict"]) == 1
    assert "FAILED: 1 posts" in capsys.readouterr().out


def _mkdocs(project: Project, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", *args],
        cwd=project.root,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


def test_build_stops_with_the_message_and_no_traceback(project: Project) -> None:
    project.write("posts/bad.md", "---\ntitle: x\ndate: soon\nauthors: [ceo]\n---\n")
    project.write("posts/also-bad.md", "---\ntitle: 'x\n---\n")
    project.config()
    result = _mkdocs(project)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "2 content errors:" in result.stderr
    assert (
        "content/posts/bad.md:3: field 'date': got 'soon'; expected a date like 2025-03-14"
        in result.stderr
    )
    assert "content/posts/also-bad.md:3: invalid YAML" in result.stderr
    assert not (project.site_dir / "index.html").exists()


def test_broken_yaml_never_becomes_body_text(project: Project) -> None:
    project.write("posts/bad.md", "---\ntitle: Results: up\ndate: 2026-01-01\n---\n\nBody.\n")
    project.config()
    result = _mkdocs(project)
    assert result.returncode == 1 and "invalid YAML" in result.stderr


def test_warnings_fail_only_a_strict_build(project: Project) -> None:
    project.write("posts/p.md", GOOD.replace("authors: [ceo]", "authors: [ceo]\nauthor: ceo"))
    project.config()
    assert _mkdocs(project).returncode == 0
    strict = _mkdocs(project, "--strict")
    assert strict.returncode == 1 and "unknown field (a typo?)" in strict.stderr


def test_bad_option_is_a_configuration_error(project: Project) -> None:
    project.write("posts/p.md", GOOD)
    project.config(timezone="Mars/Olympus", pagination_per_page="ten")
    result = _mkdocs(project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "pagination_per_page" in result.stderr


def test_new_scaffolds_a_post_that_passes_check(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    config = str(project.config(categories_allowed=["Strategy"]))
    assert (
        main(
            [
                "new",
                "Our Q3 results: what's next",
                "--author",
                "ceo",
                "--author",
                "cfo",
                "--category",
                "Strategy",
                "-f",
                config,
            ]
        )
        == 0
    )
    created = project.docs / "posts" / "2026" / "2026-06-01-our-q3-results-what-s-next.md"
    text = created.read_text(encoding="utf-8")
    assert 'title: "Our Q3 results: what\'s next"' in text and "authors: [ceo, cfo]" in text
    assert "draft: true" in text
    assert main(["check", "-f", config, "--strict"]) == 0
    assert main(["new", "Other", "--author", "nobody", "-f", config]) == 1
    assert "unknown author 'nobody'; expected one of ceo, cfo" in capsys.readouterr().err


def test_cleared_optional_fields_count_as_unset(project: Project) -> None:
    """Decap writes ``description: ""`` for a field typed into and cleared again."""
    project.write("posts/p.md", GOOD.replace("authors: [ceo]",
                                             'authors: [ceo]\ndescription: ""\ndiscussion: ""'))
    assert main(["check", "-f", str(project.config()), "--strict"]) == 0


def test_placeholders_left_by_new_warn_once_the_draft_is_off(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    config = str(project.config())
    assert main(["new", "Canteen news", "--author", "ceo", "-f", config]) == 0
    post = project.docs / "posts/2026/2026-06-01-canteen-news.md"
    assert main(["check", "-f", config, "--strict"]) == 0  # a draft may hold placeholders
    capsys.readouterr()
    post.write_text(post.read_text(encoding="utf-8").replace("draft: true\n", ""),
                    encoding="utf-8")
    shown = "content/posts/2026/2026-06-01-canteen-news.md"
    assert main(["check", "-f", config]) == 0  # warnings only
    out = capsys.readouterr()
    lines = (out.out + out.err).splitlines()
    assert f"warning: {shown}:5: field 'categories': is an empty list, as 'fireside new' left "\
        "it; add a category, e.g. categories: [Strategy], or remove the line" in lines
    assert f"warning: {shown}:7: field 'description': still has the placeholder written by " \
        "'fireside new'; write one sentence about this post, or remove the line" in lines
    assert f"warning: {shown}:11: the body still has the placeholder 'Open with the one thing " \
        "you want everyone to take away.' written by 'fireside new'; replace it with your " \
        "text" in lines
    assert sum("written by 'fireside new'" in line for line in lines) == 4  # 3 body lines + summary
    assert main(["check", "-f", config, "--strict"]) == 1
    build = _mkdocs(project, "--strict")
    assert build.returncode == 1 and "still has the placeholder" in build.stderr
    assert "Traceback" not in build.stderr


def test_a_tab_in_the_indentation_names_the_tab_and_the_line(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    project.write("posts/bad.md", "---\ntitle: Tabs\ndate:\n\tcreated: 2026-01-01\n"
                                  "authors: [ceo]\n---\n\nBody.\n")
    assert main(["check", "-f", str(project.config())]) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        f"error: {P}:4: this line is indented with a tab; YAML indents with spaces only: "
        "replace the tab with spaces")


def test_categories_written_as_one_text_say_to_write_a_list(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    project.write("posts/bad.md", GOOD.replace("authors: [ceo]",
                                               "authors: [ceo]\ncategories: Results, People"))
    assert main(["check", "-f", str(project.config(categories_allowed=["Results", "People"]))]) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        f"error: {P}:5: field 'categories': got 'Results, People', one text; write a list: "
        "categories: [Results, People]")
