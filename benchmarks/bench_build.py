"""Build benchmark: Fireside against the floor and mkdocs-material's blog plugin.

usage: python benchmarks/bench_build.py [--sizes 1000 5000] [--repeat 2] [--out DIR]

For each size it generates the shared corpus (``../shared/bench/gen_corpus.py``) in the three
layouts and runs whole ``mkdocs build``s in child processes, printing wall time, peak memory
(max RSS of the child) and ratios to the floor, as a Markdown table. The variants: the floor,
Material's blog plugin, Fireside bare, and the whole blog (listings, archives, categories, tags,
authors, every feed, a 20-reply discussion snapshot per post, five Q&A sessions of 100
questions, the Subscribe page) cold (no render cache), warm with nothing changed, and warm with
one post edited before each build. Builds of one size run in the same process tree
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
# ``shared/`` sits beside the repository (``/work/main``) or above a worktree (``/work/wt/x``).
GEN = next((p / "shared" / "bench" / "gen_corpus.py" for p in ROOT.parents
            if (p / "shared" / "bench" / "gen_corpus.py").is_file()),
           ROOT.parent / "shared" / "bench" / "gen_corpus.py")
THEME = {"name": "material", "font": False}


@dataclass(frozen=True)
class Result:
    """One measured build."""

    name: str
    seconds: float
    """Wall time."""
    cpu: float
    """CPU time of the build (user + system): steadier than wall time on a shared machine."""
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


def _build_once(name: str, project: Path, pythonpath: str | None = None,
                ) -> tuple[float, float, float]:
    """One ``mkdocs build`` in a child process: wall and CPU seconds, and peak RSS in MB."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "FIRESIDE_NOW": "2030-01-01"}
    if pythonpath:  # another copy of the code first on the path: a baseline to compare with
        env["PYTHONPATH"] = pythonpath
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "build", "-q", "-d",
                             str(project / "site")], cwd=project, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{name}: mkdocs build failed in {project}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


@dataclass(frozen=True)
class Variant:
    """One build to measure; ``before`` runs (unmeasured) ahead of each measured build."""

    name: str
    project: Path
    before: Callable[[int], None] | None = None
    pythonpath: str | None = None


def _measure(runs: list[Variant], repeat: int) -> list[Result]:
    """Build every variant once per round, ``repeat`` rounds, keeping the fastest time and the
    largest RSS; interleaving keeps drift on a shared machine out of the ratios."""
    best = {run.name: float("inf") for run in runs}
    cpu = dict(best)
    peak = dict.fromkeys(best, 0.0)
    for round_no in range(repeat):
        for run in runs:
            if run.before is not None:
                run.before(round_no)
            seconds, cpu_seconds, megabytes = _build_once(run.name, run.project, run.pythonpath)
            best[run.name] = min(best[run.name], seconds)
            cpu[run.name] = min(cpu[run.name], cpu_seconds)
            peak[run.name] = max(peak[run.name], megabytes)
    return [Result(run.name, best[run.name], cpu[run.name], peak[run.name]) for run in runs]


