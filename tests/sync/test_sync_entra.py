"""Entra ID sign-in through msal against a loopback HTTPS authority, end to end through
``fireside sync`` and ``fireside login``: client secret, certificate, device code, silent
refresh, expiry and revocation, and no token, secret or refresh token in anything written."""

from __future__ import annotations

import datetime as dt
import io
import json
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from fireside.commands.cli import main as fireside_main
from fireside_sync.login import main as login_main
from tests.fakeplatform.entra import App, FakeEntra
from tests.fakeplatform.graph import FakeGraph, chat_message, person
from tests.fakeplatform.loopback import (
    ClientCertificate,
    LoopbackCA,
    make_client_certificate,
    make_test_ca,
)
from tests.fakeplatform.sharepoint import Comment, FakeSharePoint, Page, Site, encode_text, sp_user
from tests.fakeplatform.yammer import FakeYammer
from tests.sync.conftest import Result
from tests.sync.microsoft import (
    CEO_OBJECT_ID,
    SECRET,
    SECRET_ENV,
    MicrosoftProject,
    entra_section,
    everything_written,
)

GRAPH_APP = "1b2c3d4e-0000-4000-8000-00000000a001"
SP_APP = "1b2c3d4e-0000-4000-8000-00000000a002"
ENGAGE_APP = "1b2c3d4e-0000-4000-8000-00000000a003"
T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
PAGE = "/sites/News/SitePages/Q3-results.aspx"


@pytest.fixture(scope="module")
def ca(tmp_path_factory: pytest.TempPathFactory) -> LoopbackCA:
    return make_test_ca(tmp_path_factory.mktemp("ca"))


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> ClientCertificate:
    return make_client_certificate(tmp_path_factory.mktemp("cert"))


@pytest.fixture
def entra(ca: LoopbackCA, certificate: ClientCertificate) -> Iterator[FakeEntra]:
    with FakeEntra(ca) as server:
        server.register(App(GRAPH_APP, secret=SECRET))
        server.register(App(SP_APP, certificate=certificate))
        server.register(App(ENGAGE_APP))
        yield server


@pytest.fixture
def graph(entra: FakeEntra) -> Iterator[FakeGraph]:
    with FakeGraph() as server:
        server.tokens = entra.tokens_for(server.origin)
        yield server


@pytest.fixture
def sp(entra: FakeEntra) -> Iterator[FakeSharePoint]:
    with FakeSharePoint() as server:
        server.tokens = entra.tokens_for(server.origin)
        yield server


@pytest.fixture
def ms(tmp_path: Path, fake: FakeYammer, ca: LoopbackCA) -> MicrosoftProject:
    return MicrosoftProject(tmp_path / "proj", fake, ca)


def _teams_post(ms: MicrosoftProject, graph: FakeGraph) -> None:
    root = chat_message("1772442000123", None, (CEO_OBJECT_ID, "Dana Whitfield"), T0,
                        "Our Q3 results are out", reactions=7)
    short = graph.add_thread(root, [
        chat_message(str(1772442000200 + i), "1772442000123", person(i, f"Colleague {i}"),
                     T0 + dt.timedelta(minutes=i), f"Reply {i}", reactions=i % 3)
        for i in range(1, 56)])
    ms.post("q3-teams", short)


def _sharepoint_post(ms: MicrosoftProject, sp: FakeSharePoint) -> None:
    site = sp.add_site(Site("/sites/News"))
    page = Page(item_id=42, likes=11)
    for i in range(1, 35):
        page.comments.append(Comment(i, sp_user(i, f"Colleague {i}"),
                                     T0 + dt.timedelta(minutes=i), encode_text(f"Comment {i}")))
    site.pages["Q3-results.aspx"] = page
    ms.post("q3-sharepoint", sp.page_url(site, "Q3-results.aspx") + "?web=1")


def _secrets(entra: FakeEntra) -> list[str]:
    return [SECRET, *entra.issued.access, *entra.issued.refresh]


