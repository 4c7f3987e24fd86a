"""Benchmark ``fireside sync`` on 1,000 threads from a loopback server with real latency.

    python -m tests.fakeplatform.bench_sync [--threads 1000] [--latency 0.08]

Writes 1,000 posts (one every 1.1 days back from "now") and their threads (0 to 22 messages,
so some take two pages) into a temporary project, then runs the real sync in a child process
twice: a first full run, and a routine run one day later that is unchanged, where the
schedule leaves old threads alone (no request). Prints requests, wall time and the child's
peak memory (``ru_maxrss``). The client throttle is set high: the loopback has no limit.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
from pathlib import Path

import yaml

from tests.fakeplatform.run import ChildRun, run_sync, write_config
from tests.fakeplatform.yammer import FakeYammer, make_thread

NOW = dt.datetime(2026, 11, 23, 7, 0, tzinfo=dt.UTC)
TOKEN = "bench-token"


def write_project(root: Path, fake: FakeYammer, threads: int) -> Path:
    """Posts and threads for the benchmark; returns the docs folder."""
    docs = root / "content"
    (docs / "posts").mkdir(parents=True)
    authors = {"ceo": {"name": "Dana Whitfield", "platforms": {"yammer": 1500000001}}}
    (docs / ".authors.yml").write_text(yaml.safe_dump({"authors": authors}))
    for i in range(threads):
        thread_id = 2000000001 + i
        posted = NOW - dt.timedelta(days=1.1 * i + 0.5)
        messages, users = make_thread(thread_id, (i * 7919) % 23, start=posted,
                                      host=1500000001)
        fake.add_thread(thread_id, messages, users)
        front = {"title": f"Post {i}", "date": posted.strftime("%Y-%m-%d %H:%M"),
                 "authors": ["ceo"], "discussion": f"yammer:{thread_id}"}
        (docs / "posts" / f"post-{i:04}.md").write_text(
            "---\n" + yaml.safe_dump(front) + "---\n\nBody.\n", encoding="utf-8")
    return docs


def row(name: str, run: ChildRun) -> str:
    """One line of the results table."""
    yammer = run.report.get("platforms", {}).get("yammer", {})
    counts = yammer.get("threads", {})
    return (f"{name:<16} {run.code:>4} {counts.get('fetched', 0):>8} "
            f"{counts.get('unchanged', 0):>9} {counts.get('skipped', 0):>7} "
            f"{yammer.get('requests', 0):>8} {run.seconds:>8.1f} {run.max_rss_kib / 1024:>9.1f}")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the table; non-zero if a run failed."""
    parser = argparse.ArgumentParser(prog="python -m tests.fakeplatform.bench_sync")
    parser.add_argument("--threads", type=int, default=1000)
    parser.add_argument("--latency", type=float, default=0.08, help="seconds per request")
    args = parser.parse_args(argv)
    with FakeYammer(token=TOKEN) as fake, tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        docs = write_project(root, fake, args.threads)
        fake.delay = args.latency
        config = write_config(root / "mkdocs.yml", docs_dir=docs,
                              snapshots=root / "data" / "discussions", api_url=fake.url)
        print(f"bench-sync: {args.threads} threads, {args.latency * 1000:.0f} ms a request, "
              "throttle off (loopback)")
        print(f"{'run':<16} {'exit':>4} {'fetched':>8} {'unchanged':>9} {'not due':>7} "
              f"{'requests':>8} {'wall s':>8} {'peak MiB':>9}")
        runs = [("first full run", ["--full"], NOW),
                ("routine, +1 day", [], NOW + dt.timedelta(days=1))]
        codes: list[int] = []
        for name, extra, now in runs:
            run = run_sync(config, extra, token=TOKEN, now=now.isoformat(),
                           report=root / f"report-{len(codes)}.json")
            print(row(name, run), flush=True)
            codes.append(run.code)
    return max(codes)


if __name__ == "__main__":
    sys.exit(main())
