"""Produce the demo site's discussion snapshots by running ``fireside sync`` for real.

    python -m tests.fakeplatform.demo [-f mkdocs.yml] [--out DIR]

Serves the threads of ``demo_threads`` from a fake Viva Engage on 127.0.0.1, points a
throwaway configuration at it (same docs_dir and timezone as the site's), and runs
``fireside sync --full`` in a child process with ``FIRESIDE_NOW`` fixed, so the snapshots are
byte-identical on every run. The output folder defaults to the site's
``fireside.discussions.panel.snapshots``.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import tempfile
from pathlib import Path
from typing import Any

from fireside.core.settings import load_settings
from tests.fakeplatform import chatter, demo_platforms, demo_threads, discourse, jive, slack
from tests.fakeplatform.apifake import Loopback
from tests.fakeplatform.run import ROOT, run_sync, write_config
from tests.fakeplatform.yammer import FakeYammer

#: The demo's "now": after the last reply in ``demo_threads``.
DEMO_NOW = "2026-11-23T07:00:00+00:00"
DEMO_TOKEN = "demo-token-not-a-secret"


def main(argv: list[str] | None = None) -> int:
    """Write the demo snapshots; return the sync's exit code."""
    parser = argparse.ArgumentParser(prog="python -m tests.fakeplatform.demo")
    parser.add_argument("-f", "--config-file", type=Path, default=ROOT / "mkdocs.yml")
    parser.add_argument("--out", type=Path, help="snapshots folder (default: the site's)")
    args = parser.parse_args(argv)
    settings = load_settings(args.config_file)
    out = (args.out or settings.discussions.snapshots).resolve()
    for old in [*out.glob("*/*.json"), out / "_state.json"]:
        old.unlink(missing_ok=True)  # threads no longer in the demo must not linger
    with contextlib.ExitStack() as stack:
        fake = stack.enter_context(FakeYammer(token=DEMO_TOKEN))
        tmp = stack.enter_context(tempfile.TemporaryDirectory())
        demo_threads.load_into(fake)
        others = {name: stack.enter_context(server) for name, server in _other_fakes().items()}
        _load(others)
        config = write_config(Path(tmp) / "mkdocs.yml", docs_dir=settings.docs_dir,
                              snapshots=out, api_url=fake.url, timezone=str(settings.timezone),
                              platforms={name: _section(name, server)
                                         for name, server in others.items()})
        result = run_sync(config, ["--full"], token=DEMO_TOKEN, now=DEMO_NOW,
                          report=Path(tmp) / "report.json",
                          env={_env(name): DEMO_TOKEN for name in others})
    sys.stdout.write(result.output)
    print(f"demo snapshots in {out}")
    return result.code


def _env(platform: str) -> str:
    return f"FIRESIDE_FAKE_{platform.upper()}_TOKEN"


def _other_fakes() -> dict[str, Loopback]:
    """Slack, Discourse, Jive and Chatter (not yet serving)."""
    return {"slack": slack.FakeSlack(DEMO_TOKEN), "discourse": discourse.FakeDiscourse(DEMO_TOKEN),
            "jive": jive.FakeJive(DEMO_TOKEN), "chatter": chatter.FakeChatter(DEMO_TOKEN)}


def _load(fakes: dict[str, Any]) -> None:
    """Give each serving fake its demo thread."""
    demo_platforms.load_slack(fakes["slack"])
    demo_platforms.load_discourse(fakes["discourse"])
    demo_platforms.load_jive(fakes["jive"])
    demo_platforms.load_chatter(fakes["chatter"])


#: Where readers open threads: the demo's hosts, not the loopback servers.
_WEB_URLS = {"discourse": "https://northwind.discourse.group",
             "chatter": "https://northwind.my.salesforce.com"}


def _section(name: str, server: Loopback) -> dict[str, Any]:
    section: dict[str, Any] = {"api_url": server.url, "token_env": _env(name),
                               "rate_limit": {"requests": 1000, "per_seconds": 1},
                               "retries": {"attempts": 3, "backoff_seconds": 0.1}}
    if name in _WEB_URLS:
        section["web_url"] = _WEB_URLS[name]
    return section


if __name__ == "__main__":
    sys.exit(main())
