"""The platform registry is the one home of every link rule: build, sync and editor agree."""

from __future__ import annotations

import datetime as dt
import importlib
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from fireside.core.schema import Rules, validate_meta
from fireside.core.settings import DiscussionSettings
from fireside.discussions.panel import Discussions
from fireside.discussions.platforms import PLATFORMS, Registry, ThreadRef
from fireside.editor.decap_config import discussion_pattern
from fireside_sync.errors import ThreadReferenceError
from fireside_sync.platforms import adapter_factory, parse_reference
from tests.sync.test_sync_refs import PARSED, REFUSED

#: Every link form in the test data, with what it names (``None``: refused).
FORMS: list[tuple[str, ThreadRef | None]] = [*PARSED, *((text, None) for text, _ in REFUSED)]


def _build_side(text: str) -> ThreadRef | None:
    """What the build makes of a link: front-matter validation, then the panel's lookup."""
    meta, problems = validate_meta(
        {"title": "t", "date": "2026-01-01", "authors": ["ceo"], "discussion": text},
        path="p.md", lines={}, rules=Rules(ZoneInfo("UTC"), frozenset({"ceo"})))
    found = Discussions(DiscussionSettings(Path("/nonexistent")), dt.datetime.now(dt.UTC), {})
    ref, _ = found.resolve(text)
    assert (meta is not None) is (ref is not None), problems
    return ref


def _sync_side(text: str) -> ThreadRef | None:
    try:
        return parse_reference(text)
    except ThreadReferenceError:
        return None


@pytest.mark.parametrize(("text", "expected"), FORMS)
def test_build_sync_and_editor_read_every_link_alike(text: str,
                                                      expected: ThreadRef | None) -> None:
    assert _build_side(text) == _sync_side(text) == expected
    if expected is not None:
        assert re.match(discussion_pattern(Registry()), text.strip())


def test_every_entry_is_complete_and_its_adapter_loads() -> None:
    for name, platform in PLATFORMS.items():
        assert platform.name == name and platform.display_name and platform.hosts
        assert platform.defaults.api_url.startswith("https://")
        assert adapter_factory(name) is platform.load_adapter()
        module = importlib.import_module(f"fireside.discussions.platforms.{name}")
        assert module.PLATFORM is platform


def test_a_self_hosted_platform_is_recognised_only_on_its_configured_host() -> None:
    hosted = [p for p in PLATFORMS.values() if p.self_hosted]
    for platform in hosted:
        registry = Registry.configured({platform.name: "https://forum.northwind.example/x"})
        assert platform in registry.for_host("forum.northwind.example")
        assert platform not in Registry().for_host("forum.northwind.example")
