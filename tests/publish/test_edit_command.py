"""``fireside edit`` says what is wrong in one line, never with a traceback."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import Project


def edit(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "fireside.commands.cli", "edit", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120, check=False)


def test_missing_config_file(tmp_path: Path) -> None:
    done = edit("-f", "nowhere.yml", cwd=tmp_path)

    assert done.returncode == 1
    assert done.stderr.strip() == ("fireside edit: nowhere.yml: not found; run this in the "
                                   "folder holding mkdocs.yml or pass -f PATH")


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed")
def test_editor_not_installed_names_npm_ci(project: Project) -> None:
    project.post("hello")
    config = project.config()

    done = edit("-f", str(config), "--no-install", cwd=project.root)

    assert done.returncode == 1
    assert "run 'npm ci' there" in done.stderr
    assert "Traceback" not in done.stderr
