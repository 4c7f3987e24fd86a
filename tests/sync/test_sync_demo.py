"""The demo snapshots: every demo thread exists, and ``data/discussions`` is up to date."""

from __future__ import annotations

from pathlib import Path

import pytest

from fireside.core.settings import Settings, load_settings
from fireside.discussions.platforms.sharepoint import page_id
from fireside.discussions.snapshots import SnapshotStore
from fireside_sync.runner import find_jobs
from tests.fakeplatform import demo, demo_microsoft, demo_threads

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def settings() -> Settings:
    if not (ROOT / "mkdocs.yml").is_file():
        pytest.skip("no demo site")
    return load_settings(ROOT / "mkdocs.yml")


def test_every_demo_discussion_has_a_thread(settings: Settings) -> None:
    jobs, hosts, problems = find_jobs(settings)
    assert problems == []
    assert jobs, "the demo content links no discussion"
    assert {int(j.ref.id) for j in jobs if j.ref.platform == "yammer"} <= \
        set(demo_threads.THREADS)
    assert set(hosts["yammer"].names) == {str(i) for i, _ in demo_threads.EXECS.values()}
    microsoft = {j.ref.platform: j.ref for j in jobs if j.ref.platform != "yammer"}
    assert microsoft["teams"].id.endswith(f",{demo_microsoft.TEAMS_ROOT}")
    assert microsoft["sharepoint"].id == page_id(f"{demo_microsoft.SITE}/SitePages/"
                                                 f"{demo_microsoft.SHAREPOINT_PAGE}")
    assert set(hosts["teams"].names) == {demo_microsoft.object_id(k) for k in
                                         demo_threads.EXECS}
    assert set(hosts["sharepoint"].names) == {demo_microsoft.email(k) for k in
                                              demo_threads.EXECS}


def test_committed_demo_snapshots_are_current(settings: Settings, tmp_path: Path) -> None:
    assert demo.main(["--out", str(tmp_path)]) == 0
    fresh = {p.relative_to(tmp_path): p.read_bytes() for p in tmp_path.rglob("*.json")}
    committed = settings.discussions.snapshots
    assert {p.relative_to(committed): p.read_bytes() for p in committed.rglob("*.json")} \
        == fresh, "run 'python -m tests.fakeplatform.demo' to refresh data/discussions"
    assert len(SnapshotStore(tmp_path).load_all()) == len(demo_threads.THREADS) + 2
