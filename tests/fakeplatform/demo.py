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
import sys
import tempfile
from pathlib import Path

from fireside.adapter.settings import load_settings
from tests.fakeplatform import demo_threads
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
    for old in [*out.glob("yammer/*.json"), out / "_state.json"]:
        old.unlink(missing_ok=True)  # threads no longer in the demo must not linger
    with FakeYammer(token=DEMO_TOKEN) as fake, tempfile.TemporaryDirectory() as tmp:
        demo_threads.load_into(fake)
        config = write_config(Path(tmp) / "mkdocs.yml", docs_dir=settings.docs_dir,
                              snapshots=out, api_url=fake.url, timezone=str(settings.timezone))
        result = run_sync(config, ["--full"], token=DEMO_TOKEN, now=DEMO_NOW,
                          report=Path(tmp) / "report.json")
    sys.stdout.write(result.output)
    print(f"demo snapshots in {out}")
    return result.code


if __name__ == "__main__":
    sys.exit(main())
