"""Real processes: SIGKILL mid-run and mid-write, two syncs at once, stale locks."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from fireside.discussions.snapshots import SnapshotStore
from fireside_sync.errors import LockError
from fireside_sync.lock import LOCK_NAME, SyncLock
from tests.sync.conftest import NOW, TOKEN, TOKEN_ENV, SyncProject

ROOT = Path(__file__).resolve().parents[2]


@contextlib.contextmanager
def start_sync(project: SyncProject, *args: str) -> Iterator[subprocess.Popen[bytes]]:
    """``fireside sync`` in a child process (output in ``<root>/child.log``), killed on exit."""
    env = {**os.environ, TOKEN_ENV: TOKEN, "FIRESIDE_NOW": NOW,
           "PYTHONPATH": os.pathsep.join(str(ROOT / p) for p in ("plugins", "sync", "."))}
    with (project.root / "child.log").open("wb") as log, subprocess.Popen(
            [sys.executable, "-m", "fireside_sync", "-f", str(project.config()), *args],
            env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT) as process:
        try:
            yield process
        finally:
            if process.poll() is None:
                process.kill()


def wait_for(condition: object, timeout: float = 20.0, step: float = 0.001) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(step)


def assert_all_valid(project: SyncProject) -> dict[tuple[str, str], object]:
    store = SnapshotStore(project.snapshots)
    threads = store.load_all()  # raises on any incomplete or invalid file
    store.load_state()
    return dict(threads)


def many_threads(project: SyncProject, count: int, messages: int) -> None:
    for n in range(count):
        tid = 2000000001 + n
        project.thread(tid, messages)
        project.post(f"p{n:03}", f"yammer:{tid}")


def test_sigkill_while_fetching_keeps_every_old_snapshot(project: SyncProject) -> None:
    many_threads(project, 6, 25)
    assert project.sync().code == 0
    before = project.files()
    for messages in project.fake.threads.values():
        messages.pop()
    project.fake.delay = 0.05
    with start_sync(project, "--full") as process:
        wait_for(lambda: len(project.fake.requests) >= 5)
        process.send_signal(signal.SIGKILL)
        process.wait()
    assert process.returncode == -signal.SIGKILL
    assert project.files() == before
    assert len(assert_all_valid(project)) == 6


def test_sigkill_while_writing_leaves_only_complete_snapshots(project: SyncProject) -> None:
    many_threads(project, 150, 41)
    folder = project.snapshots / "yammer"
    for _attempt in range(3):
        with start_sync(project, "--full") as process:
            wait_for(lambda: folder.is_dir() and any(folder.glob("*.json")))
            process.send_signal(signal.SIGKILL)
            process.wait()
        written = len(list(folder.glob("*.json")))
        if written < 150:
            break
    assert 0 < written < 150, "the kill never landed in the middle of the writes"
    threads = assert_all_valid(project)
    assert len(threads) == written
    assert not any(p.suffix == ".json" and p.name.startswith(".") for p in folder.iterdir())
    result = project.sync()
    assert result.code == 0 and "150 fetched" in result.out
    assert not list(project.snapshots.glob("**/.*.tmp"))
    assert len(assert_all_valid(project)) == 150


def test_two_concurrent_runs(project: SyncProject) -> None:
    many_threads(project, 3, 2)
    project.fake.delay = 0.3
    with start_sync(project) as first:
        wait_for(lambda: (project.snapshots / LOCK_NAME).exists() and project.fake.requests)
        second = project.sync()
        assert second.code == 1
        assert f"another sync (process {first.pid}) is already writing" in second.err
        assert first.wait(timeout=30) == 0, (project.root / "child.log").read_text()
    assert len(assert_all_valid(project)) == 3
    assert not (project.snapshots / LOCK_NAME).exists()


def test_stale_lock_of_a_dead_process_is_taken_over(project: SyncProject) -> None:
    many_threads(project, 1, 2)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    project.snapshots.mkdir(parents=True)
    (project.snapshots / LOCK_NAME).write_text(f"{dead.pid}\n")
    assert project.sync().code == 0


def test_lock_is_exclusive_within_one_process(tmp_path: Path) -> None:
    with SyncLock(tmp_path):
        assert (tmp_path / LOCK_NAME).read_text().strip() == str(os.getpid())
        with pytest.raises(LockError, match="already writing"), SyncLock(tmp_path):
            pass
    with SyncLock(tmp_path):
        pass
