"""Edit one post while ``mkdocs serve`` runs: the time from saving the file to the rebuilt site.

usage: python benchmarks/bench_serve.py [--size 1000] [--edits 3] [--out DIR]

Generates the whole blog (as ``bench_build.py`` does), then for the render cache off and on:
starts ``mkdocs serve`` on 127.0.0.1, waits for the first build, and edits one post ``--edits``
times. Each edit is timed from the file's save to MkDocs' "Reloading browsers" (the rebuilt
site is being served), and the served page is checked to hold the edit. Prints the median.
"""

from __future__ import annotations

import argparse
import os
import queue
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_build import ROOT, _generate, _whole_blog, _write_config


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _lines(stream: object, into: queue.Queue[tuple[float, str]]) -> None:
    for line in stream:  # type: ignore[attr-defined]
        into.put((time.perf_counter(), line.rstrip()))


def _wait_for(lines: queue.Queue[tuple[float, str]], text: str, timeout: float) -> float:
    deadline = time.perf_counter() + timeout
    while (left := deadline - time.perf_counter()) > 0:
        try:
            when, line = lines.get(timeout=left)
        except queue.Empty:
            break
        if "ERROR" in line or "Traceback" in line:
            raise SystemExit(f"mkdocs serve: {line}")
        if text in line:
            return when
    raise SystemExit(f"mkdocs serve: no {text!r} within {timeout:.0f} s")


def measure(project: Path, edits: int) -> list[float]:
    """Serve ``project``, edit one post ``edits`` times; the seconds from save to rebuilt."""
    port = _free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "FIRESIDE_NOW": "2030-01-01"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    lines: queue.Queue[tuple[float, str]] = queue.Queue()
    threading.Thread(target=_lines, args=(proc.stderr, lines), daemon=True).start()
    posts = sorted((project / "content" / "posts").glob("*.md"))
    post = posts[len(posts) // 2]
    original = post.read_text(encoding="utf-8")
    times = []
    try:
        _wait_for(lines, "Serving on", timeout=600)
        for n in range(edits):
            time.sleep(1.0)  # let the watcher settle between edits
            marker = f"Edited while serving, take {n}."
            post.write_text(original + f"\n{marker}\n", encoding="utf-8")
            saved = time.perf_counter()
            done = _wait_for(lines, "Reloading browsers", timeout=600)
            times.append(done - saved)
            url = f"http://127.0.0.1:{port}/posts/" + _slug_of(project, post)
            with urllib.request.urlopen(url, timeout=30) as response:
                if marker not in response.read().decode("utf-8"):
                    raise SystemExit(f"the served page {url} does not hold the edit")
    finally:
        post.write_text(original, encoding="utf-8")
        proc.terminate()
        proc.wait(timeout=30)
    return times


def _slug_of(project: Path, post: Path) -> str:
    """The post's URL below ``posts/`` (the default ``post_url_format``: the title's slug)."""
    title = next(line for line in post.read_text(encoding="utf-8").splitlines()
                 if line.startswith("title:"))
    from fireside.core.urls import slugify

    return slugify(title.split(":", 1)[1].strip().strip('"')) + "/"


def main(argv: list[str] | None = None) -> int:
    """Run the measurement and print the median per configuration."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=3)
    parser.add_argument("--out", type=Path, default=ROOT / ".bench")
    parser.add_argument("--only", choices=["off", "on"], help="measure one configuration")
    args = parser.parse_args(argv)
    project = args.out / f"serve-{args.size}"
    _generate(project, args.size, "fireside")
    _whole_blog(project)
    print(f"\nEditing one post in mkdocs serve, {args.size} posts (whole blog), "
          f"median of {args.edits} edits:")
    for label, cache in (("render cache off", False), ("render cache on", True)):
        if args.only and args.only != ("on" if cache else "off"):
            continue
        shutil.rmtree(project / ".cache", ignore_errors=True)
        _write_config(project, ["search", {"fireside": {
            "timezone": "UTC", "discussions": {"snapshots": "data/discussions"},
            **({} if cache else {"cache": False})}}])
        times = measure(project, args.edits)
        print(f"  {label:18} {statistics.median(times):6.2f} s from save to rebuilt site "
              f"({', '.join(f'{t:.2f}' for t in times)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
