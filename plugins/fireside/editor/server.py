"""The web editor in local mode (``fireside edit``), for writing on one's own machine.

Runs ``npm ci`` when Decap is not installed yet, starts ``decap-server`` (Decap's local backend:
it reads and writes the Markdown files of this work tree) and ``mkdocs serve`` with the editor
turned on, prints where to go, and stops both on Ctrl-C. ``commands.edit`` reads the
configuration and calls ``run``.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from types import FrameType
from urllib.parse import urlsplit

from fireside.core.errors import FiresideError
from fireside.editor.decap_config import DECAP_DIST, DECAP_SCRIPT, find_repo_root
from fireside.editor.files import EDITOR_ENV, PROXY_PORT_ENV

EXIT_OK, EXIT_ERROR = 0, 1
_SERVER = Path("node_modules/decap-server/dist/index.js")


class EditError(FiresideError):
    """A problem the user can fix, printed without a traceback."""


def _install(npm_dir: Path, *, allowed: bool) -> None:
    if (npm_dir / DECAP_DIST / DECAP_SCRIPT).is_file() and (npm_dir / _SERVER).is_file():
        return
    if not allowed:
        raise EditError(f"Decap CMS is not installed in {npm_dir}: run 'npm ci' there")
    npm = shutil.which("npm")
    if npm is None:
        raise EditError("npm was not found: install Node.js 20 or later (it brings npm)")
    if not (npm_dir / "package-lock.json").is_file():
        raise EditError(f"{npm_dir / 'package-lock.json'} is missing: the editor's pinned "
                        "versions come from it")
    print("Installing the editor (npm ci) …", flush=True)
    done = subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=npm_dir, check=False)
    if done.returncode != 0:
        raise EditError("'npm ci' failed (see above)")


def _wait_for_port(port: int, process: subprocess.Popen[bytes], name: str,
                   timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise EditError(f"{name} stopped at start (exit {process.returncode}); its "
                            "messages above say why (a build error, or a port in use)")
        with socket.socket() as sock:
            sock.settimeout(0.5)
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise EditError(f"{name} did not listen on port {port} within {timeout:.0f} s")


def _port_free(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) != 0


def _stop(processes: Sequence[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def admin_path(site_url: str | None, editor_path: str) -> str:
    """The URL path of the editor on the served site (``/admin/``, ``/blog/admin/``)."""
    base = urlsplit(site_url or "/").path or "/"
    return f"{base.rstrip('/')}/{editor_path.strip('/')}/"


def run(config_file: Path, *, admin: str, npm_dir: Path, port: int, proxy_port: int,
        install: bool = True) -> int:
    """Serve the editor until Ctrl-C (or SIGTERM); return the exit code.

    Arguments:
        config_file: The site's ``mkdocs.yml``, already read and valid.
        admin: The editor's URL path (``admin_path``).
        npm_dir: The folder holding ``package.json`` and ``node_modules``.
        port: The site's port.
        proxy_port: The port of ``decap-server``.
        install: Run ``npm ci`` when Decap is missing.

    Raises:
        EditError: On a missing tool, a failed install or a server that does not start.
    """
    config_file = config_file.resolve()
    node = shutil.which("node")
    if node is None:
        raise EditError("node was not found: install Node.js 20 or later")
    _install(npm_dir, allowed=install)
    for wanted, option in ((port, "--port"), (proxy_port, "--proxy-port")):
        if not _port_free(wanted):
            raise EditError(f"port {wanted} is already in use; pass another one with {option}")
    repo = find_repo_root(config_file.parent)
    env = {**os.environ, "PORT": str(proxy_port), "BIND_HOST": "127.0.0.1", "MODE": "fs",
           "GIT_REPO_DIRECTORY": str(repo), "LOG_LEVEL": os.environ.get("LOG_LEVEL", "info")}
    processes: list[subprocess.Popen[bytes]] = []

    def _terminate(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    # Explicit handlers: a shell starting us in the background leaves SIGINT ignored.
    previous = {sig: signal.signal(sig, _terminate) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        processes.append(subprocess.Popen([node, str(npm_dir / _SERVER)], cwd=repo, env=env))
        _wait_for_port(proxy_port, processes[0], "decap-server")
        serve_env = {**os.environ, EDITOR_ENV: "local", PROXY_PORT_ENV: str(proxy_port)}
        processes.append(subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-f", str(config_file),
             "-a", f"127.0.0.1:{port}"], cwd=config_file.parent, env=serve_env))
        _wait_for_port(port, processes[1], "mkdocs serve", timeout=120)
        print(f"\nThe editor is at http://127.0.0.1:{port}{admin} (saving to {repo}).\n"
              "Press Ctrl-C to stop.\n", flush=True)
        while all(p.poll() is None for p in processes):
            time.sleep(0.5)
        stopped = next(p for p in processes if p.poll() is not None)
        name = "decap-server" if stopped is processes[0] else "mkdocs serve"
        raise EditError(f"{name} stopped unexpectedly (exit {stopped.returncode}); see above")
    except KeyboardInterrupt:
        print("\nStopping the editor …", flush=True)
        return EXIT_OK
    finally:
        _stop(processes)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
