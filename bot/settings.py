"""Settings of the bot service, read once from the environment.

Every module that needs configuration receives a :class:`Settings` object (or
calls :func:`get_settings`), or the part of it it needs (``settings.escalation``);
nothing else reads ``os.environ``. Secrets are
wrapped in :class:`Secret` so that they never show up in logs or tracebacks.
``.env.example`` in the project root documents every variable.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy.engine import make_url

from bot.escalation.business_hours import (
    DEFAULT_SCHEDULE,
    DEFAULT_TIMEZONE,
    BusinessHours,
    ScheduleError,
)
from bot.escalation.holiday_calendar import (
    DEFAULT_HOME_REGION,
    DEFAULT_WORKSHOP_REGIONS,
    HolidayCalendar,
    HolidayError,
)

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
class EscalationSettings:
    """What the escalation service, the agent API and the takeover need.

    Attributes:
        agent_token_secret: Signs agents' bearer tokens (AGENT_TOKEN_SECRET).
        agent_token_ttl_seconds: Lifetime of an agent token.
        rasa_url: Rasa server with ``--enable-api`` (RASA_URL).
        rasa_jwt_secret: Its ``--jwt-secret`` (RASA_JWT_SECRET): signs the
            short-lived bearer tokens the service presents to Rasa's HTTP API.
        rasa_timeout_seconds: Time limit of one call to the Rasa API.
        business_hours: When agents work.
        ticket_response_hours: Promised answer time of a ticket after opening.
        minutes_per_escalation: Average handling time, for wait estimates.
        agent_online_minutes: An agent seen this recently counts as online.
        tracker_store_url: SQLAlchemy URL of Rasa's SQL tracker store; when
            set, the service records handoff requests the action server missed.
        sweep_seconds: How often the tracker store is read.

    """

    agent_token_secret: Secret | None = None
    agent_token_ttl_seconds: int = 8 * 3600
    rasa_url: str = "http://127.0.0.1:5005"
    rasa_jwt_secret: Secret | None = None
    rasa_timeout_seconds: float = 5.0
    business_hours: BusinessHours = field(
        default_factory=lambda: BusinessHours.parse(DEFAULT_SCHEDULE)
    )
    ticket_response_hours: float = 4.0
    minutes_per_escalation: float = 6.0
    agent_online_minutes: float = 15.0
    tracker_store_url: str | None = None
    sweep_seconds: float = 2.0

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> EscalationSettings:
        """Build the settings from environment variables.

        Raises:
            SettingsError: A variable holds a malformed value.

        """
        env = os.environ if environ is None else environ
        try:
            hours = BusinessHours.parse(
                env.get("ESCALATION_BUSINESS_HOURS", DEFAULT_SCHEDULE),
                env.get("ESCALATION_TIMEZONE") or DEFAULT_TIMEZONE,
            )
        except ScheduleError as error:
            raise SettingsError(f"ESCALATION_BUSINESS_HOURS: {error}") from None
        try:
            hours = hours.with_holidays(
                HolidayCalendar.parse(
                    env.get("ESCALATION_HOLIDAY_REGION", DEFAULT_HOME_REGION),
                    env.get("ESCALATION_WORKSHOP_REGIONS", DEFAULT_WORKSHOP_REGIONS),
                )
            )
        except HolidayError as error:
            raise SettingsError(f"ESCALATION_HOLIDAY_REGION/WORKSHOP_REGIONS: {error}") from None
        secret = env.get("AGENT_TOKEN_SECRET")
        token = env.get("RASA_JWT_SECRET")
        return cls(
            agent_token_secret=Secret(secret) if secret else None,
            agent_token_ttl_seconds=int(_number(env, "AGENT_TOKEN_TTL_SECONDS", 8 * 3600)),
            rasa_url=(env.get("RASA_URL") or cls.rasa_url).rstrip("/"),
            rasa_jwt_secret=Secret(token) if token else None,
            rasa_timeout_seconds=_number(env, "RASA_TIMEOUT_SECONDS", cls.rasa_timeout_seconds),
            business_hours=hours,
            ticket_response_hours=_number(
                env, "ESCALATION_TICKET_RESPONSE_HOURS", cls.ticket_response_hours
            ),
            minutes_per_escalation=_number(
                env, "ESCALATION_MINUTES_PER_CASE", cls.minutes_per_escalation
            ),
            agent_online_minutes=_number(
                env, "ESCALATION_AGENT_ONLINE_MINUTES", cls.agent_online_minutes
            ),
            tracker_store_url=env.get("RASA_TRACKER_STORE_URL") or None,
            sweep_seconds=_number(env, "ESCALATION_SWEEP_SECONDS", cls.sweep_seconds),
        )

    def require_agent_token_secret(self) -> Secret:
        """Return AGENT_TOKEN_SECRET, or fail loudly when it is missing or short.

        Raises:
            SettingsError: The secret is missing or shorter than 32 characters.

        """
        return strong_secret(
            self.agent_token_secret, "AGENT_TOKEN_SECRET", "it signs the agents' login tokens"
        )

    def __repr__(self) -> str:
        return (
            f"EscalationSettings(rasa_url={self.rasa_url!r}, "
            f"agent_token_secret={self.agent_token_secret!r}, "
            f"rasa_jwt_secret={self.rasa_jwt_secret!r}, "
            f"tracker_store_url={'set' if self.tracker_store_url else None!r})"
        )


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
        crm_timeout_seconds: Time limit of one CRM request attempt.
        website_demo_mode: Serve the demo website with its fake customer login.
        website_rasa_url: Origin of the Rasa server the website chat connects to.
        escalation: Escalation, agent desk and takeover settings.
        action_server_token: Shared secret Rasa must present to the action
            server (ACTION_SERVER_TOKEN, ``Authorization: Bearer ...``).
        action_server_host: Interface the action server listens on.
        action_server_port: Port the action server listens on.
        identity_claim_secret: Signs verified identities in the action server
            (IDENTITY_CLAIM_SECRET, see ``bot.identity_claims``).

    """

    crm_database_url: str = f"sqlite:///{PROJECT_ROOT / 'var' / 'crm.db'}"
    crm_api_url: str = "http://127.0.0.1:8000"
    crm_api_token: Secret | None = None
    customer_token_secret: Secret | None = None
    bot_host: str = "127.0.0.1"
    bot_port: int = 8000
    crm_timeout_seconds: float = 1.2
    website_demo_mode: bool = False
    website_rasa_url: str = "http://localhost:5005"
    escalation: EscalationSettings = field(default_factory=EscalationSettings)
    action_server_token: Secret | None = None
    action_server_host: str = "127.0.0.1"
    action_server_port: int = 5055
    identity_claim_secret: Secret | None = None

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
            crm_database_url=_database_url(env.get("CRM_DATABASE_URL") or DEFAULT_DATABASE_URL),
            crm_api_url=(env.get("CRM_API_URL") or cls.crm_api_url).rstrip("/"),
            crm_api_token=_secret(env.get("CRM_API_TOKEN")),
            customer_token_secret=_secret(env.get("CUSTOMER_TOKEN_SECRET")),
            bot_host=env.get("BOT_HOST") or cls.bot_host,
            bot_port=_port(env, "BOT_PORT", cls.bot_port),
            crm_timeout_seconds=_number(env, "CRM_TIMEOUT_SECONDS", cls.crm_timeout_seconds),
            website_demo_mode=_flag(env, "WEBSITE_DEMO_MODE", cls.website_demo_mode),
            website_rasa_url=_http_origin(env, "WEBSITE_RASA_URL", cls.website_rasa_url),
            escalation=EscalationSettings.from_env(env),
            action_server_token=_secret(env.get("ACTION_SERVER_TOKEN")),
            action_server_host=env.get("ACTION_SERVER_HOST") or cls.action_server_host,
            action_server_port=_port(env, "ACTION_SERVER_PORT", cls.action_server_port),
            identity_claim_secret=_secret(env.get("IDENTITY_CLAIM_SECRET")),
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
            f"crm_timeout_seconds={self.crm_timeout_seconds!r}, "
            f"website_demo_mode={self.website_demo_mode!r}, "
            f"website_rasa_url={self.website_rasa_url!r}, "
            f"escalation={self.escalation!r}, "
            f"action_server_token={self.action_server_token!r}, "
            f"action_server_host={self.action_server_host!r}, "
            f"action_server_port={self.action_server_port!r}, "
            f"identity_claim_secret={self.identity_claim_secret!r})"
        )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Return the settings of this process, read from the environment once."""
    return Settings.from_env()


def _secret(value: str | None) -> Secret | None:
    return Secret(value) if value else None


def _number(env: Mapping[str, str], key: str, default: float) -> float:
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


def _database_url(url: str) -> str:
    """Resolve a relative SQLite path against the project root."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        path = Path(parsed.database)
        if not path.is_absolute():
            return parsed.set(database=str(PROJECT_ROOT / path)).render_as_string(
                hide_password=False
            )
    return url
