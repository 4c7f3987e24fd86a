"""One configuration path: ``mkdocs.yml`` read by MkDocs' own loader, typed options, one
``Settings`` for the build, sync and the commands."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any, Literal, assert_type

import pytest
import yaml

from fireside.adapter.config import PLATFORM_NAMES, PlatformsConfig
from fireside.adapter.settings import load_settings
from fireside.commands.cli import main
from fireside.core.errors import ConfigError
from fireside.core.settings import (
    DEFAULT_SCHEDULE,
    EntraSettings,
    RetrySettings,
    ScheduleRule,
)
from fireside.discussions.platforms import PLATFORMS
from tests.conftest import Project

FULL = """\
site_name: Demo
docs_dir: content
markdown_extensions:
  - pymdownx.emoji:
      emoji_index: !!python/name:material.extensions.emoji.twemoji
plugins:
  - search
  - fireside:
      timezone: Europe/London
      discussions:
        snapshots: !relative $config_dir/shared/discussions
        top_replies: 5
        stale_after_hours: 48
        moderation: data/moderation.yml
      sync:
        schedule:
          - {max_age_days: 14, every_hours: 0}
          - {max_age_days: 90, every_hours: 24}
      platforms:
        yammer:
          api_url: !ENV [FIRESIDE_TEST_API_URL, "https://www.yammer.com/api/v1/"]
          token_env: FIRESIDE_YAMMER_TOKEN
          rate_limit: {requests: 10, per_seconds: 30}
          timeout_seconds: 30
          retries: {attempts: 3, backoff_seconds: 1, max_wait_seconds: 60}
        teams:
          api_url: https://graph.microsoft.com/v1.0
          entra:
            tenant_id: 00000000-0000-0000-0000-000000000001
            client_id: 00000000-0000-0000-0000-000000000002
            client_secret_env: FIRESIDE_TEAMS_SECRET
            token_cache: .cache/teams.json
        sharepoint:
          api_url: https://contoso.sharepoint.com
          entra:
            tenant_id: t
            client_id: c
            authority: https://login.microsoftonline.us
            certificate_path: certs/fireside.pem
            certificate_thumbprint_env: FIRESIDE_SP_THUMBPRINT
        discourse:
          api_url: https://forum.example.com
          token_env: FIRESIDE_DISCOURSE_KEY
          username: system
        jive: {api_url: https://community.example.com/api/core/v3, password_env: JIVE_PW,
               username: bot}