def _whole_blog(project: Path) -> None:
    """Turn a Fireside corpus into the whole blog: a 20-reply discussion for every post, the
    hosts' platform ids, and five Q&A sessions of 100 questions with their snapshots."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bench_snapshots import HOST_ID, write_qa_snapshot, write_snapshot

    content, data = project / "content", project / "data" / "discussions"
    for index, post in enumerate(sorted((content / "posts").glob("*.md")), start=1):
        text = post.read_text(encoding="utf-8")
        thread_id = str(3_000_000_000 + index)
        post.write_text(text.replace("\n---\n", f"\ndiscussion: yammer:{thread_id}\n---\n", 1),
                        encoding="utf-8")
        write_snapshot(data, thread_id, index, replies=20)
    authors = content / ".authors.yml"
    lines = authors.read_text(encoding="utf-8").splitlines()
    platform_id = int(HOST_ID)
    with_ids = []
    for line in lines:
        with_ids.append(line)
        if line.startswith("    avatar:"):
            with_ids.append(f"    platforms:\n      yammer: {platform_id}")
            platform_id += 1
    authors.write_text("\n".join(with_ids) + "\n", encoding="utf-8")
    (content / "qa").mkdir()
    for n in range(1, 6):
        thread_id = str(4_000_000_000 + n)
        (content / "qa" / f"2029-session-{n}.md").write_text(
            f"---\ntitle: Ask the CEO anything, part {n}\ndate: 2029-0{n}-15 09:00\n"
            f"hosts: [ceo]\ndiscussion: yammer:{thread_id}\nstatus: closed\n"
            "description: Questions from staff, answered in writing.\n---\n\n"
            "Ask your questions in the thread; I answer the most liked ones here.\n",
            encoding="utf-8")
        write_qa_snapshot(data, thread_id, n, questions=100)


def _clear_cache(project: Path) -> Callable[[int], None]:
    def clear(_round: int) -> None:
        shutil.rmtree(project / ".cache", ignore_errors=True)
    return clear


def _edit_one_post(project: Path) -> Callable[[int], None]:
    posts = sorted((project / "content" / "posts").glob("*.md"))
    post = posts[len(posts) // 2]
    original = post.read_text(encoding="utf-8")

    def edit(round_no: int) -> None:
        post.write_text(original + f"\nEdited in round {round_no}: one more sentence.\n",
                        encoding="utf-8")
    return edit


def variants(size: int, base: Path, with_peer: bool,
             baseline: Path | None = None) -> list[Variant]:
    """Generate the corpora and configurations for one size."""
    runs: list[Variant] = []
    floor = base / f"floor-{size}"
    _generate(floor, size, "plain")
    _write_config(floor, ["search"], not_in_nav="/posts/")
    runs.append(Variant("floor (plain pages, search)", floor))
    if with_peer:
        peer = base / f"material-{size}"
        _generate(peer, size, "material")
        _write_config(peer, ["search", {"blog": {
            "blog_dir": "blog", "archive": True, "categories": True, "pagination": True,
            "post_readtime": True}}])
        runs.append(Variant("material blog plugin", peer))
    bare = base / f"fireside-{size}-bare"
    _generate(bare, size, "fireside")
    _write_config(bare, ["search", {"fireside": {
        "timezone": "UTC", "feeds": {"enabled": False}, "discussions": {"enabled": False}}}])
    runs.append(Variant("fireside bare (no feeds/discussions)", bare, _clear_cache(bare)))
    whole = {"timezone": "UTC", "discussions": {"snapshots": "data/discussions"}}
    projects = {}
    for kind in ("cold", "warm", "edit") + (("baseline",) if baseline else ()):
        projects[kind] = project = base / f"fireside-{size}-whole-{kind}"
        _generate(project, size, "fireside")
        _whole_blog(project)
        _write_config(project, ["search", {"fireside": whole}])
    _build_once("whole blog (priming the cache)", projects["warm"])
    _build_once("whole blog (priming the cache)", projects["edit"])
    if baseline:
        runs.append(Variant("whole blog, cold (--baseline code)", projects["baseline"],
                            _clear_cache(projects["baseline"]), str(baseline)))
    runs += [
        Variant("whole blog, cold", projects["cold"], _clear_cache(projects["cold"])),
        Variant("whole blog, warm (no change)", projects["warm"]),
        Variant("whole blog, warm (1 post edited)", projects["edit"],
                _edit_one_post(projects["edit"])),
    ]
    return runs


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print a table per size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--peer-max", type=int, default=1000,
                        help="build the Material blog peer only up to this size (it is slow)")
    parser.add_argument("--out", type=Path, default=ROOT / ".bench")
    parser.add_argument("--baseline", type=Path, metavar="DIR",
                        help="also build the whole blog cold with the fireside package in DIR "
                             "(e.g. an older checkout's plugins/), for before/after in one run")
    args = parser.parse_args(argv)
    results: dict[int, list[Result]] = {}
    for size in args.sizes:
        runs = variants(size, args.out, with_peer=size <= args.peer_max,
                        baseline=args.baseline.resolve() if args.baseline else None)
        results[size] = _measure(runs, args.repeat)
        floor = results[size][0]
        print(f"\n{size} posts (best of {args.repeat} interleaved rounds; CPU = user + system "
              "time of the build, the steadier measure on a shared machine):")
        head = ("build", "wall", "x floor", "CPU", "x floor", "peak MB", "x floor")
        print(f"  | {head[0]:36} | " + " | ".join(f"{h:>7}" for h in head[1:]) + " |")
        print(f"  |{'-' * 38}|" + "|".join(["-" * 8 + ":"] * 6) + "|")
        for r in results[size]:
            print(f"  | {r.name:36} | {r.seconds:6.2f}s | {r.seconds / floor.seconds:6.2f}x "
                  f"| {r.cpu:6.2f}s | {r.cpu / floor.cpu:6.2f}x "
                  f"| {r.peak_mb:7.0f} | {r.peak_mb / floor.peak_mb:6.2f}x |")
    if len(args.sizes) >= 2:
        small, large = min(args.sizes), max(args.sizes)
        print(f"\n{large} posts against {small}:")
        bigger = {r.name: r for r in results[large]}
        for a in results[small]:
            if (b := bigger.get(a.name)) is not None:
                print(f"  {a.name:36} {b.seconds / a.seconds:5.2f}x wall "
                      f"{b.cpu / a.cpu:5.2f}x CPU")
    return 0


if __name__ == "__main__":
    sys.exit(main())
