# /// script
# dependencies = ["nox>=2024.10.9"]
# ///
"""Developer and CI sessions: ``nox -s tests`` runs everything CI runs."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import nox

nox.needs_version = ">=2024.10.9"
nox.options.default_venv_backend = "virtualenv"
nox.options.reuse_venv = "yes"
nox.options.sessions = ["lint", "tests"]

ROOT = Path(__file__).parent
CONSTRAINTS = ("-c", "constraints.txt")
ENV = {"NO_MKDOCS_2_WARNING": "1"}


def _install(session: nox.Session, *groups: str) -> None:
    """Install the project (editable) with pinned versions, plus dependency groups."""
    session.install(*CONSTRAINTS, "-e", ".")
    if groups:
        session.install(*CONSTRAINTS, *(f"--group={g}" for g in groups))


def _npm_ci(session: nox.Session) -> None:
    """Install the editor's pinned JavaScript (Decap CMS) when npm is available."""
    lock = (ROOT / "package-lock.json").is_file()
    if lock and shutil.which("npm") and not (ROOT / "node_modules" / "decap-cms").is_dir():
        session.run("npm", "ci", "--no-audit", "--no-fund", external=True)


@nox.session
def tests(session: nox.Session) -> None:
    """Run the test suite (posargs replace ``tests/``)."""
    _install(session, "test")
    _npm_ci(session)
    session.run("pytest", *(session.posargs or ["tests/"]), env=ENV)


@nox.session
def lint(session: nox.Session) -> None:
    """Ruff (posargs are forwarded)."""
    session.install(*CONSTRAINTS, "--group=lint")
    session.run("ruff", "check", *(session.posargs or ["."]))


@nox.session
def typecheck(session: nox.Session) -> None:
    """Mypy, strict, over plugins/, sync/, tests/ and this file."""
    _install(session, "test", "typecheck")
    session.run("mypy")


@nox.session
def serve(session: nox.Session) -> None:
    """Build and serve the demo site at http://127.0.0.1:8000 (drafts shown, marked)."""
    _install(session)
    session.run("mkdocs", "serve", "-a", "127.0.0.1:8000", *session.posargs, env=ENV)


@nox.session
def build(session: nox.Session) -> None:
    """Sync discussions (when a token is configured), then a strict build into site/."""
    _install(session)
    if os.environ.get("FIRESIDE_YAMMER_TOKEN"):
        session.run("fireside", "sync", success_codes=[0, 2], env=ENV)
    session.run("mkdocs", "build", "--strict", *session.posargs, env=ENV)


@nox.session
def bench(session: nox.Session) -> None:
    """Build 1,000 and 5,000 posts: floor, Material's blog plugin and Fireside (ratios)."""
    _install(session)
    session.run("python", "benchmarks/bench_build.py", *session.posargs, env=ENV)


@nox.session(name="demo-sync", default=False)
def demo_sync(session: nox.Session) -> None:
    """Regenerate data/discussions: fireside sync against the fake Engage, Teams, SharePoint."""
    _install(session)
    session.run("python", "-m", "tests.fakeplatform.demo", *session.posargs, env=ENV)


@nox.session(name="bench-sync", default=False)
def bench_sync(session: nox.Session) -> None:
    """Sync 1,000 threads from a loopback server at 80 ms a request: requests, time, memory."""
    _install(session)
    session.run("python", "-m", "tests.fakeplatform.bench_sync", *session.posargs, env=ENV)


@nox.session(default=False)
def publish(session: nox.Session) -> None:
    """Sync (when a token is set), build strictly, check, and write the build report."""
    _install(session)
    session.run("fireside", "publish", *session.posargs, env=ENV)


@nox.session(default=False)
def edit(session: nox.Session) -> None:
    """Serve the site with the web editor at /admin/ (Decap CMS, local mode)."""
    _install(session)
    session.run("fireside", "edit", *session.posargs, env=ENV)
