"""Path confinement (issue 16, items 1, 3 and 12): content never writes outside the site.

Every case runs a real ``mkdocs build`` in a project nested five folders deep inside
``tmp_path``, so a path that escaped would land inside ``tmp_path`` where the test looks.
``fireside check`` must report the same error as the build (whatever check accepts builds).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from mkdocs.exceptions import Abort

from fireside.commands.cli import main
from tests.conftest import AUTHORS, Project


@pytest.fixture
def deep(tmp_path: Path) -> Project:
    return Project(tmp_path / "a" / "b" / "c" / "d" / "e" / "proj")


def stray_files(project: Project, tmp_path: Path) -> list[str]:
    """Files under ``tmp_path`` but outside the project (where an escape would write)."""
    return sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")
                  if p.is_file() and not p.is_relative_to(project.root))


def build_error(project: Project, **options: Any) -> str:
    """The message of the ``PluginError`` that stopped a real build (MkDocs then aborts)."""
    with pytest.raises(Abort) as info:
        project.build(**options)
    return str(info.value.__context__)


def check_output(project: Project, capsys: pytest.CaptureFixture[str],
                 monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    monkeypatch.chdir(project.root)
    code = main(["check", "-f", str(project.config())])
    return code, capsys.readouterr().err


@pytest.mark.parametrize(("slug", "words"), [
    ("../../../../../escape-slug", "starts with a dot"),
    ("x/../other-post", "contains '/'"),
    ("../../archive", "starts with a dot"),
    ("a\\..\\..\\escape", "contains '\\\\'"),
    ("x" * 81, "is 81 characters long; expected at most 80"),
    ("CON", "reserved device name on Windows"),
    ("results.", "ends with a dot"),
])
def test_unsafe_slug_is_an_error_naming_file_and_field(
        deep: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch, slug: str, words: str) -> None:
    deep.post("other-post", date="2026-01-10 09:00")
    deep.post("evil", slug=slug)
    message = build_error(deep)
    assert "content/posts/evil.md:2: field 'slug': " in message and words in message
    assert stray_files(deep, tmp_path) == []
    assert not (deep.site_dir / "posts" / "other-post").exists()
    code, err = check_output(deep, capsys, monkeypatch)
    assert code == 1 and "content/posts/evil.md:2: field 'slug': " in err and words in err


def test_slugs_that_differ_only_in_case_clash(deep: Project) -> None:
    deep.post("first", slug="Hello", date="2026-01-10 09:00")
    deep.post("second", slug="hello")
    message = build_error(deep)
    assert "content/posts/second.md: field 'slug': the URL /posts/hello/ is already used by " \
           "content/posts/first.md" in message


def test_long_title_makes_a_short_slug_and_builds(deep: Project) -> None:
    title = "Quarterly results " + "and more words " * 20
    deep.post("long", title=title.strip())
    site = deep.build()
    built = [p for p in (site / "posts").iterdir() if p.is_dir()]
    assert len(built) == 1 and len(built[0].name) <= 80
    assert built[0].name.startswith("quarterly-results-and-more-words")
    assert not built[0].name.endswith("-")


def test_file_url_placeholder_is_confined(deep: Project, tmp_path: Path) -> None:
    deep.write("posts/...md", "---\ntitle: Dots\ndate: 2026-01-01\nauthors: [ceo]\n---\n\nx\n")
    message = build_error(deep, post_url_format="{file}")
    assert "content/posts/...md" in message and "starts with a dot" in message
    assert stray_files(deep, tmp_path) == []


def test_author_key_cannot_leave_the_site(deep: Project, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    evil = "../../../../escape-author"
    deep.authors({**AUTHORS, evil: {"name": "Evil"}})
    deep.post("hello", authors=["ceo", evil])
    message = build_error(deep)
    assert "content/.authors.yml:15: author key '../../../../escape-author' starts with a " \
           "dot" in message
    assert stray_files(deep, tmp_path) == []
    code, err = check_output(deep, capsys, monkeypatch)
    assert code == 1 and "author key '../../../../escape-author' starts with a dot" in err


def test_category_and_tag_names_become_safe_segments(deep: Project, tmp_path: Path) -> None:
    deep.post("hello", categories=["../../../../escape-category"],
              tags=["..\\..\\escape-tag", "x" * 300])
    site = deep.build()
    assert stray_files(deep, tmp_path) == []
    assert (site / "category" / "escape-category" / "index.html").is_file()
    assert (site / "tag" / "escape-tag" / "index.html").is_file()
    assert max(len(p.name) for p in (site / "tag").iterdir()) <= 80


@pytest.mark.parametrize("avatar", [
    "HTTPS://evil.example/a.png",
    "https:evil.example/a.png",
    "\\\\evil.example/a.png",
    "//evil.example/a.png",
    "javascript:alert(1)",
    "data:image/png;base64,AAAA",
    " javascript:alert(1)",
    "/etc/passwd",
    "../outside.png",
    "authors/missing.png",
])
def test_avatar_must_be_an_existing_file_inside_docs(
        deep: Project, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        avatar: str) -> None:
    (deep.root / "outside.png").write_bytes(b"png")
    deep.authors({**AUTHORS, "ceo": {**AUTHORS["ceo"], "avatar": avatar}})
    deep.post("hello")
    message = build_error(deep)
    assert "content/.authors.yml:5: field 'ceo.avatar': got " in message
    assert "expected a local image path inside docs_dir" in message
    code, err = check_output(deep, capsys, monkeypatch)
    assert code == 1 and "field 'ceo.avatar'" in err


def test_local_avatar_still_builds(deep: Project) -> None:
    deep.post("hello")
    html = deep.build() / "posts" / "hello" / "index.html"
    assert 'src="../../authors/ceo.svg"' in html.read_text(encoding="utf-8")


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "//evil.example",
                                 "https:\\\\evil.example", "vbscript:x"])
def test_author_url_is_a_web_or_mail_address(deep: Project, url: str) -> None:
    deep.authors({**AUTHORS, "cfo": {**AUTHORS["cfo"], "url": url}})
    deep.post("hello")
    assert "field 'cfo.url': got " in build_error(deep)


def test_author_web_url_still_builds(deep: Project) -> None:
    deep.authors({**AUTHORS, "cfo": {**AUTHORS["cfo"], "url": "https://intranet.example/raj"}})
    deep.post("hello")
    assert (deep.build() / "posts/hello/index.html").is_file()


def test_categories_that_make_one_url_clash(deep: Project) -> None:
    deep.post("first", categories=["Q&A"], date="2026-01-10 09:00")
    deep.post("second", categories=["Q-A"])
    message = build_error(deep)
    assert "field 'categories': 'Q-A' and 'Q&A' both make the page /category/q-a/" in message \
        or "field 'categories': 'Q&A' and 'Q-A' both make the page /category/q-a/" in message
