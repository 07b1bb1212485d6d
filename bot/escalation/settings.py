"""Settings of the escalation feature, read once from the environment.

``.env.example`` documents each variable. Secrets are :class:`~bot.settings.Secret`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from bot.escalation.business_hours import (
    DEFAULT_SCHEDULE,
    DEFAULT_TIMEZONE,
    BusinessHours,
    ScheduleError,
)
from bot.settings import Secret, SettingsError

MINIMUM_SECRET_LENGTH = 32


@dataclass(frozen=True, repr=False)
class EscalationSettings:
    """What the escalation service, the agent API and the takeover need.

    Attributes:
        agent_token_secret: Signs agents' bearer tokens (AGENT_TOKEN_SECRET).
        agent_token_ttl_seconds: Lifetime of an agent token.
        rasa_url: Rasa server with ``--enable-api`` (RASA_URL).
        rasa_api_token: Its ``--auth-token`` (RASA_API_TOKEN).
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
    rasa_api_token: Secret | None = None
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
        secret = env.get("AGENT_TOKEN_SECRET")
        token = env.get("RASA_API_TOKEN")
        return cls(
            agent_token_secret=Secret(secret) if secret else None,
            agent_token_ttl_seconds=int(_number(env, "AGENT_TOKEN_TTL_SECONDS", 8 * 3600)),
            rasa_url=(env.get("RASA_URL") or cls.rasa_url).rstrip("/"),
            rasa_api_token=Secret(token) if token else None,
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
        secret = self.agent_token_secret
        if not secret or len(secret.reveal()) < MINIMUM_SECRET_LENGTH:
            raise SettingsError(
                "AGENT_TOKEN_SECRET must be set to 32 or more characters: it signs the "
                "agents' login tokens (`make` writes a development value to var/dev.env)."
            )
        return secret

    def __repr__(self) -> str:
        return (
            f"EscalationSettings(rasa_url={self.rasa_url!r}, "
            f"agent_token_secret={self.agent_token_secret!r}, "
            f"rasa_api_token={self.rasa_api_token!r}, "
            f"tracker_store_url={'set' if self.tracker_store_url else None!r})"
        )


@lru_cache(maxsize=1)
def get_escalation_settings() -> EscalationSettings:
    """Return the escalation settings of this process, read once."""
    return EscalationSettings.from_env()


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
