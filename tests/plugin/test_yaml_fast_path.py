"""``parse_yaml`` builds plain front matter in one pass: the data must be PyYAML's, exactly.

Each document is parsed by ``parse_yaml`` and by the same loader's own constructor; anything
the one-pass builder does not handle (tags, merge keys, equal keys) must still come out as
PyYAML makes it, and aliases and repeated keys as the same problems with their lines.
"""

from __future__ import annotations

from typing import Any

import pytest

from fireside.core.content import _Loader, parse_yaml


def _pyyaml(source: str) -> Any:
    loader = _Loader(source)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


@pytest.mark.parametrize("source", [
    "",
    "title: Hello\ndate: 2026-03-14 09:30\nauthors: [ceo, cfo]\n",
    "draft: true\npin: False\nreadtime: 7\nslug: ~\ndescription: ''\n",
    "hex: 0x1F\nunderscored: 1_000\nsexagesimal: 1:30\noctal: 0o17\nnegative: -3\n",
    "ratio: 1.5\ninfinity: .inf\n",
    "nested:\n  list:\n    - a\n    - {b: [c, d]}\n  empty: {}\n",
    "1: one\n'1': quoted one\n",
    "1: integer key\ntrue: boolean key\n",
    "on: yes\noff: no\n",
    "forced: !!str 12\nint: !!int '7'\n",
    "set: !!set {a, b}\n",
    "<<: {merged: 1}\nown: 2\n",
    "block: |\n  line one\n  line two\nfolded: >\n  folded\n  text\n",
    "- a\n- b\n",
    "just text\n",
])
def test_the_data_is_pyyamls(source: str) -> None:
    data, _, problems = parse_yaml(source, path="p.md")
    assert problems == []
    expected = _pyyaml(source)
    assert data == expected
    assert repr(data) == repr(expected)  # types too: 1 is not True, "1" is not 1


@pytest.mark.parametrize(("source", "message", "line"), [
    ("a: &x 1\nb: *x\n", "uses a YAML alias", 2),
    ("title: one\ntitle: two\n", "is given twice (first on line 2)", 3),
    ("meta:\n  k: 1\n  k: 2\n", "is given twice (first on line 3)", 4),
])
def test_aliases_and_repeated_keys_are_problems(source: str, message: str, line: int) -> None:
    data, lines, problems = parse_yaml(source, path="p.md", line_offset=2)
    assert data is None and lines == {}
    assert [(p.line, message in p.message) for p in problems] == [(line, True)]


def test_key_lines_are_kept() -> None:
    _, lines, _ = parse_yaml("title: x\nmeta:\n  a: 1\n  b:\n    c: 2\n", path="p.md",
                             line_offset=2)
    assert lines == {"title": 2, "meta": 3, "meta.a": 4, "meta.b": 5, "meta.b.c": 6}
