"""A sync project wired to the Microsoft fakes: Entra ID (HTTPS), Graph and SharePoint."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import yaml

from fireside_sync.cli import main
from tests.fakeplatform.entra import FakeEntra
from tests.fakeplatform.graph import FakeGraph
from tests.fakeplatform.loopback import LoopbackCA
from tests.fakeplatform.sharepoint import FakeSharePoint
from tests.sync.conftest import AUTHORS, NOW, TOKEN, TOKEN_ENV, Result, SyncProject

CEO_OBJECT_ID = "a3f1c2d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d"
CEO_EMAIL = "dana.whitfield@northwind.example"
SECRET = "fake-client-secret~Q8s.SENTINEL-9d2"
SECRET_ENV = "FIRESIDE_TEST_ENTRA_SECRET"
FAST = {"timeout_seconds": 5, "rate_limit": {"requests": 1000, "per_seconds": 0.1},
        "retries": {"attempts": 3, "backoff_seconds": 0.01, "max_wait_seconds": 5}}


class MicrosoftProject(SyncProject):
    """A project whose ``platforms:`` also holds ``teams`` and ``sharepoint`` sections."""

    def __init__(self, root: Path, yammer: Any, ca: LoopbackCA | None = None) -> None:
        super().__init__(root, yammer)
        self.ca = ca
        self.sections: dict[str, dict[str, Any]] = {}
        self.env: dict[str, str] = {TOKEN_ENV: TOKEN, "FIRESIDE_NOW": NOW}
        if ca is not None:  # msal trusts the test CA of the fake Entra ID
            self.env["REQUESTS_CA_BUNDLE"] = str(ca.bundle)
        authors = {key: dict(value) for key, value in AUTHORS.items()}
        authors["ceo"]["platforms"] = {**AUTHORS["ceo"]["platforms"],  # type: ignore[dict-item]
                                       "teams": CEO_OBJECT_ID, "sharepoint": CEO_EMAIL}
        self.write(".authors.yml", yaml.safe_dump({"authors": authors}))

    def teams(self, graph: FakeGraph, **section: Any) -> None:
        self.sections["teams"] = {"api_url": graph.url, **FAST, **section}

    def sharepoint(self, site: FakeSharePoint, **section: Any) -> None:
        self.sections["sharepoint"] = {"api_url": site.url, **FAST, **section}

    def config(self) -> Path:
        data = {"site_name": "Test", "docs_dir": "content",
                "plugins": ["search", {"fireside": {
                    **self.options, "discussions": self.discussions,
                    "platforms": {"yammer": self.platform, **self.sections}}}]}
        path = self.root / "mkdocs.yml"
        path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        return path

    def run(self, *args: str, **env: str) -> Result:
        out, err = io.StringIO(), io.StringIO()
        code = main(["-f", str(self.config()), *args], env={**self.env, **env}, stdout=out,
                    stderr=err)
        return Result(code, out.getvalue(), err.getvalue())

    def snapshots_of(self, platform: str) -> dict[str, dict[str, Any]]:
        folder = self.snapshots / platform
        return {p.stem: json.loads(p.read_text()) for p in sorted(folder.glob("*.json"))}


def entra_section(entra: FakeEntra, client_id: str, **credential: Any) -> dict[str, Any]:
    """An ``entra:`` section pointing at the fake authority."""
    return {"tenant_id": entra.tenant, "client_id": client_id, "authority": entra.authority,
            **credential}


def everything_written(project: SyncProject, *extra: str) -> str:
    """Every file under the project (snapshots, state, reports) plus ``extra`` texts."""
    texts = [p.read_text(errors="replace") for p in project.root.rglob("*") if p.is_file()]
    return "\n".join([*texts, *extra])
