"""Settings come from the environment once; secrets never show."""

from __future__ import annotations

import pytest

from bot.settings import PROJECT_ROOT, Secret, Settings, SettingsError, get_settings


def test_defaults() -> None:
    settings = Settings.from_env({})
    assert settings.crm_database_url == f"sqlite:///{PROJECT_ROOT / 'var' / 'crm.db'}"
    assert (settings.crm_api_url, settings.bot_host, settings.bot_port) == (
        "http://127.0.0.1:8000",
        "127.0.0.1",
        8000,
    )
    assert settings.crm_timeout_seconds == 1.2
    assert settings.crm_api_token is None and settings.customer_token_secret is None


def test_values_from_the_environment() -> None:
    settings = Settings.from_env(
        {
            "CRM_DATABASE_URL": "postgresql+psycopg2://crm:pw@db:5432/crm",
            "CRM_API_URL": "http://bot:8000/",
            "CRM_API_TOKEN": "s3cret-token",
            "CUSTOMER_TOKEN_SECRET": "other-secret",
            "BOT_HOST": "0.0.0.0",
            "BOT_PORT": "9000",
            "BOT_THREADS": "4",
            "CRM_TIMEOUT_SECONDS": "0.8",
            "AGENT_TOKEN_SECRET": "agent-secret-" * 3,
            "RASA_JWT_SECRET": "rasa-secret",
            "RASA_URL": "http://rasa:5005/",
        }
    )
    assert settings.crm_api_url == "http://bot:8000"
    assert settings.require_crm_api_token().reveal() == "s3cret-token"
    assert (settings.bot_host, settings.bot_port, settings.crm_timeout_seconds) == (
        "0.0.0.0",
        9000,
        0.8,
    )
    assert settings.bot_threads == 4
    assert Settings.from_env({}).bot_threads == 8
    shown = repr(settings) + str(settings)
    assert "s3cret-token" not in shown and "other-secret" not in shown and ":pw@" not in shown
    assert "agent-secret" not in shown and "rasa-secret" not in shown
    assert "Secret('**********')" in shown


def test_relative_sqlite_paths_are_anchored_at_the_project_root() -> None:
    settings = Settings.from_env({"CRM_DATABASE_URL": "sqlite:///var/other.db"})
    assert settings.crm_database_url == f"sqlite:///{PROJECT_ROOT / 'var' / 'other.db'}"


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("BOT_PORT", "http"),
        ("BOT_PORT", "70000"),
        ("CRM_TIMEOUT_SECONDS", "-1"),
        ("CRM_TIMEOUT_SECONDS", "x"),
    ],
)
def test_malformed_values_fail_loudly(key: str, value: str) -> None:
    with pytest.raises(SettingsError, match=key):
        Settings.from_env({key: value})


def test_missing_token_fails_with_a_clear_message() -> None:
    with pytest.raises(SettingsError, match="CRM_API_TOKEN is not set"):
        Settings.from_env({"CRM_API_TOKEN": ""}).require_crm_api_token()


def test_settings_are_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    get_settings.cache_clear()
    monkeypatch.setenv("BOT_PORT", "8123")
    first = get_settings()
    monkeypatch.setenv("BOT_PORT", "8124")
    assert get_settings() is first and first.bot_port == 8123
    get_settings.cache_clear()


def test_secret_hides_its_value() -> None:
    secret = Secret("hunter2")
    assert "hunter2" not in f"{secret} {secret!r}"
    assert secret.reveal() == "hunter2" and secret == Secret("hunter2")


def test_website_settings_default_to_no_demo_and_a_local_rasa() -> None:
    settings = Settings.from_env({})
    assert (settings.website_demo_mode, settings.website_rasa_url) == (
        False,
        "http://localhost:5005",
    )


@pytest.mark.parametrize(("raw", "expected"), [("true", True), ("1", True), ("off", False)])
def test_demo_mode_is_a_flag(raw: str, expected: bool) -> None:
    assert Settings.from_env({"WEBSITE_DEMO_MODE": raw}).website_demo_mode is expected


def test_the_rasa_url_is_kept_as_an_origin() -> None:
    settings = Settings.from_env({"WEBSITE_RASA_URL": "https://chat.nordlicht.example/"})
    assert settings.website_rasa_url == "https://chat.nordlicht.example"


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("WEBSITE_DEMO_MODE", "maybe"),
        ("WEBSITE_RASA_URL", "localhost:5005"),
        ("WEBSITE_RASA_URL", "javascript:alert(1)"),
        ("WEBSITE_RASA_URL", "http://rasa:5005/socket.io"),
    ],
)
def test_malformed_website_settings_fail_loudly(key: str, value: str) -> None:
    with pytest.raises(SettingsError, match=key):
        Settings.from_env({key: value})


def test_the_escalation_reads_its_own_settings() -> None:
    from bot.escalation.settings import EscalationSettings

    env = {
        "AGENT_TOKEN_SECRET": "agent-secret-" * 3,
        "RASA_URL": "http://rasa:5005/",
        "CRM_API_URL": "http://bot:8000/",
        "CRM_API_TOKEN": "crm-token",
    }
    escalation = EscalationSettings.from_env(env)
    assert escalation.rasa_url == "http://rasa:5005"
    assert escalation.require_agent_token_secret().reveal() == "agent-secret-" * 3
    # without ESCALATION_API_*: the bot service's URL and token, the CRM's database
    assert escalation.api_url == "http://bot:8000"
    assert escalation.intake_token(Secret("crm-token")).reveal() == "crm-token"
    assert escalation.database_url is None
    own = EscalationSettings.from_env(
        {
            **env,
            "ESCALATION_API_URL": "http://desk:9000/",
            "ESCALATION_API_TOKEN": "escalation-token",
            "ESCALATION_DATABASE_URL": "postgresql+psycopg2://esc:pw@db:5432/esc",
        }
    )
    assert own.api_url == "http://desk:9000"
    assert own.intake_token(Secret("crm-token")).reveal() == "escalation-token"
    assert own.database_url == "postgresql+psycopg2://esc:pw@db:5432/esc"
    assert "escalation-token" not in repr(own)
    with pytest.raises(SettingsError, match="ESCALATION_API_TOKEN"):
        EscalationSettings.from_env({}).intake_token(None)


def test_the_bot_settings_do_not_import_the_escalation() -> None:
    import subprocess
    import sys

    code = "import sys, bot.settings; print('bot.escalation' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False"
