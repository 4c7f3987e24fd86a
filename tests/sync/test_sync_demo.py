"""The demo snapshots: every demo thread exists, and ``data/discussions`` is up to date."""

from __future__ import annotations

from pathlib import Path

import pytest

from fireside.core.settings import Settings, load_settings
from fireside.discussions.platforms import parse_reference as registry_parse
from fireside.discussions.snapshots import SnapshotStore
from fireside_sync.runner import find_jobs
from tests.fakeplatform import demo, demo_platforms, demo_threads

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def settings() -> Settings:
    if not (ROOT / "mkdocs.yml").is_file():
        pytest.skip("no demo site")
    return load_settings(ROOT / "mkdocs.yml")


def test_every_demo_discussion_has_a_thread(settings: Settings) -> None:
    jobs, hosts = find_jobs(settings)
    assert jobs, "the demo content links no discussion"
    yammer = {int(j.ref.id) for j in jobs if j.ref.platform == "yammer"}
    assert yammer <= set(demo_threads.THREADS)
    assert set(hosts["yammer"].names) == {str(i) for i, _ in demo_threads.EXECS.values()}
    others = {j.ref.platform: j.ref for j in jobs if j.ref.platform != "yammer"}
    assert {p: registry_parse(link) for p, link in demo_platforms.LINKS.items()} == others


def test_committed_demo_snapshots_are_current(settings: Settings, tmp_path: Path) -> None:
    assert demo.main(["--out", str(tmp_path)]) == 0
    fresh = {p.relative_to(tmp_path): p.read_bytes() for p in tmp_path.rglob("*.json")}
    committed = settings.discussions.snapshots
    assert {p.relative_to(committed): p.read_bytes() for p in committed.rglob("*.json")} \
        == fresh, "run 'python -m tests.fakeplatform.demo' to refresh data/discussions"
    assert len(SnapshotStore(tmp_path).load_all()) == len(demo_threads.THREADS) + 4
