"""Run the real ``fireside sync`` in a child process against a fake server (demo and bench)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
TOKEN_ENV = "FIRESIDE_FAKE_YAMMER_TOKEN"


@dataclass(frozen=True)
class ChildRun:
    """What one child ``fireside sync`` did."""

    code: int
    output: str
    seconds: float
    max_rss_kib: int
    report: Mapping[str, Any]


def write_config(path: Path, *, docs_dir: Path, snapshots: Path, api_url: str,
                 timezone: str = "UTC", extra: Mapping[str, Any] | None = None,
                 platforms: Mapping[str, Any] | None = None) -> Path:
    """A minimal ``mkdocs.yml`` whose yammer platform is the fake server (no throttle);
    ``platforms`` adds further platform sections."""
    options = {"timezone": timezone, "discussions": {"snapshots": str(snapshots)},
               "platforms": {"yammer": {"api_url": api_url, "token_env": TOKEN_ENV,
                                        "rate_limit": {"requests": 1000, "per_seconds": 1},
                                        "retries": {"attempts": 3, "backoff_seconds": 0.1}},
                             **(platforms or {})},
               **(extra or {})}
    data = {"site_name": "fake", "docs_dir": str(docs_dir),
            "plugins": [{"fireside": options}]}
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def run_sync(config: Path, args: Sequence[str], *, token: str, now: str,
             report: Path, env_extra: Mapping[str, str] | None = None) -> ChildRun:
    """``python -m fireside_sync -f CONFIG ARGS`` with the fake token, timed and measured."""
    env = {**os.environ, TOKEN_ENV: token, "FIRESIDE_NOW": now, **(env_extra or {}),
           "PYTHONPATH": os.pathsep.join([str(ROOT / "plugins"), str(ROOT / "sync"),
                                          os.environ.get("PYTHONPATH", "")])}
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-m", "fireside_sync", "-f", str(config), "--report", str(report),
         *args], env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert process.stdout is not None
    output = process.stdout.read().decode()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    process.stdout.close()
    seconds = time.monotonic() - started
    data = json.loads(report.read_text()) if report.exists() else {}
    return ChildRun(process.returncode, output, seconds, usage.ru_maxrss, data)
