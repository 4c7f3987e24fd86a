"""``delegates:`` in ``.authors.yml``: names or emails, validated with file, line and field."""

from __future__ import annotations

from typing import Any

from fireside.core.schema import validate_authors


def _check(delegates: Any) -> tuple[Any, list[str]]:
    authors, problems = validate_authors(
        {"authors": {"ceo": {"name": "Dana", "delegates": delegates}}},
        path="content/.authors.yml", lines={"ceo": 2, "ceo.delegates": 4})
    return authors, [str(p) for p in problems]


def test_valid_delegates() -> None:
    authors, problems = _check(["Pat Lee", " pat@example.com ", "Pat Lee"])
    assert problems == []
    assert authors["ceo"].delegates == ("Pat Lee", "pat@example.com")
    authors, problems = _check(None)
    assert authors["ceo"].delegates == () and problems == []


def test_invalid_delegates_name_file_line_and_fix() -> None:
    _, problems = _check("Pat Lee")
    assert problems == ["content/.authors.yml:4: field 'ceo.delegates': got 'Pat Lee'; "
                        "expected a list of names or emails, e.g. [Sam Lee, sam.lee@example.com]"]
    _, problems = _check(["pat@", 3])
    assert len(problems) == 2
    assert "got 'pat@'; expected an address like name@example.com" in problems[0]
    assert "got 3 in the list; expected a name or an email" in problems[1]