def _assert_no_secret(ms: MicrosoftProject, entra: FakeEntra, *outputs: Result) -> None:
    written = everything_written(ms, *(o.out + o.err for o in outputs))
    for secret in _secrets(entra):
        assert secret not in written


def test_client_secret_for_teams_and_certificate_for_sharepoint(
        ms: MicrosoftProject, entra: FakeEntra, graph: FakeGraph, sp: FakeSharePoint,
        certificate: ClientCertificate) -> None:
    _teams_post(ms, graph)
    _sharepoint_post(ms, sp)
    ms.teams(graph, entra=entra_section(entra, GRAPH_APP, client_secret_env=SECRET_ENV))
    ms.sharepoint(sp, entra=entra_section(
        entra, SP_APP, certificate_path=str(certificate.pem),
        certificate_thumbprint=certificate.thumbprint))
    result = ms.run("-v", "--report", str(ms.root / "report.json"), **{SECRET_ENV: SECRET})
    assert result.code == 0, result.err
    assert "/replies -> 200" in result.err  # the request log is part of what is checked
    assert entra.grants() == ["client_credentials", "client_credentials"]
    assert [r.form.get("client_assertion_type", "secret") for r in entra.requests
            if r.method == "POST"] == ["urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                                       "secret"]  # platforms in name order
    (teams,) = (s["thread"] for s in ms.snapshots_of("teams").values())
    (page,) = (s["thread"] for s in ms.snapshots_of("sharepoint").values())
    assert teams["totals"]["replies"] == 55 and teams["totals"]["likes"] == 7
    assert page["totals"]["replies"] == 34 and page["totals"]["likes"] == 11
    assert len(graph.reply_requests()) == 2  # 50 + 5
    report = json.loads((ms.root / "report.json").read_text())
    assert report["platforms"]["teams"]["threads"]["fetched"] == 1
    assert report["platforms"]["sharepoint"]["threads"]["fetched"] == 1
    _assert_no_secret(ms, entra, result)


def test_certificate_from_environment_variables(ms: MicrosoftProject, entra: FakeEntra,
                                                sp: FakeSharePoint,
                                                certificate: ClientCertificate) -> None:
    _sharepoint_post(ms, sp)
    ms.sharepoint(sp, entra=entra_section(entra, SP_APP, certificate_path_env="SP_CERT",
                                          certificate_thumbprint_env="SP_THUMB"))
    result = ms.run(SP_CERT=certificate.pem.read_text(), SP_THUMB=certificate.thumbprint)
    assert result.code == 0, result.err
    assert "BEGIN PRIVATE KEY" not in everything_written(ms, result.out, result.err)


@pytest.mark.parametrize("wrong", ["secret", "thumbprint", "tenant", "client"])
def test_a_refused_credential_is_exit_1_with_nothing_written(
        ms: MicrosoftProject, entra: FakeEntra, graph: FakeGraph, sp: FakeSharePoint,
        certificate: ClientCertificate, wrong: str) -> None:
    _teams_post(ms, graph)
    _sharepoint_post(ms, sp)
    teams = entra_section(entra, GRAPH_APP, client_secret_env=SECRET_ENV)
    if wrong == "tenant":
        teams["tenant_id"] = "11111111-2222-4333-8444-555555555555"
    if wrong == "client":
        teams["client_id"] = "99999999-2222-4333-8444-555555555555"
    ms.teams(graph, entra=teams)
    ms.sharepoint(sp, entra=entra_section(
        entra, SP_APP, certificate_path=str(certificate.pem),
        certificate_thumbprint="00" * 20 if wrong == "thumbprint" else certificate.thumbprint))
    result = ms.run(**{SECRET_ENV: "not-the-secret" if wrong == "secret" else SECRET})
    assert result.code == 1
    expected = {"secret": "teams: Microsoft Entra ID refused the app registration "
                          f"{GRAPH_APP} (client secret): invalid_client (AADSTS7000215",
                "thumbprint": "sharepoint: Microsoft Entra ID refused the app registration "
                              f"{SP_APP} (certificate): invalid_client",
                "tenant": "teams: cannot reach Microsoft Entra ID",
                "client": "unauthorized_client"}[wrong]
    assert expected in result.err
    assert "Traceback" not in result.err
    assert ms.files() == {}
    assert not graph.requests and not sp.requests
    assert "not-the-secret" not in result.err + result.out


def test_a_token_for_graph_is_refused_by_sharepoint(ms: MicrosoftProject, entra: FakeEntra,
                                                    graph: FakeGraph, sp: FakeSharePoint,
                                                    certificate: ClientCertificate) -> None:
    _sharepoint_post(ms, sp)
    ms.sharepoint(sp, entra=entra_section(
        entra, SP_APP, certificate_path=str(certificate.pem),
        certificate_thumbprint=certificate.thumbprint, scopes=[f"{graph.origin}/.default"]))
    result = ms.run()
    assert result.code == 1 and "HTTP 401" in result.err
    assert f"app registration {SP_APP} has the permissions" in result.err
    assert ms.files() == {}


def test_an_untrusted_authority_certificate_is_refused(ms: MicrosoftProject, entra: FakeEntra,
                                                       graph: FakeGraph) -> None:
    _teams_post(ms, graph)
    ms.teams(graph, entra=entra_section(entra, GRAPH_APP, client_secret_env=SECRET_ENV))
    ms.env.pop("REQUESTS_CA_BUNDLE")
    result = ms.run(**{SECRET_ENV: SECRET})
    assert result.code == 1 and "TLS certificate was not trusted" in result.err
    assert ms.files() == {}


def _login(ms: MicrosoftProject, platform: str = "yammer") -> Result:
    out, err = io.StringIO(), io.StringIO()
    code = login_main([platform, "-f", str(ms.config())], env=ms.env, stdout=out, stderr=err)
    return Result(code, out.getvalue(), err.getvalue())


def _delegated_yammer(ms: MicrosoftProject, entra: FakeEntra, fake: FakeYammer,
                      cache: Path) -> None:
    fake.accepted = entra.tokens_for(fake.url.rsplit("/api/v1", 1)[0])
    ms.platform.pop("token_env")
    ms.platform["entra"] = entra_section(entra, ENGAGE_APP, token_cache=str(cache))
    ms.post("engage", "yammer:2000000001")
    ms.thread(2000000001, 25, host=1500000001)


def test_device_code_login_then_silent_refresh_then_revocation(
        ms: MicrosoftProject, entra: FakeEntra, fake: FakeYammer, tmp_path: Path) -> None:
    cache = tmp_path / "home" / ".config" / "fireside" / "yammer-cache.json"
    _delegated_yammer(ms, entra, fake, cache)
    before = ms.run()
    assert before.code == 1 and "run 'fireside login yammer' once" in before.err
    assert ms.files() == {}

    login = _login(ms)
    assert login.code == 0, login.err
    assert "enter the code FSD" in login.out and "microsoft.com/devicelogin" in login.out
    assert "Signed in to Viva Engage as fireside.sync@northwind.example" in login.out
    assert "FIRESIDE_YAMMER_TOKEN_CACHE" in login.out
    assert entra.grants() == [  # polled while the user had not signed in yet
        "urn:ietf:params:oauth:grant-type:device_code"] * 2
    assert stat.S_IMODE(cache.stat().st_mode) == 0o600
    assert entra.issued.refresh[0] in cache.read_text()

    synced = ms.run("-v")  # request logs included
    assert synced.code == 0, synced.err
    assert "GET messages/in_thread/2000000001.json -> 200" in synced.err
    assert entra.grants()[-1] == "refresh_token"  # the access token was near expiry
    assert ms.snapshot(2000000001)["thread"]["totals"]["replies"] == 24
    assert entra.issued.refresh[-1] in cache.read_text()  # the rotated one was kept
    assert stat.S_IMODE(cache.stat().st_mode) == 0o600

    files = ms.files()
    entra.revoke_all()
    revoked = ms.run("--full")
    assert revoked.code == 1
    assert ("the Viva Engage sign-in of fireside.sync@northwind.example has expired or was "
            "revoked (invalid_grant); run 'fireside login yammer' again") in revoked.err
    assert ms.files() == files
    _assert_no_secret(ms, entra, before, login, synced, revoked)
    assert "AADSTS" not in revoked.err  # Entra's trace ids are noise for the comms team


def test_ci_reads_the_cache_from_a_secret_variable(ms: MicrosoftProject, entra: FakeEntra,
                                                   fake: FakeYammer, tmp_path: Path) -> None:
    cache = tmp_path / "home" / "yammer-cache.json"
    _delegated_yammer(ms, entra, fake, cache)
    assert _login(ms).code == 0
    ms.platform["entra"] = entra_section(entra, ENGAGE_APP,
                                         token_cache_env="FIRESIDE_YAMMER_TOKEN_CACHE")
    result = ms.run(FIRESIDE_YAMMER_TOKEN_CACHE=cache.read_text())
    assert result.code == 0, result.err
    assert ms.snapshot(2000000001)["thread"]["totals"]["replies"] == 24


@pytest.mark.parametrize("inside", ["content", "site", "data/discussions"])
def test_a_cache_inside_the_site_content_or_snapshots_is_refused(
        ms: MicrosoftProject, entra: FakeEntra, fake: FakeYammer, inside: str) -> None:
    cache = ms.root / inside / "cache.json"
    _delegated_yammer(ms, entra, fake, cache)
    login = _login(ms)
    assert login.code == 1 and "keep the token cache outside the site" in login.err
    assert not cache.exists()
    assert ms.run().code == 1


def test_login_through_the_fireside_command(ms: MicrosoftProject, entra: FakeEntra,
                                            fake: FakeYammer, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    cache = tmp_path / "cache.json"
    _delegated_yammer(ms, entra, fake, cache)
    assert ms.ca is not None
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(ms.ca.bundle))
    entra.pending_polls = 0
    assert fireside_main(["login", "yammer", "-f", str(ms.config())]) == 0
    assert "Signed in to Viva Engage" in capsys.readouterr().out
    assert cache.is_file()


def test_login_refuses_app_credentials_and_missing_sections(ms: MicrosoftProject,
                                                            entra: FakeEntra,
                                                            graph: FakeGraph) -> None:
    ms.teams(graph, entra=entra_section(entra, GRAPH_APP, client_secret_env=SECRET_ENV))
    assert "uses an app credential (secret)" in _login(ms, "teams").err
    assert "has no 'entra:' section" in _login(ms, "yammer").err


def test_a_declined_sign_in_saves_nothing(ms: MicrosoftProject, entra: FakeEntra,
                                          fake: FakeYammer, tmp_path: Path) -> None:
    cache = tmp_path / "home" / "cache.json"
    _delegated_yammer(ms, entra, fake, cache)
    entra.decline = True
    login = _login(ms)
    assert login.code == 1
    assert "the sign-in did not complete (authorization_declined); nothing was saved" \
        in login.err
    assert not cache.exists()


def test_delegated_sign_in_works_for_teams_too(ms: MicrosoftProject, entra: FakeEntra,
                                               graph: FakeGraph, tmp_path: Path) -> None:
    cache = tmp_path / "home" / "teams-cache.json"
    _teams_post(ms, graph)
    ms.teams(graph, entra=entra_section(entra, ENGAGE_APP, token_cache=str(cache)))
    assert _login(ms, "teams").code == 0
    result = ms.run()
    assert result.code == 0, result.err
    assert entra.grants() == ["urn:ietf:params:oauth:grant-type:device_code"] * 2 + \
        ["refresh_token"]
    refresh = [r for r in entra.requests if r.form.get("grant_type") == "refresh_token"]
    assert f"{graph.origin}/.default" in refresh[0].form.get("scope", "").split()