"""


def write(root: Path, text: str, name: str = "mkdocs.yml") -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "content").mkdir(exist_ok=True)
    path = root / name
    path.write_text(text, encoding="utf-8")
    return path


def test_full_configuration_through_mkdocs_loader(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FIRESIDE_TEST_API_URL", raising=False)
    settings = load_settings(write(tmp_path, FULL))
    assert settings.docs_dir == tmp_path / "content"
    assert settings.project_dir == tmp_path
    assert str(settings.timezone) == "Europe/London"
    assert settings.discussions.snapshots == tmp_path / "shared/discussions"  # !relative
    assert settings.discussions.top_replies == 5
    assert settings.discussions.stale_after_hours == 48.0
    assert settings.discussions.moderation == tmp_path / "data/moderation.yml"
    # A last rule with max_age_days also covers every older post.
    assert settings.sync.schedule == (ScheduleRule(14, 0), ScheduleRule(90, 24),
                                      ScheduleRule(None, 24))
    yammer = settings.platforms["yammer"]
    assert yammer.api_url == "https://www.yammer.com/api/v1"
    assert (yammer.rate_requests, yammer.rate_per_seconds) == (10, 30.0)
    assert yammer.retries == RetrySettings(3, 1.0, 60.0)
    teams = settings.platforms["teams"]
    assert teams.token_env == "FIRESIDE_TEAMS_TOKEN"
    assert teams.entra == EntraSettings(
        tenant_id="00000000-0000-0000-0000-000000000001",
        client_id="00000000-0000-0000-0000-000000000002",
        client_secret_env="FIRESIDE_TEAMS_SECRET", token_cache=tmp_path / ".cache/teams.json")
    sharepoint = settings.platforms["sharepoint"].entra
    assert sharepoint is not None
    assert sharepoint.authority == "https://login.microsoftonline.us"
    assert sharepoint.certificate_path == tmp_path / "certs/fireside.pem"
    assert sharepoint.certificate_thumbprint_env == "FIRESIDE_SP_THUMBPRINT"
    assert settings.platforms["discourse"].username == "system"
    jive = settings.platforms["jive"]
    assert (jive.username, jive.password_env) == ("bot", "JIVE_PW")
    assert set(settings.platforms) == {"yammer", "teams", "sharepoint", "discourse", "jive"}
    monkeypatch.setenv("FIRESIDE_TEST_API_URL", "http://127.0.0.1:9/api/v1")
    assert load_settings(tmp_path / "mkdocs.yml").platforms["yammer"].api_url == \
        "http://127.0.0.1:9/api/v1"


def test_env_tag_with_an_empty_variable_falls_back_as_in_mkdocs(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # MkDocs reads an empty variable as null, so the option takes its default.
    monkeypatch.setenv("FIRESIDE_TEST_API_URL", "")
    path = write(tmp_path, "site_name: x\ndocs_dir: content\nplugins:\n  - fireside:\n"
                           "      platforms:\n"
                           "        yammer: {api_url: !ENV FIRESIDE_TEST_API_URL}\n")
    assert load_settings(path).platforms["yammer"].api_url == "https://www.yammer.com/api/v1"


def test_defaults_with_the_plugin_as_a_plain_name(tmp_path: Path) -> None:
    settings = load_settings(write(tmp_path, "site_name: x\ndocs_dir: content\n"
                                             "plugins: [search, fireside]\n"))
    assert str(settings.timezone) == "UTC"
    assert settings.discussions.snapshots == tmp_path / "data/discussions"
    assert settings.sync.schedule == DEFAULT_SCHEDULE
    assert settings.platforms == {}
    assert (settings.site.posts_dir, settings.site.qa_dir, settings.site.authors_file) == \
        ("posts", "qa", ".authors.yml")


def test_inherited_configuration_is_merged_as_mkdocs_merges_it(tmp_path: Path) -> None:
    # MkDocs merges plugins given as a mapping, option by option.
    write(tmp_path, "site_name: base\nplugins:\n  fireside:\n    timezone: Europe/Paris\n"
                    "    posts_dir: articles\n    platforms: {yammer: {}}\n", "base.yml")
    path = write(tmp_path, "INHERIT: base.yml\ndocs_dir: content\nplugins:\n  fireside:\n"
                           "    authors_file: team.yml\n")
    settings = load_settings(path)
    assert str(settings.timezone) == "Europe/Paris"
    assert (settings.site.posts_dir, settings.site.authors_file) == ("articles", "team.yml")
    assert list(settings.platforms) == ["yammer"]


@pytest.mark.parametrize(("options", "message"), [
    ({"discussions": {"snapshot": "x"}},
     "option 'discussions': Sub-option 'snapshot': unknown option 'snapshot'; expected one of "
     "enabled, moderation, snapshots, stale_after_hours, top_replies"),
    ({"discussions": {"top_replies": "three"}},
     "Sub-option 'top_replies': expected a whole number of at least 0, but received: 'three'"),
    ({"timezone": "Mars/Olympus"}, "option 'timezone': expected an IANA time zone"),
    ({"sync": {"schedule": [{"max_age_days": 14}]}},
     "Sub-option 'every_hours': Required configuration not provided"),
    ({"sync": {"schedule": [{"every_hours": 1}, {"max_age_days": 3, "every_hours": 2}]}},
     "expected rules in increasing max_age_days"),
    ({"platforms": {"yammer": {"rate_limit": {"requests": 0}}}},
     "Sub-option 'yammer': Sub-option 'rate_limit': Sub-option 'requests': expected a whole "
     "number of at least 1, but received: 0"),
    ({"platforms": {"yammer": {"token": "abc"}}},
     "Sub-option 'yammer': Sub-option 'token': unknown option 'token'; expected one of "
     "api_url, entra, password_env"),
    ({"platforms": {"myspace": {}}}, "Sub-option 'myspace': unknown option 'myspace'; expected "
                                     "one of chatter, discourse, jive, sharepoint, slack, teams, "
                                     "yammer"),
    ({"platforms": {"yammer": {"api_url": "ftp://x"}}}, "expected an http(s) URL"),
    ({"platforms": {"teams": {"entra": {"client_id": "c"}}}},
     "Sub-option 'entra': Sub-option 'tenant_id': Required configuration not provided"),
    ({"platforms": {"teams": {"entra": {"tenant_id": "t", "client_id": "c", "secret": "s"}}}},
     "Sub-option 'secret': unknown option 'secret'"),
    ({"platforms": {"discourse": {"token_env": "X"}}},
     "option 'platforms.discourse.api_url' is required"),
    ({"platforms": ["yammer"]}, "option 'platforms'"),
    ({"platforms": {"slack": "on"}}, "Sub-option 'slack': expected a mapping of options"),
    ({"post_url": "posts/{slug}"}, "option 'post_url': unknown option 'post_url'"),
    ({"feeds": {"fromats": ["rss"]}}, "Sub-option 'fromats': unknown option 'fromats'"),
    ({"digest": {"teams_retries": {"attempts": 0}}},
     "Sub-option 'teams_retries': Sub-option 'attempts': expected a whole number of at least 1"),
    ({"digest": {"teams_retries": {"tries": 2}}}, "Sub-option 'tries': unknown option 'tries'"),
    ({"pagination_per_page": 0}, "option 'pagination_per_page': expected a whole number of at "
                                 "least 1, but received: 0"),
])
def test_invalid_options_are_errors_naming_the_option(project: Project, options: dict[str, Any],
                                                      message: str) -> None:
    path = project.config(**options)
    with pytest.raises(ConfigError) as info:
        load_settings(path)
    assert message in str(info.value)
    assert str(path) in str(info.value)


def test_the_command_line_prints_configuration_errors_without_a_traceback(
        project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    config = project.config(platforms={"yammer": {"token": "abc"}})
    assert main(["check", "-f", str(config)]) == 1
    err = capsys.readouterr().err
    assert "unknown option 'token'" in err and "Traceback" not in err
    assert main(["sync", "-f", str(config)]) == 1
    err = capsys.readouterr().err
    assert "unknown option 'token'" in err and "Traceback" not in err


def test_every_registered_platform_has_a_section() -> None:
    assert set(PLATFORMS) <= set(PLATFORM_NAMES)
    assert set(PLATFORM_NAMES) == {name for name, _ in PlatformsConfig._schema}


def test_a_missing_file_and_a_missing_plugin(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"nope\.yml: not found"):
        load_settings(tmp_path / "nope.yml")
    with pytest.raises(ConfigError, match="'fireside' plugin is not listed"):
        load_settings(write(tmp_path, "site_name: x\ndocs_dir: content\nplugins: [search]\n"))


def test_the_build_stops_on_an_unknown_platform_key(project: Project) -> None:
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort

    project.post("hello")
    path = project.config(platforms={"yammer": {"api_url": "https://x.example", "tokn": "T"}})
    with pytest.raises(Abort):
        load_config(str(path))
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["plugins"][1]["fireside"]["platforms"]["yammer"].pop("tokn")
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    assert load_config(str(path)).plugins["fireside"].config.platforms.yammer is not None


def test_serve_watches_the_default_snapshot_folder(project: Project) -> None:
    from mkdocs.config import load_config
    from mkdocs.livereload import LiveReloadServer

    (project.root / "data/discussions").mkdir(parents=True)
    config = load_config(str(project.config()))
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0,
                              root=str(project.root))
    try:  # the observer starts only in ``serve()``; watching just registers the folder
        config.plugins.on_serve(server, config=config, builder=lambda: None)
        assert str(project.root / "data/discussions") in server._watched_paths
    finally:
        server.server_close()


@pytest.mark.parametrize(("auth", "section", "message"), [
    ("entra", {}, "option 'platforms.teams' needs 'entra: {tenant_id, client_id"),
    ("basic", {"username": "bot"}, "option 'platforms.teams' needs 'username' and "
                                   "'password_env'"),
])
def test_a_platform_section_needs_the_sign_in_its_registry_entry_names(
        project: Project, monkeypatch: pytest.MonkeyPatch, auth: Literal["entra", "basic"],
        section: dict[str, str], message: str) -> None:
    yammer = PLATFORMS["yammer"]
    entry = replace(yammer, name="teams", defaults=replace(yammer.defaults, auth=auth))
    monkeypatch.setitem(PLATFORMS, "teams", entry)
    path = project.config(platforms={"teams": section})
    with pytest.raises(ConfigError, match=re.escape(message)):
        load_settings(path)
    fixed = {"entra": {"entra": {"tenant_id": "t", "client_id": "c", "client_secret_env": "S"}},
             "basic": {"username": "bot", "password_env": "PW"}}[auth]
    assert load_settings(project.config(platforms={"teams": fixed})).platforms["teams"]


def test_options_are_typed(project: Project) -> None:
    from mkdocs.config import load_config

    from fireside.adapter.config import PlatformConfig
    from fireside.adapter.settings import fireside_options
    from fireside.core.settings import Slugify

    options = fireside_options(load_config(str(project.config(platforms={"yammer": {}}))))
    # Checked by mypy (strict) as much as by pytest.
    yammer = assert_type(options.platforms.yammer, PlatformConfig | None)
    assert yammer is not None and assert_type(yammer.timeout_seconds, float) == 30.0
    assert assert_type(options.platforms.teams, PlatformConfig | None) is None
    assert assert_type(options.discussions.top_replies, int) == 3
    assert assert_type(options.post_slugify, Slugify)("Новости", "-") == "новости"
    assert assert_type(options.sync.schedule[0].every_hours, float) == 0.0


@pytest.mark.parametrize(("name", "api_url", "rate"), [
    ("slack", "https://slack.com/api", (50, 60.0)),
    ("discourse", "https://forum.example.com", (60, 60.0)),
    ("jive", "https://community.example.com/api/core/v3", (60, 60.0)),
    ("chatter", "https://northwind.my.salesforce.com/services/data/v62.0", (30, 60.0)),
])
def test_each_platform_defaults_to_its_documented_limit(project: Project, name: str,
                                                        api_url: str,
                                                        rate: tuple[int, float]) -> None:
    given: dict[str, str] = {}
    if name in ("discourse", "jive"):  # self-hosted: no default address
        with pytest.raises(ConfigError, match=f"'platforms.{name}.api_url' is required: the "
                                              f"address of your {name.capitalize()}, such as "
                                              f"{re.escape(api_url)}"):
            load_settings(project.config(platforms={name: {}}))
        given = {"api_url": api_url}
    section = load_settings(project.config(platforms={name: given})).platforms[name]
    assert (section.api_url, (section.rate_requests, section.rate_per_seconds)) == (api_url, rate)
    assert (section.username, section.password_env, section.web_url) == (None, None, None)


def test_username_password_env_and_web_url_are_read(project: Project) -> None:
    jive = load_settings(project.config(platforms={"jive": {
        "api_url": "https://jive.example/api/core/v3", "username": "svc",
        "password_env": "JIVE_PW", "web_url": "https://jive.example/"}})).platforms["jive"]
    assert (jive.username, jive.password_env, jive.web_url) == ("svc", "JIVE_PW",
                                                               "https://jive.example")
    with pytest.raises(ConfigError, match="Sub-option 'password_env': Expected type"):
        load_settings(project.config(platforms={"jive": {"api_url": "https://jive.example",
                                                         "password_env": ["x"]}}))
