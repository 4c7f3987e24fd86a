"""Shared fixtures: a throwaway Fireside project in ``tmp_path``, built with real MkDocs."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

import pytest
import yaml

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

AUTHORS: dict[str, Any] = {
    "ceo": {"name": "Dana Whitfield", "description": "Chief Executive Officer",
            "avatar": "authors/ceo.svg", "email": "dana@example.com",
            "platforms": {"yammer": 1500000001}},
    "cfo": {"name": "Raj Patel", "description": "Chief Financial Officer",
            "avatar": "authors/cfo.svg", "platforms": {"yammer": 1500000002}},
}
SVG = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8">'
       '<circle r="4" cx="4" cy="4"/></svg>')


class Project:
    """A Fireside project on disk: write content, then build it with real MkDocs."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.docs = root / "content"
        self.site_dir = root / "site"
        self.docs.mkdir(parents=True)
        self.options: dict[str, Any] = {"timezone": "Europe/London", "now": "2026-06-01 12:00"}
        self.config_extra: dict[str, Any] = {}
        self.authors(AUTHORS)
        for key in AUTHORS:
            self.write(f"authors/{key}.svg", SVG)

    def write(self, rel: str, text: str) -> Path:
        path = self.docs / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def authors(self, data: dict[str, Any]) -> None:
        self.write(".authors.yml", yaml.safe_dump({"authors": data}, sort_keys=False))

    def post(self, name: str, body: str = "Hello.\n", **front: Any) -> Path:
        front.setdefault("title", name.replace("-", " ").title())
        front.setdefault("date", "2026-01-15 09:00")
        front.setdefault("authors", ["ceo"])
        text = "---\n" + yaml.safe_dump(front, sort_keys=False) + "---\n\n" + body
        return self.write(f"posts/{name}.md", text)

    def config(self, **options: Any) -> Path:
        opts = {**self.options, **options}
        data = {
            "site_name": "Test blog",
            "site_url": "https://intranet.example.com/blog/",
            "docs_dir": "content",
            "site_dir": "site",
            "theme": {"name": "material", "font": False},
            "plugins": ["search", {"fireside": opts}],
            **self.config_extra,
        }
        path = self.root / "mkdocs.yml"
        path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        return path

    def build(self, command: Literal["build", "serve"] = "build", **options: Any) -> Path:
        """Run a real ``mkdocs build`` (or a serve-mode build with ``command='serve'``)."""
        from mkdocs.commands.build import build
        from mkdocs.config import load_config

        config = load_config(str(self.config(**options)))
        config.plugins.on_startup(command=command, dirty=False)
        try:
            build(config, serve_url="http://127.0.0.1:8000/" if command == "serve" else None)
        finally:
            config.plugins.on_shutdown()
        return self.site_dir

    def html(self, url: str) -> str:
        """The built page at a site-relative URL such as ``posts/hello/``."""
        path = self.site_dir / url
        if url.endswith("/") or not url:
            path = path / "index.html"
        return path.read_text(encoding="utf-8")


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Project]:
    """An empty project with two authors; build it with ``project.build()``."""
    yield Project(tmp_path / "proj")


@pytest.fixture(scope="module")
def module_project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Project]:
    """An empty project shared by one test module: build it once, assert many times."""
    yield Project(tmp_path_factory.mktemp("module") / "proj")


# -- discussions: snapshot files written for a test ---------------------------------------------


def make_reply(ident: str, *, parent: str | None = None, author: str = "1600000001",
               name: str = "Sam Jones", created: str = "2026-05-01T10:00:00Z",
               body: str = "<p>Great post.</p>", fmt: Literal["html", "text"] = "html",
               likes: int = 0,
               host: bool = False) -> Any:
    """A ``fireside.discussions.snapshots.Reply`` with test defaults."""
    from fireside.discussions.snapshots import Reply, parse_time

    return Reply(id=ident, parent_id=parent, author_id=author, author_name=name,
                 created=parse_time(created), body=body, body_format=fmt, likes=likes,
                 is_host=host)


def save_thread(directory: Path, thread_id: str, replies: list[Any], *, platform: str = "yammer",
                likes: int = 0, url: str | None = None,
                changed: str = "2026-05-31T12:00:00Z") -> Any:
    """Write a snapshot through ``SnapshotStore.save`` and return the thread."""
    from fireside.discussions.snapshots import SnapshotStore, Thread, Totals, parse_time

    thread = Thread(
        platform=platform, thread_id=thread_id,
        url=url or f"https://web.yammer.com/main/threads/{thread_id}",
        content_changed_at=parse_time(changed),
        totals=Totals(replies=len(replies), likes=likes,
                      participants=len({r.author_id for r in replies})),
        replies=tuple(replies))
    SnapshotStore(directory).save(thread)
    return thread
