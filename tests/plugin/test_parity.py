"""Sync and the build read one configuration: the same posts, Q&A sessions and authors."""

from __future__ import annotations

from pathlib import Path

import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config

from fireside.adapter.settings import load_settings
from fireside.core.content import authors_by_platform
from fireside_sync.runner import find_jobs
from tests.conftest import AUTHORS

BASE = {
    "site_name": "Parity",
    "site_url": "https://intranet.example.com/",
    "theme": {"name": "material", "font": False},
    "plugins": {"search": {}, "fireside": {
        "timezone": "Europe/London", "now": "2026-06-01 12:00", "posts_dir": "articles",
        "qa_dir": "sessions", "authors_file": "people/team.yml",
        "platforms": {"yammer": {"api_url": "http://127.0.0.1:9/api/v1"}}}},
}


def _site(root: Path) -> Path:
    docs = root / "docs"
    (docs / "people").mkdir(parents=True)
    (docs / "people/team.yml").write_text(yaml.safe_dump({"authors": AUTHORS}), "utf-8")
    for key in AUTHORS:
        (docs / f"authors/{key}.svg").parent.mkdir(exist_ok=True)
        (docs / f"authors/{key}.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>",
                                                 "utf-8")
    posts = {"articles/2026/results.md": ("Results", "ceo", "yammer:2000000001"),
             "articles/2026/people.md": ("People", "cfo", "yammer:2000000002"),
             "articles/2025/old.md": ("Old news", "ceo", "yammer:2000000003")}
    for rel, (title, author, link) in posts.items():
        (docs / rel).parent.mkdir(parents=True, exist_ok=True)
        (docs / rel).write_text(f"---\ntitle: {title}\ndate: 2026-01-0{len(title) % 9} 09:00\n"
                                f"authors: [{author}]\ndiscussion: {link}\n---\n\nBody.\n",
                                "utf-8")
    (docs / "sessions").mkdir()
    (docs / "sessions/ama.md").write_text(
        "---\ntitle: AMA\ndate: 2026-02-01 12:00\nhosts: [cfo]\n"
        "discussion: yammer:2100000001\n---\n", "utf-8")
    # Content in the default folders must be ignored by both.
    (docs / "posts").mkdir()
    (docs / "posts/stray.md").write_text("---\ntitle: Stray\ndate: 2026-01-01\nauthors: [ceo]\n"
                                         "discussion: yammer:2999999999\n---\n", "utf-8")
    (root / "base.yml").write_text(yaml.safe_dump(BASE), "utf-8")
    config = root / "mkdocs.yml"
    config.write_text("INHERIT: base.yml\ndocs_dir: docs\nsite_dir: site\n", "utf-8")
    return config


def test_sync_and_build_see_the_same_posts_sessions_and_authors(tmp_path: Path) -> None:
    config_file = _site(tmp_path)
    config = load_config(str(config_file))
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    plugin = config.plugins["fireside"]
    built = plugin.site.content  # type: ignore[attr-defined]
    built_posts = {p.src_uri for p in built.posts}
    built_sessions = {s.src_uri for s in built.sessions}
    assert built_posts == {"articles/2026/results.md", "articles/2026/people.md",
                           "articles/2025/old.md"}
    assert built_sessions == {"sessions/ama.md"}
    assert (tmp_path / "site/qa/ama/index.html").is_file()

    settings = load_settings(config_file)
    assert settings == plugin.settings  # type: ignore[attr-defined]
    jobs, hosts, bad_links = find_jobs(settings)
    assert bad_links == []
    synced = {post.removeprefix("docs/") for job in jobs for post in job.posts}
    assert synced == built_posts | built_sessions
    assert {job.ref.id for job in jobs} == {"2000000001", "2000000002", "2000000003",
                                            "2100000001"}
    by_platform = authors_by_platform(built.authors)
    assert {name: dict(h.names) for name, h in hosts.items()} == {
        platform: {user_id: author.name for user_id, author in people.items()}
        for platform, people in by_platform.items()}
    assert hosts["yammer"].names == {"1500000001": "Dana Whitfield", "1500000002": "Raj Patel"}
