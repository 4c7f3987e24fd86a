"""``fireside sync`` and the build read one configuration: with non-default folders, a renamed
authors file and an ``INHERIT:``ed ``mkdocs.yml``, sync fetches exactly the build's threads, and
the build shows what sync wrote."""

from __future__ import annotations

import io
import json
from pathlib import Path

import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config

from fireside.commands.sync import main
from tests.fakeplatform.yammer import FakeYammer, make_thread
from tests.sync.conftest import AUTHORS, NOW, TOKEN, TOKEN_ENV


def _site(root: Path, api_url: str) -> Path:
    docs = root / "docs"
    base = {
        "site_name": "Parity", "site_url": "https://intranet.example.com/",
        "theme": {"name": "material", "font": False},
        "plugins": {"search": {}, "fireside": {
            "timezone": "UTC", "now": "2026-03-10 08:00", "posts_dir": "articles",
            "qa_dir": "sessions", "authors_file": "people/team.yml",
            "discussions": {"snapshots": "state/threads"},
            "platforms": {"yammer": {
                "api_url": api_url, "token_env": TOKEN_ENV, "timeout_seconds": 2,
                "rate_limit": {"requests": 1000, "per_seconds": 0.1},
                "retries": {"attempts": 2, "backoff_seconds": 0.01, "max_wait_seconds": 1}}}}},
    }
    files = {
        "people/team.yml": yaml.safe_dump({"authors": AUTHORS}),
        "articles/2026/results.md": "---\ntitle: Results\ndate: 2026-03-01 09:00\n"
                                    "authors: [ceo]\ndiscussion: yammer:2000000001\n---\n\nB.\n",
        "sessions/ama.md": "---\ntitle: AMA\ndate: 2026-03-02 12:00\nhosts: [cfo]\n"
                           "discussion: yammer:2100000001\n---\n",
        # In the default folders: neither sync nor the build may take these for posts.
        "posts/stray.md": "---\ntitle: Stray\ndate: 2026-03-01\nauthors: [ceo]\n"
                          "discussion: yammer:2999999999\n---\n",
    }
    for rel, text in files.items():
        (docs / rel).parent.mkdir(parents=True, exist_ok=True)
        (docs / rel).write_text(text, encoding="utf-8")
    (root / "base.yml").write_text(yaml.safe_dump(base), encoding="utf-8")
    config = root / "mkdocs.yml"
    config.write_text("INHERIT: base.yml\ndocs_dir: docs\nsite_dir: site\n", encoding="utf-8")
    return config


def test_sync_fetches_the_builds_threads_and_the_build_shows_them(tmp_path: Path,
                                                                  fake: FakeYammer) -> None:
    config_file = _site(tmp_path, fake.url)
    for thread_id, host in ((2000000001, 1500000001), (2100000001, 1500000002)):
        messages, users = make_thread(thread_id, 6, host=host)
        fake.add_thread(thread_id, messages, users)
    out, err = io.StringIO(), io.StringIO()
    code = main(["-f", str(config_file)], env={TOKEN_ENV: TOKEN, "FIRESIDE_NOW": NOW},
                stdout=out, stderr=err)
    assert code == 0, err.getvalue()
    snapshots = tmp_path / "state/threads/yammer"
    assert sorted(p.name for p in snapshots.glob("*.json")) == ["2000000001.json",
                                                                "2100000001.json"]
    post_thread = json.loads((snapshots / "2000000001.json").read_text("utf-8"))["thread"]
    # Hosts come from people/team.yml: the CEO's reply on the post, the CFO's on the AMA.
    assert [r["author_id"] for r in post_thread["replies"] if r["is_host"]] == ["1500000001"]
    ama = json.loads((snapshots / "2100000001.json").read_text(encoding="utf-8"))["thread"]
    assert [r["author_id"] for r in ama["replies"] if r["is_host"]] == ["1500000002"]

    config = load_config(str(config_file))
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    replies = post_thread["totals"]["replies"]
    page = (tmp_path / "site/posts/results/index.html").read_text(encoding="utf-8")
    assert f"{replies} replies" in page
    assert (tmp_path / "site/qa/ama/index.html").is_file()
