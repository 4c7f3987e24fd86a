"""The ``entra:`` section of the Microsoft platforms, and SharePoint's required ``api_url``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from fireside.core.settings import EntraSettings, SettingsError, settings_from_options

IDS = {"tenant_id": "0d3c9a4e-5b1f-4e2a-9c7d-2f6a8b1e4c90",
       "client_id": "2a6f1c3e-7d4b-4e8a-9c1f-3b5d7e9a1c20"}


def _read(platform: str, section: dict[str, Any], tmp_path: Path) -> Any:
    options = {"platforms": {platform: section}}
    return settings_from_options(options, config_dir=tmp_path, docs_dir=tmp_path / "docs"
                                 ).platforms[platform]


def test_each_credential_kind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    secret = _read("teams", {"entra": {**IDS, "client_secret_env": "S"}}, tmp_path).entra
    assert (secret.flow, secret.authority, secret.client_secret_env) == (
        "secret", "https://login.microsoftonline.com", "S")
    cert = _read("sharepoint", {"api_url": "https://northwind.sharepoint.com", "entra": {
        **IDS, "certificate_path": "secrets/app.pem", "certificate_thumbprint": "AB" * 20,
        "authority": "https://login.microsoftonline.us/"}}, tmp_path)
    assert cert.entra.flow == "certificate" and cert.api_url == "https://northwind.sharepoint.com"
    assert cert.entra.certificate_path == (tmp_path / "secrets" / "app.pem").resolve()
    assert cert.entra.authority == "https://login.microsoftonline.us"
    delegated = _read("yammer", {"entra": {**IDS, "token_cache": "~/.config/f/cache.json",
                                           "scopes": ["https://api.yammer.com/.default"]}},
                      tmp_path).entra
    assert delegated.flow == "delegated"
    assert delegated.token_cache == tmp_path / "home" / ".config" / "f" / "cache.json"
    assert delegated.scopes == ("https://api.yammer.com/.default",)
    assert _read("yammer", {"token_env": "T"}, tmp_path).entra is None
    assert isinstance(secret, EntraSettings)


@pytest.mark.parametrize(("platform", "section", "message"), [
    ("teams", {"token_env": "T", "entra": {**IDS, "client_secret_env": "S"}},
     "set either token_env .* or entra"),
    ("teams", {"entra": {"client_id": "x", "client_secret_env": "S"}},
     r"'fireside.platforms.teams.entra.tenant_id': required"),
    ("teams", {"entra": {**IDS, "client_secret_env": "S", "certificate_path": "c.pem",
                         "certificate_thumbprint": "AB"}}, "not both"),
    ("sharepoint", {"api_url": "https://x.sharepoint.com",
                    "entra": {**IDS, "certificate_path": "c.pem"}},
     "certificate_thumbprint': required"),
    ("yammer", {"entra": {**IDS}}, "or token_cache for a delegated sign-in"),
    ("teams", {"entra": {**IDS, "client_secret_env": "S", "authority": "http://login"}},
     "expected an https:// URL"),
    ("teams", {"entra": {**IDS, "client_secret_env": "S", "secret": "oops"}},
     "unknown option 'fireside.platforms.teams.entra.secret'"),
    ("teams", {"entra": {**IDS, "client_secret_env": "S", "scopes": "x"}},
     "expected a list of scopes"),
    ("sharepoint", {"token_env": "T"}, "'fireside.platforms.sharepoint.api_url': required"),
])
def test_mistakes_name_the_option(tmp_path: Path, platform: str, section: dict[str, Any],
                                  message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        _read(platform, section, tmp_path)


def test_publish_syncs_when_an_entra_credential_is_there(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from fireside.publish.pipeline import _credential_set

    monkeypatch.delenv("S", raising=False)
    secret = _read("teams", {"entra": {**IDS, "client_secret_env": "S"}}, tmp_path)
    assert not _credential_set(secret)
    monkeypatch.setenv("S", "x")
    assert _credential_set(secret)
    delegated = _read("yammer", {"entra": {**IDS, "token_cache": "cache.json"}}, tmp_path)
    assert not _credential_set(delegated)
    (tmp_path / "cache.json").write_text("{}")
    assert _credential_set(delegated)
