"""The collaborators of the actions: CRM client, history log, token secret, clock.

Actions receive a :class:`Services` in their constructor (tests pass one
over a real in-process CRM); the action server builds its actions without
arguments, and they use :func:`default_services`, created on first use from
the settings - never at import.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from bot.conversation_log import ConversationLog
from bot.crm.client import CRMClient
from bot.crm.errors import CRMUnavailable
from bot.crm.http_client import crm_client_from_settings
from bot.settings import Secret, SettingsError, get_settings

logger = logging.getLogger(__name__)

LOCAL_TIMEZONE = ZoneInfo("Europe/Berlin")
"""Customers' calendar (DE, AT and CH share it)."""


def local_today() -> date:
    """Return today's date in the customers' time zone."""
    return datetime.now(LOCAL_TIMEZONE).date()


@dataclass
class Services:
    """What the actions need from outside the dialogue.

    Attributes:
        crm_factory: Creates the CRM client on first use.
        token_secret: CUSTOMER_TOKEN_SECRET (None: tokens are never trusted).
        today: Today's date in the customers' time zone.

    """

    crm_factory: Callable[[], CRMClient]
    token_secret: Secret | None = None
    today: Callable[[], date] = local_today
    _crm: CRMClient | None = field(default=None, init=False, repr=False)
    _log: ConversationLog | None = field(default=None, init=False, repr=False)

    @property
    def crm(self) -> CRMClient:
        """The CRM client.

        Raises:
            CRMUnavailable: The CRM client is not configured (CRM_API_TOKEN).

        """
        if self._crm is None:
            try:
                self._crm = self.crm_factory()
            except SettingsError as error:
                logger.error("CRM client not configured: %s", error)
                raise CRMUnavailable("CRM client not configured") from error
        return self._crm

    @property
    def conversation_log(self) -> ConversationLog:
        """The interaction history writer (over :attr:`crm`)."""
        if self._log is None:
            self._log = ConversationLog(self.crm)
        return self._log


@lru_cache(maxsize=1)
def default_services() -> Services:
    """Return the services of the action server, built from the settings once."""
    settings = get_settings()
    return Services(
        crm_factory=lambda: crm_client_from_settings(settings),
        token_secret=settings.customer_token_secret,
    )


class UsesServices:
    """Mixin for actions that take their :class:`Services` in the constructor.

    Args:
        services: The collaborators; the action server's defaults when None.

    """

    def __init__(self, services: Services | None = None) -> None:
        self._services = services

    @property
    def services(self) -> Services:
        """The collaborators of this action."""
        return self._services or default_services()
