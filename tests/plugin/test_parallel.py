"""Converting half of the pages in a second process gives the same site, byte for byte."""

from __future__ import annotations

import filecmp
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from fireside.adapter import parallel
from tests.conftest import Project


def _posts(project: Project, count: int = 12) -> None:
    for i in range(1, count + 1):
        project.post(f"post-{i:02d}", f"Opening {i}.\n\n## Part\n\nSee [the first](post-01.md).\n",
                     date=f"2026-01-{i:02d} 09:00")


def _tree(site: Path) -> list[str]:
    return sorted(str(p.relative_to(site)) for p in site.rglob("*") if p.is_file())


def _same(left: Path, right: Path) -> None:
    files = _tree(left)
    assert files == _tree(right) and len(files) > 20
    _, mismatch, errors = filecmp.cmpfiles(left, right, files, shallow=False)
    assert (mismatch, errors) == ([], [])


def test_two_processes_build_the_same_site(project: Project, monkeypatch: pytest.MonkeyPatch,
                                           caplog: pytest.LogCaptureFixture) -> None:
    _posts(project)
    monkeypatch.setattr(parallel, "MIN_PAGES", 10**6)  # one process: the reference
    project.build()
    serial = project.root / "serial"
    shutil.copytree(project.site_dir, serial)
    shutil.rmtree(project.root / ".cache")
    monkeypatch.setattr(parallel, "MIN_PAGES", 4)
    with caplog.at_level(logging.DEBUG, logger="fireside.adapter.parallel"):
        project.build()
    said = [r.getMessage() for r in caplog.records if "second process" in r.getMessage()]
    converted = [m for m in said if "converted" in m]
    rendered = [m for m in said if "rendered" in m]
    assert converted and int(converted[0].split()[1]) >= 5
    assert rendered and int(rendered[0].split()[1]) >= 5
    _same(serial, project.site_dir)


def test_a_warning_in_the_second_process_is_reported_once(project: Project) -> None:
    _posts(project)
    project.post("post-12", "Broken [link](missing.md).\n", date="2026-01-12 09:00")
    config = project.config()
    code = ("import sys; from fireside.adapter import parallel; parallel.MIN_PAGES = 4; "
            "from mkdocs.__main__ import cli; sys.argv = ['mkdocs', 'build', '-f', sys.argv[1]]; "
            "cli()")
    run = subprocess.run([sys.executable, "-c", code, str(config)], capture_output=True,
                         text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, check=False)
    assert run.returncode == 0, run.stderr
    assert run.stderr.count("contains a link 'missing.md'") == 1, run.stderr  # parent only
    assert 'href="missing.md"' in project.html("posts/post-12/")


def test_a_plugin_that_reads_pages_keeps_one_process(project: Project) -> None:
    (project.root / "hooks.py").write_text(
        "def on_page_markdown(markdown, page, config, files):\n    return markdown\n",
        encoding="utf-8")
    project.config_extra["hooks"] = ["hooks.py"]
    from mkdocs.config import load_config

    config = load_config(str(project.config()))
    assert parallel.parallel_allowed(config, serving=False) == \
        "the plugin hooks.py acts on pages as they are read"
    assert parallel.parallel_allowed(config, serving=True) == "mkdocs serve"


def test_a_failing_second_process_leaves_the_work_to_the_build(
        project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    _posts(project)
    monkeypatch.setattr(parallel, "MIN_PAGES", 10**6)
    project.build()
    serial = project.root / "serial"
    shutil.copytree(project.site_dir, serial)
    shutil.rmtree(project.root / ".cache")

    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("the second process fails")

    monkeypatch.setattr(parallel, "MIN_PAGES", 4)
    monkeypatch.setattr(parallel, "_populate_page", broken)  # runs only in the children
    monkeypatch.setattr(parallel, "get_context", broken)
    project.build()
    _same(serial, project.site_dir)
    assert not list((project.root / ".cache" / "fireside").glob(".*"))  # no handover left
