"""Material's nav is rendered once per build for pages outside the nav, with the same bytes."""

from __future__ import annotations

import filecmp
import shutil
from pathlib import Path

import material

from tests.conftest import Project

MATERIAL = Path(material.__file__).parent / "templates"


def _blog(project: Project) -> None:
    project.write("about.md", "# About\n\nWho we are.\n")
    project.write("team/people.md", "# People\n\nThe team.\n")
    project.write("team/places.md", "# Places\n\nOffices.\n")
    for i in range(1, 8):  # category/news/page/2/ and author/ceo/page/2/ share a base_url
        project.post(f"post-{i}", f"Body {i}.\n", date=f"2026-02-0{i} 09:00",
                     categories=["News"] if i % 2 else ["People"])
    project.config_extra["nav"] = [
        {"Blog": "index.md"}, {"About": "about.md"},
        {"Team": ["team/people.md", "team/places.md"]},
        {"Handbook": "https://handbook.example.com/"}, {"Subscribe": "subscribe/index.md"},
        {"Categories": "category/index.md"}]
    project.config_extra["theme"] = {"name": "material", "font": False, "custom_dir": "overrides"}
    (project.root / "overrides").mkdir(exist_ok=True)


def _html_files(site: Path) -> list[str]:
    return sorted(str(p.relative_to(site)) for p in site.rglob("*.html"))


def test_shared_nav_gives_the_bytes_material_renders_for_every_page(
        tmp_path: Path) -> None:
    shared = Project(tmp_path / "shared")
    _blog(shared)
    shared.build(pagination_per_page=2, listing_per_page=2)
    # A verbatim copy of a nav partial in custom_dir turns the sharing off: Material renders the
    # nav for every page itself, which is the reference.
    plain = Project(tmp_path / "plain")
    _blog(plain)
    (plain.root / "overrides" / "partials").mkdir(parents=True)
    shutil.copy(MATERIAL / "partials" / "nav-item.html", plain.root / "overrides" / "partials")
    plain.build(pagination_per_page=2, listing_per_page=2)
    pages = _html_files(shared.site_dir)
    assert pages == _html_files(plain.site_dir)
    assert "posts/post-3/index.html" in pages and "category/news/index.html" in pages
    assert "page/2/index.html" in pages and "category/news/page/2/index.html" in pages
    _, mismatch, errors = filecmp.cmpfiles(shared.site_dir, plain.site_dir, pages, shallow=False)
    assert mismatch == [] and errors == []
    post = shared.html("posts/post-3/")  # relative nav links from two levels down
    assert 'href="../../about/"' in post and 'href="https://handbook.example.com/"' in post
    deeper = shared.html("category/news/page/2/")
    assert 'href="../../../../about/"' in deeper and 'href="../../"' in deeper
    assert 'href="../../../../category/"' in shared.html("author/ceo/page/2/")


def test_a_page_specific_nav_override_is_rendered_for_each_page(project: Project) -> None:
    _blog(project)
    (project.root / "overrides" / "partials").mkdir(parents=True)
    item = (MATERIAL / "partials" / "nav-item.html").read_text(encoding="utf-8")
    start = "{% macro render(nav_item, path, level, parent) %}"
    assert start in item
    (project.root / "overrides" / "partials" / "nav-item.html").write_text(
        item.replace(start, start + "<!-- nav for {{ page.url }} -->"), encoding="utf-8")
    project.build()
    for i in (1, 5):
        assert f"<!-- nav for posts/post-{i}/ -->" in project.html(f"posts/post-{i}/")
