"""The markup fixes behind axe's findings, checked on a real build (the browser test runs axe)."""

from __future__ import annotations

import re

from tests.conftest import Project


def test_cards_name_no_landmarks_and_the_pin_is_a_list_item(project: Project) -> None:
    project.post("pinned", "Opening.\n\n<!-- more -->\n\nMore.\n", pin=True)
    project.post("other", "Opening.\n\n<!-- more -->\n\nMore.\n")
    project.build()
    index = project.html("")
    cards = index.split('class="md-post md-post--excerpt fs-card"')[1:]
    assert len(cards) == 2
    for card in cards:
        assert "<nav" not in card  # ten cards must not add twenty unnamed landmarks
    meta = re.search(r'<ul class="md-meta__list">(.*?)</ul>', cards[0], re.S)
    assert meta is not None
    children = re.findall(r"<(\w+)[ >]", meta.group(1))
    top = re.sub(r"<li\b.*?</li>", "", meta.group(1), flags=re.S)
    assert "<span" not in top, "only <li> may sit directly in the meta list"
    assert 'class="md-meta__item fs-pinned"' in meta.group(1) and "Pinned" in meta.group(1)
    assert children.count("li") >= 3


def test_search_dialog_has_a_name_on_every_page(project: Project) -> None:
    project.post("one")
    project.build()
    for path in ("", "posts/one/", "archive/", "author/ceo/"):
        assert re.search(r'<div class="md-search"[^>]*role="dialog" aria-label="Search">',
                         project.html(path)), path
