"""Front matter that check accepted used to crash or stall the build (issue 16, 10, 12-14).

``fireside check`` and ``mkdocs build`` must agree: each case is an error with the file and
line from both, never a traceback, and the alias bomb is refused before it expands.
"""

from __future__ import annotations

import pytest
from mkdocs.exceptions import Abort

from fireside.commands.cli import main
from tests.conftest import Project

P = "content/posts/bad.md"
BOMB = "".join(
    [f"l0: &l0 [{', '.join(['lol'] * 9)}]\n"]
    + [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]\n" for i in range(1, 9)])


def both(project: Project, capsys: pytest.CaptureFixture[str],
         monkeypatch: pytest.MonkeyPatch, text: str) -> tuple[str, str]:
    """The error lines of ``fireside check`` and of a real build, for one bad post."""
    project.write("posts/bad.md", text)
    monkeypatch.chdir(project.root)
    assert main(["check", "-f", str(project.config())]) == 1
    checked = capsys.readouterr().err
    with pytest.raises(Abort) as info:
        project.build()
    built = str(info.value.__context__)
    assert "Traceback" not in checked
    return checked, built


@pytest.mark.parametrize(("text", "line"), [
    ("---\ntitle: x\ndate: 0001-01-01T00:00:00+05:00\nauthors: [ceo]\n---\n",
     f"{P}:3: field 'date': got '0001-01-01T00:00:00+05:00'; expected a date like 2025-03-14 "
     "or a datetime like 2025-03-14 09:30"),
    ("---\ntitle: x\ndate: 9999-12-31T23:59:59-05:00\nauthors: [ceo]\n---\n",
     f"{P}:3: field 'date': got '9999-12-31T23:59:59-05:00'"),
    ("---\ntitle: First\ndate: 2026-01-01\ntitle: Second\nauthors: [ceo]\n---\n",
     f"{P}:4: field 'title': is given twice (first on line 2); expected each key once"),
    ("---\ntitle: x\ndate: 2026-01-01\nauthors: [ceo]\n" + BOMB + "---\n",
     f"{P}:5: uses a YAML alias (*name); write the value out instead - aliases are not "
     "allowed in front matter or .authors.yml"),
    ("---\ntitle: x\ndate: 2026-01-01\nauthors: [ceo]\ndate: {created: 2026-01-01, "
     "created: 2026-01-02}\n---\n", f"{P}:5: field 'date'"),
    ("---\ntitle: x\ndate: 2026-01-01\nauthors: [ceo]\ntags: &t [a]\nlinks: *t\n---\n",
     f"{P}:5: uses a YAML alias"),
    ("---\ntitle: x\ndate: 2026-01-01\nauthors: [ceo]\ndiscussion: https://evil.example/t/1\n"
     "---\n", f"{P}:5: field 'discussion': the link 'https://evil.example/t/1' is not a "
     "discussion thread of a configured platform"),
    ("---\ntitle: x\ndate: 2026-01-01\nauthors: [ceo]\ndiscussion: yammer:abc\n---\n",
     f"{P}:5: field 'discussion': 'yammer:abc': a Viva Engage thread id is a number"),
    ("---\ntitle: x\ndate: 2026-01-01\nauthors: [ceo]\nlinks: " + "[" * 50_000 + "]" * 50_000
     + "\n---\n", f"{P}:5: the YAML is nested more than 50 levels deep"),
    ("---\ntitle: x\ndate: 2026-01-01\nauthors: [ceo]\nlinks:\n" + "- " * 60_000 + "x\n---\n",
     f"{P}:6: the YAML is nested more than 50 levels deep"),
    ("---\ntitle: x\ndate: 2026-01-01\nauthors: [ceo]\ndescription: '" + "y" * 300_000
     + "'\n---\n", f"{P}:2: the YAML is 300,057 characters long; expected at most 262,144"),
])
def test_check_and_build_give_the_same_error(project: Project,
                                             capsys: pytest.CaptureFixture[str],
                                             monkeypatch: pytest.MonkeyPatch, text: str,
                                             line: str) -> None:
    checked, built = both(project, capsys, monkeypatch, text)
    assert f"error: {line}" in checked
    assert line in built


def test_duplicate_key_in_authors_file(project: Project, capsys: pytest.CaptureFixture[str],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    project.write(".authors.yml", "authors:\n  ceo:\n    name: Dana\n    name: Other\n")
    project.post("hello")
    monkeypatch.chdir(project.root)
    assert main(["check", "-f", str(project.config())]) == 1
    assert ("content/.authors.yml:4: field 'ceo.name': is given twice (first on line 3)"
            in capsys.readouterr().err)


def test_long_title_builds_and_checks(project: Project, capsys: pytest.CaptureFixture[str],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    project.post("long", title="T" * 256)
    monkeypatch.chdir(project.root)
    assert main(["check", "-f", str(project.config())]) == 0
    site = project.build()
    assert (site / "posts" / ("t" * 80) / "index.html").is_file()


@pytest.mark.parametrize(("body", "words"), [
    ("- " * 1000 + "x\n", "nests quotes or lists more than 100 levels deep"),
    ("> " * 5000 + "x\n", "nests quotes or lists more than 100 levels deep"),
    ("".join("    " * i + "- x\n" for i in range(150)), "nests quotes or lists"),
    ("*" * 20_000 + "x" + "*" * 20_000 + "\n", "a run of 20000 '*' characters"),
])
def test_bodies_that_crash_markdown_are_errors(project: Project,
                                               capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch, body: str,
                                               words: str) -> None:
    checked, built = both(project, capsys, monkeypatch,
                          "---\ntitle: x\ndate: 2026-01-01\nauthors: [ceo]\n---\n\n" + body)
    assert f"error: {P}:" in checked and words in checked and words in built


def test_ordinary_bodies_pass_the_nesting_check(project: Project) -> None:
    project.post("fine", body="> quote\n>> deeper\n\n- a\n    - b\n        - c\n\n"
                               "***bold italic*** and ____ and ---\n\n" + "word " * 5000)
    assert (project.build() / "posts/fine/index.html").is_file()
