"""Settings of the escalation: agent desk, takeover, intake, tracker-store sweep.

Read once from the environment like :mod:`bot.settings` (whose :class:`Secret`
and parsing helpers it uses); the rest of the bot needs none of it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from bot.escalation.attachment_files import AttachmentLimits
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
from bot.escalation.remote_files import DEFAULT_HOSTS as MESSENGER_FILE_HOSTS
from bot.settings import (
    Secret,
    SettingsError,
    database_url,
    number_setting,
    secret_or_none,
    strong_secret,
)


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
        api_url: The bot service's escalation intake, for the action server
            (ESCALATION_API_URL; by default CRM_API_URL: one bot service serves both).
        api_token: The intake's service token (ESCALATION_API_TOKEN; None:
            the bot service's CRM_API_TOKEN, so ``make run`` needs no new setup).
        database_url: Where the escalation tables live (ESCALATION_DATABASE_URL;
            None: in the CRM's database). Their migrations are the
            escalation's own (:mod:`bot.escalation.db`).
        chat_session_secret: CHAT_SESSION_SECRET, the website channel's key: a
            widget proves its conversation with the signed session when it
            uploads a file (None: uploads are refused with 503).
        attachment_limits: Types and size of files customers may send
            (CHAT_ATTACHMENT_TYPES, CHAT_ATTACHMENT_MAX_BYTES).
        attachment_origins: Websites (origins) whose pages may upload files
            from the widget across origins (CHAT_ATTACHMENT_ORIGINS, comma-separated).
        messenger_file_hosts: Where the bot service may fetch customers'
            Messenger files from (MESSENGER_ATTACHMENT_HOSTS, comma-separated;
            ``none``: keep only Facebook's address).

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
    api_url: str = "http://127.0.0.1:8000"
    api_token: Secret | None = None
    database_url: str | None = None
    chat_session_secret: Secret | None = None
    attachment_limits: AttachmentLimits = field(default_factory=AttachmentLimits)
    attachment_origins: tuple[str, ...] = ()
    messenger_file_hosts: tuple[str, ...] = MESSENGER_FILE_HOSTS

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
        database = env.get("ESCALATION_DATABASE_URL")
        return cls(
            agent_token_secret=Secret(secret) if secret else None,
            agent_token_ttl_seconds=int(number_setting(env, "AGENT_TOKEN_TTL_SECONDS", 8 * 3600)),
            rasa_url=(env.get("RASA_URL") or cls.rasa_url).rstrip("/"),
            rasa_jwt_secret=Secret(token) if token else None,
            rasa_timeout_seconds=number_setting(
                env, "RASA_TIMEOUT_SECONDS", cls.rasa_timeout_seconds
            ),
            business_hours=hours,
            ticket_response_hours=number_setting(
                env, "ESCALATION_TICKET_RESPONSE_HOURS", cls.ticket_response_hours
            ),
            minutes_per_escalation=number_setting(
                env, "ESCALATION_MINUTES_PER_CASE", cls.minutes_per_escalation
            ),
            agent_online_minutes=number_setting(
                env, "ESCALATION_AGENT_ONLINE_MINUTES", cls.agent_online_minutes
            ),
            tracker_store_url=env.get("RASA_TRACKER_STORE_URL") or None,
            sweep_seconds=number_setting(env, "ESCALATION_SWEEP_SECONDS", cls.sweep_seconds),
            api_url=(env.get("ESCALATION_API_URL") or env.get("CRM_API_URL") or cls.api_url).rstrip(
                "/"
            ),
            api_token=secret_or_none(env.get("ESCALATION_API_TOKEN")),
            database_url=database_url(database) if database else None,
            chat_session_secret=secret_or_none(env.get("CHAT_SESSION_SECRET")),
            attachment_limits=AttachmentLimits.from_env(env),
            attachment_origins=tuple(
                origin.strip().rstrip("/")
                for origin in (env.get("CHAT_ATTACHMENT_ORIGINS") or "").split(",")
                if origin.strip()
            ),
            messenger_file_hosts=_hosts(env.get("MESSENGER_ATTACHMENT_HOSTS")),
        )

    def require_agent_token_secret(self) -> Secret:
        """Return AGENT_TOKEN_SECRET, or fail loudly when it is missing or short.

        Raises:
            SettingsError: The secret is missing or shorter than 32 characters.

        """
        return strong_secret(
            self.agent_token_secret, "AGENT_TOKEN_SECRET", "it signs the agents' login tokens"
        )

    def intake_token(self, crm_api_token: Secret | None) -> Secret:
        """Return the intake's service token: ESCALATION_API_TOKEN, else CRM_API_TOKEN.

        Raises:
            SettingsError: Neither is set.

        """
        token = self.api_token or crm_api_token
        if not token:
            raise SettingsError(
                "ESCALATION_API_TOKEN is not set (nor CRM_API_TOKEN, its default): the "
                "escalation intake and its client need a shared bearer token "
                "(`make` writes a development token to var/dev.env)."
            )
        return token

    def __repr__(self) -> str:
        return (
            f"EscalationSettings(rasa_url={self.rasa_url!r}, api_url={self.api_url!r}, "
            f"api_token={self.api_token!r}, "
            f"agent_token_secret={self.agent_token_secret!r}, "
            f"rasa_jwt_secret={self.rasa_jwt_secret!r}, "
            f"chat_session_secret={self.chat_session_secret!r}, "
            f"tracker_store_url={'set' if self.tracker_store_url else None!r})"
        )


def _hosts(raw: str | None) -> tuple[str, ...]:
    if raw is None or not raw.strip():
        return MESSENGER_FILE_HOSTS
    if raw.strip().lower() == "none":
        return ()
    return tuple(host.strip().lower() for host in raw.split(",") if host.strip())


@lru_cache(maxsize=1)
def get_escalation_settings() -> EscalationSettings:
    """Return the escalation settings of this process (read from the environment once)."""
    return EscalationSettings.from_env()
