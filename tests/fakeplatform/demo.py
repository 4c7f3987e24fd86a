"""Produce the demo site's discussion snapshots by running ``fireside sync`` for real.

    python -m tests.fakeplatform.demo [-f mkdocs.yml] [--out DIR]

Serves the threads of ``demo_threads`` from a fake Viva Engage, and those of
``demo_microsoft`` from a fake Graph (Teams) and SharePoint, all on 127.0.0.1, with tokens for
the last two issued by a fake Entra ID over HTTPS (a throwaway CA; Teams signs in with a client
secret, SharePoint with a certificate, both through msal). It points a throwaway configuration
at them (same docs_dir and timezone as the site's), and runs ``fireside sync --full`` in a
child process with ``FIRESIDE_NOW`` fixed, so the snapshots are byte-identical on every run.
The output folder defaults to the site's ``fireside.discussions.panel.snapshots``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from fireside.core.settings import load_settings
from tests.fakeplatform import demo_microsoft, demo_threads
from tests.fakeplatform.entra import App, FakeEntra
from tests.fakeplatform.graph import FakeGraph
from tests.fakeplatform.loopback import make_client_certificate, make_test_ca
from tests.fakeplatform.run import ROOT, run_sync, write_config
from tests.fakeplatform.sharepoint import FakeSharePoint
from tests.fakeplatform.yammer import FakeYammer

#: The demo's "now": after the last reply in ``demo_threads``.
DEMO_NOW = "2026-11-23T07:00:00+00:00"
DEMO_TOKEN = "demo-token-not-a-secret"
DEMO_SECRET = "demo-client-secret-not-a-secret"
TEAMS_APP = "2a6f1c3e-7d4b-4e8a-9c1f-3b5d7e9a1c20"
SHAREPOINT_APP = "2a6f1c3e-7d4b-4e8a-9c1f-3b5d7e9a1c21"


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
    with tempfile.TemporaryDirectory() as tmp, FakeYammer(token=DEMO_TOKEN) as fake, \
            FakeEntra(make_test_ca(Path(tmp) / "ca")) as entra, FakeGraph() as graph, \
            FakeSharePoint() as sharepoint:
        demo_threads.load_into(fake)
        demo_microsoft.load_teams(graph)
        demo_microsoft.load_sharepoint(sharepoint)
        certificate = make_client_certificate(Path(tmp) / "cert")
        entra.register(App(TEAMS_APP, secret=DEMO_SECRET))
        entra.register(App(SHAREPOINT_APP, certificate=certificate))
        graph.tokens = entra.tokens_for(graph.origin)
        sharepoint.tokens = entra.tokens_for(sharepoint.origin)
        fast = {"rate_limit": {"requests": 1000, "per_seconds": 1},
                "retries": {"attempts": 3, "backoff_seconds": 0.1}}
        login = {"tenant_id": entra.tenant, "authority": entra.authority}
        platforms = {
            "teams": {"api_url": graph.url, **fast, "entra": {
                **login, "client_id": TEAMS_APP, "client_secret_env": "DEMO_TEAMS_SECRET"}},
            "sharepoint": {"api_url": sharepoint.url, **fast, "entra": {
                **login, "client_id": SHAREPOINT_APP, "certificate_path": str(certificate.pem),
                "certificate_thumbprint": certificate.thumbprint}},
        }
        config = write_config(Path(tmp) / "mkdocs.yml", docs_dir=settings.docs_dir,
                              snapshots=out, api_url=fake.url, timezone=str(settings.timezone),
                              platforms=platforms)
        result = run_sync(config, ["--full"], token=DEMO_TOKEN, now=DEMO_NOW,
                          report=Path(tmp) / "report.json",
                          env_extra={"DEMO_TEAMS_SECRET": DEMO_SECRET,
                                     "REQUESTS_CA_BUNDLE": str(Path(tmp) / "ca" / "ca.pem")})
    sys.stdout.write(result.output)
    print(f"demo snapshots in {out}")
    return result.code


if __name__ == "__main__":
    sys.exit(main())
