"""The CI definitions validate against their published schemas and do what the README says.

The schemas come vendored in ``check-jsonschema`` (``vendor.github-workflows``,
``vendor.gitlab-ci``), so this runs offline.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

pytest.importorskip("check_jsonschema", reason="install the test group: check-jsonschema")

ROOT = Path(__file__).resolve().parents[2]
GITHUB = ROOT / ".github/workflows/fireside.yml"
GITLAB = ROOT / ".gitlab-ci.yml"


def validate(schema: str, path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema",
                           f"vendor.{schema}", str(path)], capture_output=True, text=True,
                          timeout=120, check=False)


def load(path: Path) -> dict[Any, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


@pytest.mark.parametrize(("schema", "path"), [("github-workflows", GITHUB),
                                              ("gitlab-ci", GITLAB)])
def test_pipeline_matches_its_published_schema(schema: str, path: Path) -> None:
    done = validate(schema, path)

    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize(("schema", "path", "breakage"), [
    ("github-workflows", GITHUB, ("runs-on: ubuntu-latest", "runs-onn: ubuntu-latest")),
    ("gitlab-ci", GITLAB, ("when: always", "when: sometimes")),
])
def test_the_schema_check_catches_a_mistake(schema: str, path: Path, breakage: tuple[str, str],
                                            tmp_path: Path) -> None:
    broken = tmp_path / path.name
    broken.write_text(path.read_text(encoding="utf-8").replace(*breakage, 1), encoding="utf-8")

    assert validate(schema, broken).returncode == 1


def test_github_runs_on_push_schedule_and_manual_full_resync() -> None:
    workflow = load(GITHUB)
    on = workflow[True]  # YAML 1.1 reads the key `on` as a boolean

    assert on["push"]["branches"] == ["main"]
    assert on["schedule"][0]["cron"]
    assert on["workflow_dispatch"]["inputs"]["full_resync"]["type"] == "boolean"
    steps = workflow["jobs"]["publish"]["steps"]
    run = next(s for s in steps if s.get("name") == "Sync, build, check")
    assert run["run"] == "nox -s publish -- $FULL"
    assert "--full" in run["env"]["FULL"]
    assert "FIRESIDE_YAMMER_TOKEN" in run["env"]
    caches = [s for s in steps if str(s.get("uses", "")).startswith("actions/cache/")]
    assert {s["with"]["path"] for s in caches} == {"data/discussions", ".cache/fireside"}
    assert any(s["with"]["key"] == "fireside-snapshots-${{ github.run_id }}" for s in caches)
    render = [s for s in caches if s["with"]["path"] == ".cache/fireside"]  # the render cache
    assert [s["uses"].split("@")[0] for s in render] == ["actions/cache/restore",
                                                         "actions/cache/save"]
    assert steps.index(render[0]) < steps.index(run) < steps.index(render[1])
    uploads = {s["with"]["name"]: s["with"]["path"] for s in steps
               if str(s.get("uses", "")).startswith("actions/upload-artifact")}
    assert uploads["site"] == "site/"
    assert workflow["jobs"]["deploy"]["needs"] == "publish"


def test_gitlab_runs_on_push_schedule_and_manual_full_resync() -> None:
    pipeline = load(GITLAB)
    rules = [r["if"] for r in pipeline["workflow"]["rules"]]

    assert '$CI_PIPELINE_SOURCE == "schedule"' in rules
    assert '$CI_PIPELINE_SOURCE == "web"' in rules
    assert any("push" in r and "$CI_DEFAULT_BRANCH" in r for r in rules)
    assert pipeline["variables"]["FULL_RESYNC"]["options"] == ["false", "true"]
    job = pipeline["publish"]
    assert any("nox -s publish -- --full" in line for line in job["script"])
    snapshots = next(c for c in job["cache"] if c["key"] == "fireside-snapshots")
    assert snapshots == {"key": "fireside-snapshots", "paths": ["data/discussions/"],
                         "when": "always"}
    render = next(c for c in job["cache"] if c["key"] == "fireside-render")
    assert render == {"key": "fireside-render", "paths": [".cache/fireside/"], "when": "always"}
    assert "site/" in job["artifacts"]["paths"]
    assert pipeline["deploy"]["needs"] == ["publish"]


def test_the_readme_commands_put_fireside_on_the_documented_path() -> None:
    """The README's two commands install the project into .venv, where 'Writing a post' runs it."""
    root = Path(__file__).resolve().parents[2]
    readme = (root / "README.md").read_text(encoding="utf-8")
    commands = re.findall(r"```sh\n(python3 -m venv \.venv [^\n]+)\n```", readme)
    assert len(commands) == 2
    for command in commands:
        assert ".venv/bin/pip install -c constraints.txt -e . nox" in command
    assert ".venv/bin/fireside new " in readme
    assert commands[1] in (root / ".ci/run").read_text(encoding="utf-8").replace(" -q", "")
    pyproject = (root / "pyproject.toml").read_text(encoding="utf-8")
    assert 'fireside = "fireside.commands.cli:main"' in pyproject
