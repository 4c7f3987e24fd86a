"""Build benchmark: Fireside against the floor and mkdocs-material's blog plugin.

usage: python benchmarks/bench_build.py [--sizes 1000 5000] [--repeat 2] [--out DIR]

For each size it generates the shared corpus (``../shared/bench/gen_corpus.py``) in the three
layouts and runs whole ``mkdocs build``s in child processes, printing wall time, peak memory
(max RSS of the child) and ratios to the floor. Builds of one size run in the same process tree
one after another, so their ratios are comparable; absolute times depend on the machine.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
GEN = ROOT.parent / "shared" / "bench" / "gen_corpus.py"
THEME = {"name": "material", "font": False}


@dataclass(frozen=True)
class Result:
    """One measured build."""

    name: str
    seconds: float
    peak_mb: float


def _write_config(project: Path, plugins: list[object], **extra: object) -> Path:
    config = {"site_name": "Bench", "site_url": "https://intranet.example.com/",
              "docs_dir": "content", "theme": THEME, "plugins": plugins, **extra}
    path = project / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path


def _generate(project: Path, size: int, layout: str) -> None:
    if project.exists():
        shutil.rmtree(project)
    project.mkdir(parents=True)
    subprocess.run([sys.executable, str(GEN), str(project / "content"), str(size),
                    "--layout", layout], check=True, stdout=subprocess.DEVNULL)


def _build_once(name: str, project: Path) -> tuple[float, float]:
    """One ``mkdocs build`` in a child process: wall seconds and peak RSS in MB."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "FIRESIDE_NOW": "2030-01-01"}
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "build", "-q", "-d",
                             str(project / "site")], cwd=project, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{name}: mkdocs build failed in {project}")
    return elapsed, usage.ru_maxrss / 1024


def _measure(runs: list[tuple[str, Path]], repeat: int) -> list[Result]:
    """Build every variant once per round, ``repeat`` rounds, keeping the fastest time and the
    largest RSS; interleaving keeps drift on a shared machine out of the ratios."""
    best = {name: float("inf") for name, _ in runs}
    peak = dict.fromkeys(best, 0.0)
    for _ in range(repeat):
        for name, project in runs:
            seconds, megabytes = _build_once(name, project)
            best[name] = min(best[name], seconds)
            peak[name] = max(peak[name], megabytes)
    return [Result(name, best[name], peak[name]) for name, _ in runs]


def _snapshots(project: Path) -> None:
    """Give every post of a Fireside corpus a discussion and a snapshot (when sync exists)."""
    make = _snapshot_writer()
    if make is None:
        return
    posts = sorted((project / "content" / "posts").glob("*.md"))
    for index, post in enumerate(posts, start=1):
        text = post.read_text(encoding="utf-8")
        thread_id = str(3_000_000_000 + index)
        post.write_text(text.replace("\n---\n", f"\ndiscussion: yammer:{thread_id}\n---\n", 1),
                        encoding="utf-8")
        make(project / "data" / "discussions", thread_id, index)


def _snapshot_writer() -> Callable[[Path, str, int], None] | None:
    try:
        sys.path.insert(0, str(ROOT / "benchmarks"))
        from bench_snapshots import write_snapshot
    except ImportError:
        return None
    return write_snapshot


def variants(size: int, base: Path, with_peer: bool) -> list[tuple[str, Path]]:
    """Generate the corpora and configurations for one size."""
    runs: list[tuple[str, Path]] = []
    floor = base / f"floor-{size}"
    _generate(floor, size, "plain")
    _write_config(floor, ["search"], not_in_nav="/posts/")
    runs.append(("floor (plain pages, search)", floor))
    if with_peer:
        peer = base / f"material-{size}"
        _generate(peer, size, "material")
        _write_config(peer, ["search", {"blog": {
            "blog_dir": "blog", "archive": True, "categories": True, "pagination": True,
            "post_readtime": True}}])
        runs.append(("material blog plugin", peer))
    fireside_opts = {"timezone": "UTC"}
    for label, options in (
        ("fireside, no feeds/discussions", {"feeds": {"enabled": False},
                                            "discussions": {"enabled": False}}),
        ("fireside, feeds", {"discussions": {"enabled": False}}),
        ("fireside, feeds + discussions", {"discussions": {"snapshots": "data/discussions"}}),
    ):
        project = base / f"fireside-{size}-{len(runs)}"
        _generate(project, size, "fireside")
        if "snapshots" in options.get("discussions", {}):
            _snapshots(project)
        _write_config(project, ["search", {"fireside": {**fireside_opts, **options}}])
        runs.append((label, project))
    return runs


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print a table per size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--peer-max", type=int, default=1000,
                        help="build the Material blog peer only up to this size (it is slow)")
    parser.add_argument("--out", type=Path, default=ROOT / ".bench")
    args = parser.parse_args(argv)
    results: dict[int, list[Result]] = {}
    for size in args.sizes:
        runs = variants(size, args.out, with_peer=size <= args.peer_max)
        results[size] = _measure(runs, args.repeat)
        floor = results[size][0]
        print(f"\n{size} posts (best of {args.repeat} interleaved rounds):")
        print(f"  {'build':34} {'time':>8} {'x floor':>8} {'peak MB':>8} {'x floor':>8}")
        for r in results[size]:
            print(f"  {r.name:34} {r.seconds:7.2f}s {r.seconds / floor.seconds:7.2f}x "
                  f"{r.peak_mb:7.0f}  {r.peak_mb / floor.peak_mb:7.2f}x")
        full = results[size][-1]
        for label, base_name in (("feeds add", "fireside, no feeds/discussions"),
                                 ("discussions add", "fireside, feeds")):
            base_run = next(r for r in results[size] if r.name == base_name)
            other = next(r for r in results[size] if r.name == (
                "fireside, feeds" if label == "feeds add" else full.name))
            print(f"  {label} {100 * (other.seconds / base_run.seconds - 1):+.1f}%")
    if len(args.sizes) >= 2:
        small, large = min(args.sizes), max(args.sizes)
        print(f"\n{large} posts against {small}:")
        bigger = {r.name: r for r in results[large]}
        for a in results[small]:
            if (b := bigger.get(a.name)) is not None:
                print(f"  {a.name:34} {b.seconds / a.seconds:5.2f}x time")
    return 0


if __name__ == "__main__":
    sys.exit(main())
