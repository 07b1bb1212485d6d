"""Settings of the bot service, read once from the environment.

Every module that needs configuration receives a :class:`Settings` object (or
calls :func:`get_settings`); the escalation has settings of its own
(:mod:`bot.escalation.settings`). Nothing else reads ``os.environ``. Secrets are
wrapped in :class:`Secret` so that they never show up in logs or tracebacks.
``.env.example`` in the project root documents every variable.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy.engine import make_url

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "sqlite:///var/crm.db"
MINIMUM_SECRET_LENGTH = 32


def strong_secret(secret: Secret | None, name: str, purpose: str) -> Secret:
    """Return ``secret``, or fail loudly when it is missing or shorter than 32 characters.

    Args:
        secret: The configured value.
        name: Its environment variable, for the message.
        purpose: What it is for, e.g. "it signs the agents' login tokens".

    Raises:
        SettingsError: The secret is missing or too short.

    """
    if not secret or len(secret.reveal()) < MINIMUM_SECRET_LENGTH:
        raise SettingsError(
            f"{name} must be set to {MINIMUM_SECRET_LENGTH} or more characters: {purpose} "
            "(`make` writes a development value to var/dev.env)."
        )
    return secret


class SettingsError(RuntimeError):
    """A required setting is missing or malformed."""


class Secret:
    """A string that never shows itself in ``repr``/``str``.

    Args:
        value: The secret value.

    """

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """Return the secret value; call this only where it is used."""
        return self._value

    def __repr__(self) -> str:
        return "Secret('**********')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __bool__(self) -> bool:
        return bool(self._value)


@dataclass(frozen=True, repr=False)
class Settings:
    """All settings of the bot service.

    Attributes:
        crm_database_url: SQLAlchemy URL of the CRM database.
        crm_api_url: Base URL of the CRM HTTP API (used by the client).
        crm_api_token: Service-to-service bearer token of the CRM API.
        customer_token_secret: Key for signed customer tokens.
        bot_host: Interface the bot service listens on.
        bot_port: Port the bot service listens on.
        bot_threads: Threads that run the bot service's blocking work at once
            (BOT_THREADS): CRM queries, desk and website calls. Under one
            interpreter lock more threads only make single answers slower:
            40 (the default of the server framework) let single CRM answers
            wait over a second under load, 8 kept the slowest under 0.5 s.
        crm_timeout_seconds: Time limit of one CRM request attempt.
        website_demo_mode: Serve the demo website with its fake customer login.
        website_rasa_url: Origin of the Rasa server the website chat connects to.
        action_server_token: Shared secret Rasa must present to the action
            server (ACTION_SERVER_TOKEN, ``Authorization: Bearer ...``).
        action_server_host: Interface the action server listens on.
        action_server_port: Port the action server listens on.
        identity_claim_secret: Signs verified identities in the action server
            (IDENTITY_CLAIM_SECRET, see ``bot.identity_claims``).
        retention_conversation_days: Conversations, feedback comments and
            analytics identities are kept this long (RETENTION_CONVERSATION_DAYS).
        retention_escalation_days: Escalations with their transcripts are kept
            this long (RETENTION_ESCALATION_DAYS).
        retention_interval_hours: The bot service runs the retention this often
            (RETENTION_INTERVAL_HOURS).
        analytics_interval_seconds: How often the bot service brings the
            analytics rows up to date from the tracker store (ANALYTICS_INTERVAL_SECONDS).
        analytics_amqp_url: RabbitMQ URL to read Rasa's event stream from
            instead of the tracker store (ANALYTICS_AMQP_URL, production).
        analytics_queue: Analytics' own queue (ANALYTICS_QUEUE): a queue splits
            its messages among its consumers, so the training inbox
            (``nordlicht_events``) and analytics each read one of their own.
        metrics_token: When set, ``GET /metrics`` wants it as a bearer token
            (METRICS_TOKEN).

    """

    crm_database_url: str = f"sqlite:///{PROJECT_ROOT / 'var' / 'crm.db'}"
    crm_api_url: str = "http://127.0.0.1:8000"
    crm_api_token: Secret | None = None
    customer_token_secret: Secret | None = None
    bot_host: str = "127.0.0.1"
    bot_port: int = 8000
    bot_threads: int = 8
    crm_timeout_seconds: float = 1.2
    website_demo_mode: bool = False
    website_rasa_url: str = "http://localhost:5005"
    action_server_token: Secret | None = None
    action_server_host: str = "127.0.0.1"
    action_server_port: int = 5055
    identity_claim_secret: Secret | None = None
    retention_conversation_days: int = 90
    retention_escalation_days: int = 730
    retention_interval_hours: float = 24.0
    analytics_interval_seconds: float = 60.0
    analytics_amqp_url: Secret | None = None
    analytics_queue: str = "nordlicht_events_analytics"
    metrics_token: Secret | None = None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Build the settings from environment variables.

        Args:
            environ: The variables to read; defaults to ``os.environ``.

        Returns:
            The settings.

        Raises:
            SettingsError: A variable holds a malformed value.

        """
        env = os.environ if environ is None else environ
        return cls(
            crm_database_url=database_url(env.get("CRM_DATABASE_URL") or DEFAULT_DATABASE_URL),
            crm_api_url=(env.get("CRM_API_URL") or cls.crm_api_url).rstrip("/"),
            crm_api_token=secret_or_none(env.get("CRM_API_TOKEN")),
            customer_token_secret=secret_or_none(env.get("CUSTOMER_TOKEN_SECRET")),
            bot_host=env.get("BOT_HOST") or cls.bot_host,
            bot_port=_port(env, "BOT_PORT", cls.bot_port),
            bot_threads=int(number_setting(env, "BOT_THREADS", cls.bot_threads)),
            crm_timeout_seconds=number_setting(env, "CRM_TIMEOUT_SECONDS", cls.crm_timeout_seconds),
            website_demo_mode=_flag(env, "WEBSITE_DEMO_MODE", cls.website_demo_mode),
            website_rasa_url=_http_origin(env, "WEBSITE_RASA_URL", cls.website_rasa_url),
            action_server_token=secret_or_none(env.get("ACTION_SERVER_TOKEN")),
            action_server_host=env.get("ACTION_SERVER_HOST") or cls.action_server_host,
            action_server_port=_port(env, "ACTION_SERVER_PORT", cls.action_server_port),
            identity_claim_secret=secret_or_none(env.get("IDENTITY_CLAIM_SECRET")),
            retention_conversation_days=int(
                number_setting(env, "RETENTION_CONVERSATION_DAYS", cls.retention_conversation_days)
            ),
            retention_escalation_days=int(
                number_setting(env, "RETENTION_ESCALATION_DAYS", cls.retention_escalation_days)
            ),
            retention_interval_hours=number_setting(
                env, "RETENTION_INTERVAL_HOURS", cls.retention_interval_hours
            ),
            analytics_interval_seconds=number_setting(
                env, "ANALYTICS_INTERVAL_SECONDS", cls.analytics_interval_seconds
            ),
            analytics_amqp_url=secret_or_none(env.get("ANALYTICS_AMQP_URL")),
            analytics_queue=env.get("ANALYTICS_QUEUE") or cls.analytics_queue,
            metrics_token=secret_or_none(env.get("METRICS_TOKEN")),
        )

    def require_crm_api_token(self) -> Secret:
        """Return the CRM API token, or fail loudly when it is not set.

        Raises:
            SettingsError: CRM_API_TOKEN is missing or empty.

        """
        if not self.crm_api_token:
            raise SettingsError(
                "CRM_API_TOKEN is not set. The CRM API and its client need a shared "
                "bearer token: set CRM_API_TOKEN in the environment (see .env.example; "
                "`make` writes a development token to var/dev.env)."
            )
        return self.crm_api_token

    def require_action_server_token(self) -> Secret:
        """Return ACTION_SERVER_TOKEN, or fail loudly when it is missing or short.

        Raises:
            SettingsError: The token is missing or shorter than 32 characters.

        """
        return strong_secret(
            self.action_server_token,
            "ACTION_SERVER_TOKEN",
            "Rasa presents it to the action server as a bearer token (endpoints.yml sends it)",
        )

    def __repr__(self) -> str:
        url = make_url(self.crm_database_url).render_as_string(hide_password=True)
        return (
            f"Settings(crm_database_url={url!r}, crm_api_url={self.crm_api_url!r}, "
            f"crm_api_token={self.crm_api_token!r}, "
            f"customer_token_secret={self.customer_token_secret!r}, "
            f"bot_host={self.bot_host!r}, bot_port={self.bot_port!r}, "
            f"bot_threads={self.bot_threads!r}, "
            f"crm_timeout_seconds={self.crm_timeout_seconds!r}, "
            f"website_demo_mode={self.website_demo_mode!r}, "
            f"website_rasa_url={self.website_rasa_url!r}, "
            f"action_server_token={self.action_server_token!r}, "
            f"action_server_host={self.action_server_host!r}, "
            f"action_server_port={self.action_server_port!r}, "
            f"identity_claim_secret={self.identity_claim_secret!r}, "
            f"retention_conversation_days={self.retention_conversation_days!r}, "
            f"retention_escalation_days={self.retention_escalation_days!r}, "
            f"retention_interval_hours={self.retention_interval_hours!r}, "
            f"analytics_interval_seconds={self.analytics_interval_seconds!r}, "
            f"analytics_amqp_url={self.analytics_amqp_url!r}, "
            f"metrics_token={self.metrics_token!r})"
        )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Return the settings of this process, read from the environment once."""
    return Settings.from_env()


def secret_or_none(value: str | None) -> Secret | None:
    """Wrap a secret from the environment (None when unset or empty)."""
    return Secret(value) if value else None


def number_setting(env: Mapping[str, str], key: str, default: float) -> float:
    """Read a number from the environment (``default`` when unset).

    Raises:
        SettingsError: The value is no number.

    """
    raw = env.get(key)
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{key} must be a number, got {raw!r}") from None
    if value <= 0:
        raise SettingsError(f"{key} must be positive, got {raw!r}")
    return value


def _flag(env: Mapping[str, str], key: str, default: bool) -> bool:
    raw = (env.get(key) or "").strip().lower()
    if not raw:
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise SettingsError(f"{key} must be true or false, got {raw!r}")


def _http_origin(env: Mapping[str, str], key: str, default: str) -> str:
    """Return an ``http(s)://host[:port]`` origin without path or trailing slash."""
    raw = (env.get(key) or "").strip()
    if not raw:
        return default
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.path not in ("", "/"):
        raise SettingsError(
            f"{key} must be an http(s) origin such as http://localhost:5005, got {raw!r}"
        )
    return f"{parts.scheme}://{parts.netloc}"


def _port(env: Mapping[str, str], key: str, default: int) -> int:
    raw = env.get(key)
    if not raw:
        return default
    if not raw.isdigit() or not 0 < int(raw) < 65536:
        raise SettingsError(f"{key} must be a port number (1-65535), got {raw!r}")
    return int(raw)


def database_url(url: str) -> str:
    """Resolve a relative SQLite path against the project root."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        path = Path(parsed.database)
        if not path.is_absolute():
            resolved: str = parsed.set(database=str(PROJECT_ROOT / path)).render_as_string(
                hide_password=False
            )
            return resolved
    return url
