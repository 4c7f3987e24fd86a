"""The shipped demo site: a strict build that loads nothing from outside the site."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
SITE_URL = "http://127.0.0.1:8000/"
# Attributes that make a browser fetch something (links the reader clicks are fine).
FETCHING = re.compile(
    r"<(?:script|img|iframe|audio|video|source|embed|object|track)\b[^>]*?\s(?:src|data|srcset)"
    r"=\"([^\"]+)\"|<link\b[^>]*?\shref=\"([^\"]+)\"[^>]*>|url\(\s*['\"]?([^'\")]+)", re.I)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A strict build of the repository's demo site (a copy, so nothing is written here)."""
    work = tmp_path_factory.mktemp("demo")
    for name in ("mkdocs.yml", "content", "overrides", "data"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, work / name)
        elif source.is_file():
            shutil.copy(source, work / name)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "FIRESIDE_NOW": "2026-11-23 12:00"}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", "site"],
                            cwd=work, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return work / "site"


def test_no_page_loads_anything_from_outside_the_site(demo: Path) -> None:
    pages = list(demo.rglob("*.html"))
    assert len(pages) > 50
    outside: list[str] = []
    for page in pages:
        for groups in FETCHING.findall(page.read_text(encoding="utf-8")):
            url = next(g for g in groups if g)
            remote = urlsplit(url).scheme in ("http", "https") or url.startswith("//")
            if remote and not url.startswith(SITE_URL):
                outside.append(f"{page.relative_to(demo)}: {url}")
    assert outside == []


def test_no_stylesheet_or_script_imports_remote_resources(demo: Path) -> None:
    for asset in [*demo.rglob("*.css"), *demo.rglob("*.js")]:
        text = asset.read_text(encoding="utf-8", errors="replace")
        assert not re.search(r"@import\s+url\(\s*['\"]?https?:", text), asset
        assert "fonts.googleapis.com" not in text, asset


def test_demo_shows_every_feature(demo: Path) -> None:
    index = (demo / "index.html").read_text(encoding="utf-8")
    assert index.count('class="md-post md-post--excerpt fs-card"') == 8
    assert 'class="md-pin"' in index  # the pinned strategy post leads
    assert (demo / "page" / "4" / "index.html").is_file()
    posts = {p.parent.name for p in (demo / "posts").rglob("index.html")}
    assert len(posts) == 31  # 33 written, less one draft and one scheduled for December
    assert not [p for p in posts if p.startswith(("updating-our-ai-policy", "thank-you-for"))]
    co_authored = (demo / "posts" / "2026" / "pay-review-2026-how-it-works-and-what-to-expect"
                   / "index.html").read_text(encoding="utf-8")
    assert "Oluwaseun Adeyemi" in co_authored and "Raj Patel" in co_authored
    for sub in ("archive/2025", "category/results", "tag/results", "author/cfo"):
        assert (demo / sub / "index.html").is_file(), sub


def test_demo_teams_and_sharepoint_discussions(demo: Path) -> None:
    teams = (demo / "posts" / "2026" / "stopping-for-safety-every-site-pauses-for-an-hour-on-3-"
             "november" / "index.html")
    sharepoint = demo / "posts" / "2026" / "hybrid-working-in-2027-what-stays-what-changes"
    teams_html = teams.read_text(encoding="utf-8")
    sharepoint_html = (sharepoint / "index.html").read_text(encoding="utf-8")
    assert "on Microsoft Teams</a>" in teams_html
    assert 'href="https://teams.microsoft.com/l/message/19%3A5a7c9e1b3d5f47a9b1c3d5e7f9a1b3c5' \
           in teams_html
    assert "on SharePoint</a>" in sharepoint_html
    assert 'href="https://northwind.sharepoint.com/sites/News/SitePages/Hybrid-working-2027.aspx"' \
        in sharepoint_html
    assert "Wrong channel, sorry" not in teams_html  # a deleted Teams reply
    assert "Lars Eriksen" in teams_html and "Oluwaseun Adeyemi" in sharepoint_html
    for page in (teams_html, sharepoint_html):
        assert "@northwind.example" not in page
