"""The demo in German (``theme.language: de``): Fireside's own text, dates and feeds follow it.

A strict build of a copy of the demo with only ``theme.language`` changed: every string the
demo shows has a translation (a missing one is a warning, and ``--strict`` would fail).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def german(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("demo-de")
    for name in ("content", "overrides", "data"):
        shutil.copytree(ROOT / name, work / name)
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "  language: en\n" in config
    (work / "mkdocs.yml").write_text(config.replace("  language: en\n", "  language: de\n"),
                                     encoding="utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "FIRESIDE_NOW": "2026-11-23 12:00"}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", "site"],
                            cwd=work, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "translation" not in result.stderr, result.stderr
    return work / "site"


def _text(site: Path, path: str) -> str:
    html = (site / path / "index.html").read_text(encoding="utf-8")
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_dates_and_listing_text_are_german(german: Path) -> None:
    index = _text(german, "")
    assert "Meistdiskutiert" in index and "Weiterlesen" in index and "Min. Lesezeit" in index
    assert re.search(r"\b\d{1,2}\. (November|Oktober|September) 2026\b", index)
    assert "Continue reading" not in index and "min read" not in index
    archive = _text(german, "archive")
    assert "Archiv" in archive and re.search(r"\b\d+ Beiträge\b", archive)


def test_post_discussion_and_qa_are_german(german: Path) -> None:
    post = _text(german, "posts/2026/pay-review-2026-how-it-works-and-what-to-expect")
    assert "18. März 2026" in post
    assert "Diskussion" in post and "Beliebteste Antworten" in post
    assert "Auf Viva Engage mitdiskutieren" in post
    assert re.search(r"\d+ Antworten", post) and "replies" not in post
    qa = _text(german, "qa/ask-dana-anything-end-of-year-ama")
    assert "Fragen aus Viva Engage" in qa and "Beantwortet" in qa and "Unbeantwortet" in qa
    assert "Mittlere Antwortzeit" in qa


def test_subscribe_page_follow_buttons_and_feeds_are_german(german: Path) -> None:
    subscribe = _text(german, "subscribe")
    assert "Abonnieren" in subscribe and "Feed-Adresse kopieren" in subscribe
    assert "So abonnieren Sie" in subscribe and "Führungskräfte" in subscribe
    assert "Raj Patel folgen" in _text(german, "author/cfo")
    feed = json.loads((german / "author/cfo/feed.json").read_text(encoding="utf-8"))
    assert feed["description"] == "Beiträge von Raj Patel, Chief Financial Officer"
    assert feed["language"] == "de"
    qa_feed = (german / "qa/rss.xml").read_text(encoding="utf-8")
    assert "Neue Fragerunde: " in qa_feed
