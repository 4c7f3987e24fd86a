"""``digest:`` options are typed and validated; the state decides when a digest is due."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from fireside.commands.digest import main
from fireside.core.settings import SettingsError
from fireside.digest.settings import digest_settings
from fireside.digest.state import DigestState, is_due
from tests.conftest import Project
from tests.digest.conftest import digest_options

SMTP = {"host": "smtp.example.com", "username_env": "SMTP_USER", "password_env": "SMTP_PASS"}


def _settings(**changes: Any) -> Any:
    smtp = changes.pop("smtp", SMTP)
    return digest_settings(digest_options(smtp, **changes), config_dir=Path("/srv/blog"))


def test_defaults_and_derived_values() -> None:
    settings = _settings(to="all-staff@example.com")

    assert settings.schedule == "weekly" and settings.max_posts == 10
    assert settings.to == ("all-staff@example.com",)
    assert settings.smtp is not None
    assert (settings.smtp.port, settings.smtp.starttls, settings.smtp.implicit_tls) == \
        (587, True, False)
    assert _settings(smtp={**SMTP, "implicit_tls": True}).smtp.port == 465
    assert digest_settings(None, config_dir=Path(".")).smtp is None


@pytest.mark.parametrize(("changes", "message"), [
    ({"schedule": "monthly"},
     "option 'fireside.digest.schedule': expected weekly or daily, but received: 'monthly'"),
    ({"sender": "x"}, "unknown option 'fireside.digest.sender'; expected one of enabled, "),
    ({"to": ["all-staff@example.com", "not an address"]},
     "option 'fireside.digest.to': expected an email address such as blog@example.com"),
    ({"to": []}, "option 'fireside.digest.to': expected one address or a list"),
    ({"unsubscribe": "javascript:alert(1)"},
     "option 'fireside.digest.unsubscribe': expected a mailto: or https: URL"),
    ({"unsubscribe": None}, "option 'fireside.digest.unsubscribe': required with smtp"),
    ({"max_posts": 0}, "option 'fireside.digest.max_posts': expected a whole number of at "
                       "least 1, but received: 0"),
    ({"smtp": {**SMTP, "starttls": True, "implicit_tls": True}},
     "starttls and implicit_tls exclude each other"),
    ({"smtp": {**SMTP, "starttls": False}},
     "option 'fireside.digest.smtp': a login needs an encrypted connection"),
    ({"smtp": {**SMTP, "port": 70000}}, "expected a port from 1 to 65535"),
    ({"smtp": {**SMTP, "password_env": None}}, "set both username_env and password_env"),
    ({"smtp": {**SMTP, "tls": True}}, "unknown option 'fireside.digest.smtp.tls'"),
])
def test_bad_options_are_named_with_the_fix(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(SettingsError) as caught:
        _settings(**changes)

    assert message in str(caught.value)


def test_a_secret_pasted_instead_of_a_variable_name_is_refused_without_echoing_it() -> None:
    secret = "https://prod.logic.azure.com/workflows/1/triggers?sig=TOPSECRET"

    with pytest.raises(SettingsError) as caught:
        _settings(teams_webhook_env=secret)

    assert "expected the NAME of an environment variable" in str(caught.value)
    assert "TOPSECRET" not in str(caught.value)


def test_the_command_and_the_build_reject_a_bad_option(
        project: Project, capsys: pytest.CaptureFixture[str],
        caplog: pytest.LogCaptureFixture) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    project.post("hello", title="Hello")
    config = project.config(digest=digest_options(SMTP, to="nobody"))

    assert main(["-f", str(config), "--send"]) == 1
    assert "option 'fireside.digest.to': expected an email address" in capsys.readouterr().err

    loaded = load_config(str(config))
    with pytest.raises(MkDocsException):
        loaded.plugins.on_startup(command="build", dirty=False)
        build(loaded)
    assert "fireside: option 'fireside.digest.to': expected an email address" in caplog.text
    bad_type = project.config(digest={"max_posts": "ten"})
    assert main(["-f", str(bad_type)]) == 1
    assert "option 'digest': Sub-option 'max_posts': Expected type" in capsys.readouterr().err


def test_without_a_digest_section_the_command_says_how_to_add_one(
        project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.post("hello", title="Hello")

    assert main(["-f", str(project.config()), "--send"]) == 1

    assert "no digest configured (add 'digest:'" in capsys.readouterr().out


LONDON = ZoneInfo("Europe/London")


def _at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=LONDON)


def test_weekly_and_daily_are_calendar_periods_in_the_site_time_zone() -> None:
    sent = DigestState(last_sent_at=_at("2026-06-01 09:05"))  # a Monday

    # A weekly job that runs a little earlier next Monday still sends.
    assert is_due(sent, "weekly", _at("2026-06-08 09:00"), LONDON)
    assert not is_due(sent, "weekly", _at("2026-06-07 23:59"), LONDON)
    assert is_due(sent, "daily", _at("2026-06-02 00:01"), LONDON)
    assert not is_due(sent, "daily", _at("2026-06-01 23:00"), LONDON)
    assert is_due(DigestState(), "weekly", _at("2026-06-01 09:00"), LONDON)


def test_a_damaged_state_file_is_a_clear_error(project: Project,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    project.post("hello", title="Hello", date="2026-05-30 09:00")
    state = project.root / "data/discussions/_digest.json"
    state.parent.mkdir(parents=True)
    state.write_text(json.dumps({"schema_version": 1, "shown": {"posts": "oops"}}))
    config = project.config(discussions={"snapshots": "data/discussions"},
                            digest=digest_options({"host": "127.0.0.1", "starttls": False}))

    assert main(["-f", str(config), "--send"]) == 1

    assert "_digest.json: the digest state is damaged ('shown.posts' is not a list of " \
           "texts); fix it, or delete it" in capsys.readouterr().err
