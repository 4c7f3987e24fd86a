"""Fixtures for sync tests: a fake Viva Engage on 127.0.0.1 and a project that points at it."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from fireside.commands.sync import main
from tests.fakeplatform.yammer import FakeYammer, make_thread

TOKEN = "SENTINEL-TOKEN-7f3a9c"
TOKEN_ENV = "FIRESIDE_TEST_YAMMER_TOKEN"
NOW = "2026-03-10T08:00:00+00:00"
AUTHORS = {
    "ceo": {"name": "Dana Whitfield", "email": "dana@example.com",
            "platforms": {"yammer": 1500000001}},
    "cfo": {"name": "Raj Patel", "platforms": {"yammer": 1500000002}},
}


@dataclass
class Result:
    """What one ``fireside sync`` printed and returned."""

    code: int
    out: str
    err: str


class SyncProject:
    """A project on disk whose ``mkdocs.yml`` points the sync at a fake server."""

    def __init__(self, root: Path, fake: FakeYammer) -> None:
        self.root = root
        self.fake = fake
        self.docs = root / "content"
        self.snapshots = root / "data" / "discussions"
        self.platform: dict[str, Any] = {
            "api_url": fake.url, "token_env": TOKEN_ENV, "timeout_seconds": 2,
            "rate_limit": {"requests": 1000, "per_seconds": 0.1},
            "retries": {"attempts": 3, "backoff_seconds": 0.01, "max_wait_seconds": 2},
        }
        self.options: dict[str, Any] = {"timezone": "UTC"}
        self.discussions: dict[str, Any] = {"snapshots": "data/discussions"}
        self.write(".authors.yml", yaml.safe_dump({"authors": AUTHORS}))

    def write(self, rel: str, text: str) -> Path:
        path = self.docs / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def post(self, name: str, discussion: str | None, *, date: str = "2026-03-01 09:00",
             folder: str = "posts", **front: Any) -> Path:
        front = {"title": name.title(), "date": date, "authors": ["ceo"], **front}
        if folder == "qa":
            front["hosts"] = front.pop("authors")
        if discussion is not None:
            front["discussion"] = discussion
        return self.write(f"{folder}/{name}.md",
                          "---\n" + yaml.safe_dump(front, sort_keys=False) + "---\n\nBody.\n")

    def thread(self, thread_id: int, count: int, **kwargs: Any) -> None:
        messages, users = make_thread(thread_id, count, **kwargs)
        self.fake.add_thread(thread_id, messages, users)

    def config(self) -> Path:
        data = {"site_name": "Test", "docs_dir": "content",
                "plugins": ["search", {"fireside": {
                    **self.options, "discussions": self.discussions,
                    "platforms": {"yammer": self.platform}}}]}
        path = self.root / "mkdocs.yml"
        path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        return path

    def sync(self, *args: str, env: dict[str, str] | None = None, now: str = NOW) -> Result:
        out, err = io.StringIO(), io.StringIO()
        environment = {TOKEN_ENV: TOKEN, "FIRESIDE_NOW": now} if env is None else env
        code = main(["-f", str(self.config()), *args], env=environment, stdout=out, stderr=err)
        return Result(code, out.getvalue(), err.getvalue())

    def snapshot(self, thread_id: int) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(
            (self.snapshots / "yammer" / f"{thread_id}.json").read_text(encoding="utf-8"))
        return data

    def state(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads((self.snapshots / "_state.json").read_text())
        return data

    def files(self) -> dict[str, bytes]:
        """Every file under the snapshots folder, by relative path."""
        if not self.snapshots.exists():
            return {}
        return {p.relative_to(self.snapshots).as_posix(): p.read_bytes()
                for p in sorted(self.snapshots.rglob("*")) if p.is_file()}


@pytest.fixture
def fake() -> Iterator[FakeYammer]:
    """A fake Viva Engage serving on 127.0.0.1; it expects the sentinel token."""
    with FakeYammer(token=TOKEN) as server:
        yield server


@pytest.fixture
def project(tmp_path: Path, fake: FakeYammer) -> SyncProject:
    """An empty project (two authors, no posts) wired to ``fake``."""
    return SyncProject(tmp_path / "proj", fake)
