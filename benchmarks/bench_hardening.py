"""Before/after figures for issue 16, items 7, 9 and 11 (time here, memory via /usr/bin/time).

    python benchmarks/bench_hardening.py trickle|endless|bodies [--threads N]

Run it under ``/usr/bin/time -v`` for the peak memory (``Maximum resident set size``). It uses
only what every version has (the loopback Viva Engage, ``fireside_sync.cli.main`` and a real
``mkdocs build``), so the same script measures the code before and after the fix: put the
other version first on ``PYTHONPATH``.

- ``trickle``: one thread of 1 reply whose 1.7 KB answer arrives a byte every 20 ms, with
  ``timeout_seconds: 2`` and 2 attempts (item 7).
- ``endless``: threads whose server offers an older page forever (item 9).
- ``bodies``: a build with a post whose top replies are 20,000 nested ``<div>``
  (``--nesting``) and a 500 KB reply, and a Q&A session asked the same two (item 11).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.conftest import Project, make_reply, save_thread
from tests.fakeplatform.yammer import FakeYammer, Scripted
from tests.sync.conftest import TOKEN, TOKEN_ENV, SyncProject

#: Nesting of the deep reply (``--nesting``).
NESTING = 20_000
ENV = {TOKEN_ENV: TOKEN, "FIRESIDE_NOW": "2026-03-10T08:00:00+00:00"}


def trickle(root: Path, threads: int) -> dict[str, object]:
    with FakeYammer(token=TOKEN) as fake:
        project = SyncProject(root, fake)
        project.platform.update(timeout_seconds=2,
                                retries={"attempts": 2, "backoff_seconds": 0.1,
                                         "max_wait_seconds": 5})
        project.thread(2000000001, 2)
        project.post("slow", "yammer:2000000001")
        fake.trickle_seconds = 0.02
        fake.fail("messages/in_thread/2000000001.json", *[Scripted(fault="trickle")] * 2)
        started = time.monotonic()
        result = project.sync()
        return {"seconds": round(time.monotonic() - started, 1), "exit": result.code,
                "requests": len(fake.requests)}


def endless(root: Path, threads: int) -> dict[str, object]:
    with FakeYammer(token=TOKEN) as fake:
        fake.endless = True
        project = SyncProject(root, fake)
        for index in range(threads):
            project.post(f"p{index}", f"yammer:{2000000001 + index}")
        started = time.monotonic()
        result = project.sync()
        return {"seconds": round(time.monotonic() - started, 1), "exit": result.code,
                "requests": len(fake.requests)}


def bodies(root: Path, threads: int) -> dict[str, object]:
    project = Project(root)
    project.options["now"] = "2026-06-01 12:00"
    project.post("hello", discussion="yammer:2000000001")
    project.write("qa/ama.md", "---\ntitle: AMA\ndate: 2026-05-01 09:00\nhosts: [ceo]\n"
                  "discussion: yammer:2000000002\n---\n\nAsk.\n")
    nested = "<div>" * NESTING + "deep" + "</div>" * NESTING
    question = "<p>" + "why " * 125_000 + "</p>"
    save_thread(root / "data/discussions", "2000000001", [
        make_reply("1", body=nested, likes=5), make_reply("2", body=question, likes=4)])
    save_thread(root / "data/discussions", "2000000002", [
        make_reply("3", body=question, likes=4), make_reply("4", body=nested, likes=3),
        make_reply("5", parent="3", author="1500000001", body="<p>Answer</p>", host=True)])
    started = time.monotonic()
    project.build()
    seconds = round(time.monotonic() - started, 1)
    page = (root / "site/posts/hello/index.html").read_text(encoding="utf-8")
    assert "why why" in page, "the replies were not rendered"
    return {"seconds": seconds, "page_kb": len(page) // 1024}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("scenario", choices=("trickle", "endless", "bodies"))
    parser.add_argument("--threads", type=int, default=5)
    parser.add_argument("--nesting", type=int, default=NESTING)
    args = parser.parse_args()
    globals()["NESTING"] = args.nesting
    run = {"trickle": trickle, "endless": endless, "bodies": bodies}[args.scenario]
    with tempfile.TemporaryDirectory() as tmp:
        print(json.dumps({"scenario": args.scenario, **run(Path(tmp) / "proj", args.threads)}))


if __name__ == "__main__":
    main()
