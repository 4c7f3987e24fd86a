"""Reading the sync sections of ``mkdocs.yml`` without MkDocs."""

from __future__ import annotations

from pathlib import Path

import pytest

from fireside.core.settings import (
    DEFAULT_SCHEDULE,
    ScheduleRule,
    SettingsError,
    load_settings,
    settings_from_options,
)

FULL = """\
site_name: Demo
docs_dir: content
markdown_extensions:
  - pymdownx.emoji:
      emoji_index: !!python/name:material.extensions.emoji.twemoji
extra:
  analytics: !ENV [NO_SUCH_VAR_FOR_TEST, "off"]
plugins:
  - search
  - fireside:
      timezone: Europe/London
      posts_dir: posts
      discussions:
        snapshots: data/discussions
        top_replies: 5
        stale_after_hours: 48
        moderation: data/moderation.yml
      sync:
        schedule:
          - {max_age_days: 14, every_hours: 0}
          - {max_age_days: 90, every_hours: 24}
          - {every_hours: 168}
      platforms:
        yammer:
          api_url: !ENV [FIRESIDE_TEST_API_URL, "https://www.yammer.com/api/v1/"]
          token_env: FIRESIDE_YAMMER_TOKEN
          rate_limit: {requests: 10, per_seconds: 30}
          timeout_seconds: 30
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "mkdocs.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_full_configuration_with_mkdocs_tags(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FIRESIDE_TEST_API_URL", raising=False)
    settings = load_settings(write(tmp_path, FULL))
    assert settings.docs_dir == (tmp_path / "content").resolve()
    assert str(settings.timezone) == "Europe/London"
    assert settings.discussions.snapshots == (tmp_path / "data/discussions").resolve()
    assert settings.discussions.top_replies == 5
    assert settings.discussions.stale_after_hours == 48.0
    assert settings.discussions.moderation == (tmp_path / "data/moderation.yml").resolve()
    assert settings.sync.schedule == (ScheduleRule(14, 0), ScheduleRule(90, 24),
                                      ScheduleRule(None, 168))
    yammer = settings.platforms["yammer"]
    assert yammer.api_url == "https://www.yammer.com/api/v1"
    assert (yammer.rate_requests, yammer.rate_per_seconds) == (10, 30.0)
    assert yammer.token_env == "FIRESIDE_YAMMER_TOKEN"
    monkeypatch.setenv("FIRESIDE_TEST_API_URL", "http://127.0.0.1:9/api/v1")
    assert load_settings(write(tmp_path, FULL)).platforms["yammer"].api_url == \
        "http://127.0.0.1:9/api/v1"


def test_defaults_with_plugin_as_plain_name(tmp_path: Path) -> None:
    settings = load_settings(write(tmp_path, "site_name: x\nplugins: [search, fireside]\n"))
    assert settings.docs_dir == (tmp_path / "docs").resolve()
    assert str(settings.timezone) == "UTC"
    assert settings.sync.schedule == DEFAULT_SCHEDULE
    assert settings.platforms == {}
    dict_form = load_settings(write(tmp_path, "plugins:\n  fireside:\n    platforms:\n"
                                              "      yammer: {}\n"))
    assert dict_form.platforms["yammer"].rate_requests == 10
    assert dict_form.platforms["yammer"].rate_per_seconds == 30.0


@pytest.mark.parametrize(("options", "message"), [
    ({"discussions": {"snapshot": "x"}}, "unknown option 'fireside.discussions.panel.snapshot'"),
    ({"discussions": {"top_replies": "three"}},
     "'fireside.discussions.panel.top_replies': expected a whole number"),
    ({"timezone": "Mars/Olympus"}, "'fireside.timezone': expected an IANA time zone"),
    ({"sync": {"schedule": [{"max_age_days": 14}]}}, "'fireside.sync.schedule[0].every_hours'"),
    ({"sync": {"schedule": [{"every_hours": 1}, {"max_age_days": 3, "every_hours": 2}]}},
     "increasing max_age_days"),
    ({"platforms": {"yammer": {"rate_limit": {"requests": 0}}}},
     "'fireside.platforms.yammer.rate_limit.requests': expected a whole number of at least 1"),
    ({"platforms": {"yammer": {"token": "abc"}}}, "unknown option 'fireside.platforms.yammer"
                                                  ".token'"),
    ({"platforms": {"yammer": {"api_url": "ftp://x"}}}, "expected an http(s) URL"),
    ({"platforms": {"myspace": {}}}, "'fireside.platforms.myspace': unknown platform"),
    ({"platforms": ["yammer"]}, "'fireside.platforms': expected a mapping"),
])
def test_invalid_options_name_the_option(tmp_path: Path, options: dict[str, object],
                                         message: str) -> None:
    with pytest.raises(SettingsError) as info:
        settings_from_options(options, config_dir=tmp_path, docs_dir=Path("docs"))
    assert message in str(info.value)


def test_other_plugin_options_are_ignored(tmp_path: Path) -> None:
    settings = settings_from_options({"posts_dir": 3, "feeds": {"x": 1}}, config_dir=tmp_path,
                                     docs_dir=tmp_path / "content")
    assert settings.docs_dir == (tmp_path / "content").resolve()


def test_missing_file_and_missing_plugin(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="cannot read"):
        load_settings(tmp_path / "nope.yml")
    with pytest.raises(SettingsError, match="'fireside' plugin is not listed"):
        load_settings(write(tmp_path, "plugins: [search]\n"))
    with pytest.raises(SettingsError, match="not valid YAML"):
        load_settings(write(tmp_path, "plugins: [search\n"))
