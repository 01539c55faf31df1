"""Settings: what a newcomer gets when a setting is missing or wrong."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet

from bot.config import DEFAULT_SCOPES, DEFAULT_SLACK_API_URL, ConfigError, load_settings

BASE = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s3cret"}
KEY = Fernet.generate_key().decode()


def test_defaults_are_http_mode_on_port_3000_with_a_local_sqlite_file() -> None:
    settings = load_settings(BASE)

    assert not settings.socket_mode
    assert settings.port == 3000
    assert settings.database_url == "sqlite:///intervisie.db"
    assert settings.slack_api_url == DEFAULT_SLACK_API_URL
    assert settings.run_scheduler


def test_an_app_token_switches_to_socket_mode_without_a_signing_secret() -> None:
    settings = load_settings({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1"})

    assert settings.socket_mode


def test_http_mode_needs_the_signing_secret() -> None:
    with pytest.raises(ConfigError, match="SLACK_SIGNING_SECRET is not set"):
        load_settings({"SLACK_BOT_TOKEN": "xoxb-1"})


def test_a_bot_token_in_the_app_token_setting_is_explained() -> None:
    with pytest.raises(ConfigError, match="SLACK_APP_TOKEN must be the app-level token"):
        load_settings({**BASE, "SLACK_APP_TOKEN": "xoxb-2"})


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u:p@db:5432/x", "postgresql+psycopg://u:p@db:5432/x"),
        ("postgresql://u@db/x", "postgresql+psycopg://u@db/x"),
        ("postgresql+psycopg://u@db/x", "postgresql+psycopg://u@db/x"),
        ("sqlite:////var/lib/intervisie.db", "sqlite:////var/lib/intervisie.db"),
    ],
)
def test_database_urls_use_the_installed_driver(given: str, expected: str) -> None:
    env = {**BASE, "DATABASE_URL": given, "ENCRYPTION_KEY": KEY}
    assert load_settings(env).database_url == expected


def test_postgresql_without_an_encryption_key_is_refused() -> None:
    with pytest.raises(ConfigError, match="ENCRYPTION_KEY is not set: with PostgreSQL"):
        load_settings({**BASE, "DATABASE_URL": "postgresql://u@db/x"})


def test_a_malformed_encryption_key_is_named() -> None:
    with pytest.raises(ConfigError, match="ENCRYPTION_KEY key 2 is not a valid key"):
        load_settings({**BASE, "ENCRYPTION_KEY": f"{KEY},not-a-key"})


def test_several_keys_rotate_newest_first() -> None:
    old = Fernet.generate_key().decode()

    assert load_settings({**BASE, "ENCRYPTION_KEY": f" {KEY} , {old}"}).encryption_keys == (
        KEY,
        old,
    )


def test_a_database_other_than_sqlite_or_postgresql_is_refused() -> None:
    with pytest.raises(ConfigError, match="'mysql' is not supported"):
        load_settings({**BASE, "DATABASE_URL": "mysql://u@db/x"})


@pytest.mark.parametrize("port", ["0", "70000", "abc"])
def test_a_bad_port_is_refused(port: str) -> None:
    with pytest.raises(ConfigError, match="PORT must be a number between 1 and 65535"):
        load_settings({**BASE, "PORT": port})


def test_a_slack_api_url_gets_its_trailing_slash() -> None:
    settings = load_settings({**BASE, "SLACK_API_URL": "https://slack-gov.com/api"})

    assert settings.slack_api_url == "https://slack-gov.com/api/"


def test_a_slack_api_url_without_scheme_is_refused() -> None:
    with pytest.raises(ConfigError, match="SLACK_API_URL must be an http"):
        load_settings({**BASE, "SLACK_API_URL": "slack.com/api"})


def test_a_wrong_log_level_and_scheduler_flag_are_refused() -> None:
    with pytest.raises(ConfigError, match="LOG_LEVEL must be one of"):
        load_settings({**BASE, "LOG_LEVEL": "chatty"})
    with pytest.raises(ConfigError, match="RUN_SCHEDULER must be 'true' or 'false'"):
        load_settings({**BASE, "RUN_SCHEDULER": "maybe"})


def test_slacks_limits_are_kept_unless_turned_off_for_a_fake_slack() -> None:
    assert load_settings(BASE).slack_pacing
    assert not load_settings({**BASE, "SLACK_PACING": "false"}).slack_pacing
    with pytest.raises(ConfigError, match="SLACK_PACING must be 'true' or 'false'"):
        load_settings({**BASE, "SLACK_PACING": "sometimes"})


def test_trusted_proxies_are_addresses_or_networks() -> None:
    assert load_settings(BASE).trusted_proxies == ()
    proxies = load_settings({**BASE, "TRUSTED_PROXIES": "127.0.0.1, 10.0.0.0/8"}).trusted_proxies
    assert [str(p) for p in proxies] == ["127.0.0.1/32", "10.0.0.0/8"]
    with pytest.raises(ConfigError, match="'caddy' is neither"):
        load_settings({**BASE, "TRUSTED_PROXIES": "127.0.0.1, caddy"})


def test_the_contact_address_for_the_privacy_page_must_be_an_address() -> None:
    assert load_settings({**BASE, "SUPPORT_EMAIL": "privacy@noord.nl"}).support_email == (
        "privacy@noord.nl"
    )
    assert load_settings(BASE).support_email is None
    for wrong in ("privacy", "a@b", "<a@b.nl>", "a@b.nl, c@d.nl"):
        with pytest.raises(ConfigError, match="SUPPORT_EMAIL must be one e-mail address"):
            load_settings({**BASE, "SUPPORT_EMAIL": wrong})


def test_the_public_address_proofs_name_must_be_a_web_address() -> None:
    given = {**BASE, "PUBLIC_URL": "https://intervisie.example.org/"}
    assert load_settings(given).public_url == "https://intervisie.example.org"
    assert load_settings(BASE).public_url is None
    for wrong in ("intervisie.example.org", "ftp://x.org", "https://x.org/?a=1", "https://a b"):
        with pytest.raises(ConfigError, match="PUBLIC_URL must be the address people reach"):
            load_settings({**BASE, "PUBLIC_URL": wrong})


HOSTED = {"SLACK_CLIENT_ID": "1111.2222", "SLACK_CLIENT_SECRET": "c", "SLACK_SIGNING_SECRET": "s"}


def test_the_apps_credentials_without_a_bot_token_serve_many_workspaces() -> None:
    settings = load_settings(HOSTED)

    assert settings.many_workspaces and not settings.socket_mode
    assert settings.scopes == DEFAULT_SCOPES
    assert not load_settings(BASE).many_workspaces


@pytest.mark.parametrize(
    ("env", "says"),
    [
        ({**HOSTED, "SLACK_BOT_TOKEN": "xoxb-1"}, "are both set"),
        (
            {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_CLIENT_ID": "1", "SLACK_SIGNING_SECRET": "s"},
            "both",
        ),
        ({**HOSTED, "SLACK_APP_TOKEN": "xapp-1"}, "not Socket Mode"),
        ({"SLACK_CLIENT_ID": "1", "SLACK_SIGNING_SECRET": "s"}, "SLACK_CLIENT_SECRET must be set"),
        ({"SLACK_CLIENT_ID": "1", "SLACK_CLIENT_SECRET": "c"}, "SLACK_SIGNING_SECRET must be set"),
        ({**HOSTED, "SLACK_SCOPES": "chat:write, <script>"}, "SLACK_SCOPES must be bot scopes"),
        ({}, "or set SLACK_CLIENT_ID and SLACK_CLIENT_SECRET"),
    ],
)
def test_mixed_or_missing_pieces_of_a_mode_are_one_sentence(env: dict[str, str], says: str) -> None:
    with pytest.raises(ConfigError, match=says):
        load_settings(env)


def test_chosen_scopes_replace_the_manifests() -> None:
    settings = load_settings({**HOSTED, "SLACK_SCOPES": "commands, chat:write,commands"})

    assert settings.scopes == ("commands", "chat:write")


def test_what_a_host_watches_is_off_until_asked_for() -> None:
    settings = load_settings(BASE)
    assert (settings.metrics_token, settings.metrics_port) == (None, None)
    assert (settings.log_format, settings.stop_grace) == ("text", 0.0)
    assert settings.looks_per_minute == 1, "what Slack allows an app outside its Marketplace"

    token = "0123456789abcdef0123"
    chosen = load_settings(
        {**BASE, "METRICS_TOKEN": token, "METRICS_PORT": "9464", "LOG_FORMAT": "JSON"}
        | {"STOP_GRACE": "2.5"}
    )
    assert (chosen.metrics_token, chosen.metrics_port) == (token, 9464)
    assert (chosen.log_format, chosen.stop_grace) == ("json", 2.5)


@pytest.mark.parametrize(
    ("name", "given", "says"),
    [
        ("METRICS_TOKEN", "short", "METRICS_TOKEN must be at least 16 characters"),
        ("METRICS_TOKEN", "has a space in it, sadly", "METRICS_TOKEN must be at least 16"),
        ("METRICS_PORT", "99999", "METRICS_PORT must be a number between 1 and 65535"),
        ("LOG_FORMAT", "xml", "LOG_FORMAT must be text or json"),
        ("STOP_GRACE", "forever", "STOP_GRACE must be a number of seconds from 0 to 60"),
        ("STOP_GRACE", "61", "STOP_GRACE must be a number of seconds from 0 to 60"),
        ("SLACK_LOOKS_PER_MINUTE", "0", "SLACK_LOOKS_PER_MINUTE must be a number from 1 to 50"),
        ("SLACK_LOOKS_PER_MINUTE", "many", "SLACK_LOOKS_PER_MINUTE must be a number from 1"),
        ("SLACK_APP_ID", "intervisie", "SLACK_APP_ID must be your Slack app's App ID"),
    ],
)
def test_a_wrong_setting_for_the_host_is_one_sentence(name: str, given: str, says: str) -> None:
    with pytest.raises(ConfigError, match=says):
        load_settings({**BASE, name: given})
