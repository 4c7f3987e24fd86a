"""A post linked to several threads: its figures count every thread, each person once."""

from __future__ import annotations

import json
from pathlib import Path

from fireside.commands.cli import main
from tests.conftest import Project, make_reply, save_thread


def test_two_threads_make_one_post(tmp_path: Path) -> None:
    project = Project(tmp_path / "proj")
    project.post("both", date="2026-05-01T09:00:00Z",
                 discussion=["yammer:4000000001", "yammer:4000000002"])
    snaps = project.root / "data" / "discussions"
    save_thread(snaps, "4000000001", [
        make_reply(f"4100000{n}", author=f"16000000{n:02d}", created=f"2026-05-01T1{n}:00:00Z",
                   likes=n) for n in (1, 2, 3)], likes=2)
    save_thread(snaps, "4000000002", [
        *(make_reply(f"4200000{n}", author=f"16000000{n:02d}", created=f"2026-05-02T1{n}:00:00Z")
          for n in (3, 4, 5)),
        make_reply("42000009", author="1500000001", created="2026-05-03T09:00:00Z", host=True,
                   parent="42000003"),
    ], likes=6)
    config = str(project.config())
    assert main(["insights", "-f", config, "-o", str(tmp_path / "out")]) == 0
    data = json.loads((tmp_path / "out" / "insights.json").read_text(encoding="utf-8"))
    (post,) = data["posts"]
    # 6 staff replies; a3 wrote in both threads, so 5 people.
    assert (post["replies_7d"], post["participants_7d"], post["replies"]) == (6, 5, 6)
    assert post["likes"] == 2 + 1 + 2 + 3 + 6  # both starters and the replies
    assert post["leader_replied"] is True and post["hours_to_first_leader_reply"] == 48.0
    assert data["generated_from"]["threads"] == 2


def test_small_thread_hides_replies_and_likes(tmp_path: Path) -> None:
    project = Project(tmp_path / "proj")
    project.post("small", date="2026-05-01T09:00:00Z", discussion="yammer:4000000003")
    save_thread(project.root / "data" / "discussions", "4000000003", [
        make_reply(f"4300000{n}", author=f"16000000{n:02d}", created="2026-05-01T10:00:00Z",
                   likes=9) for n in (1, 2, 3)], likes=40)
    config = str(project.config())
    assert main(["insights", "-f", config, "-o", str(tmp_path / "out")]) == 0
    data = json.loads((tmp_path / "out" / "insights.json").read_text(encoding="utf-8"))
    (post,) = data["posts"]
    assert post["suppressed"] == ["likes", "participants_7d", "replies", "replies_7d"]
    assert [post[k] for k in post["suppressed"]] == [None, None, None, None]
    assert post["leader_replied"] is False  # about the leader, never suppressed
