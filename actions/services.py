"""The collaborators of the actions: CRM client, history log, token secret, clock.

Actions receive a :class:`Services` in their constructor (tests pass one
over a real in-process CRM); the action server builds its actions without
arguments, and they use :func:`default_services`, created on first use from
the settings - never at import. An action that reads the customer's profile
more than once in a turn (greeting, then journey) works on
:meth:`Services.for_turn`, which asks the CRM for it once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache

from actions.turn_errors import TurnGuard
from bot.budget import ANSWER_BUDGET_SECONDS, within_budget
from bot.clock import Clock, network_now, network_today, system_clock
from bot.conversation_log import ConversationLog
from bot.crm.client import CRMClient
from bot.crm.errors import CRMError, CRMUnavailable
from bot.crm.http_client import crm_client_from_settings
from bot.crm.schemas import CustomerProfile
from bot.settings import Secret, SettingsError, get_settings

logger = logging.getLogger(__name__)


@dataclass
class Services:
    """What the actions need from outside the dialogue.

    Attributes:
        crm_factory: Creates the CRM client on first use.
        token_secret: CUSTOMER_TOKEN_SECRET (None: tokens are never trusted).
        clock: The current time (tests inject a fixed one); :meth:`today` and
            :meth:`now` read it, nothing in the actions reads the wall clock.

    """

    crm_factory: Callable[[], CRMClient]
    token_secret: Secret | None = None
    clock: Clock = system_clock
    _crm: CRMClient | None = field(default=None, init=False, repr=False)
    _log: ConversationLog | None = field(default=None, init=False, repr=False)
    _base: Services | None = field(default=None, init=False, repr=False)
    _profiles: dict[str, CustomerProfile | CRMError] = field(
        default_factory=dict, init=False, repr=False
    )

    def for_turn(self) -> Services:
        """Return these collaborators for one action run: :meth:`profile` asks the CRM once.

        The CRM client and the history writer stay shared; only the profile
        (or the CRM's failure to give it) is remembered, and only by the copy.
        """
        turn = Services(self.crm_factory, self.token_secret, self.clock)
        turn._base = self
        return turn

    def today(self) -> date:
        """Return today's date in the customers' time zone."""
        return network_today(self.clock)

    def now(self) -> datetime:
        """Return the customers' (and workshops') wall-clock time, naive like the CRM's times."""
        return network_now(self.clock)

    async def profile(
        self, customer_number: str, budget: float = ANSWER_BUDGET_SECONDS
    ) -> CustomerProfile:
        """Return the customer's profile from the CRM, within ``budget`` seconds.

        On a :meth:`for_turn` copy the answer is remembered: a second reader
        in the same turn gets it without a call, and a CRM that failed or
        hung once is not waited for again.

        Raises:
            CRMError: The CRM failed, was too slow or is not configured.

        """
        remembered = self._profiles.get(customer_number)
        if isinstance(remembered, CRMError):
            raise remembered
        if remembered is not None:
            return remembered
        try:
            found = await within_budget(self.crm.get_profile(customer_number), budget)
        except CRMError as error:
            if self._base is not None:
                self._profiles[customer_number] = error
            raise
        if self._base is not None:
            self._profiles[customer_number] = found
        return found

    @property
    def crm(self) -> CRMClient:
        """The CRM client.

        Raises:
            CRMUnavailable: The CRM client is not configured (CRM_API_TOKEN).

        """
        if self._base is not None:
            return self._base.crm
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
        if self._base is not None:
            return self._base.conversation_log
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


class UsesServices(TurnGuard):
    """Mixin for actions that take their :class:`Services` in the constructor.

    Every such action is guarded (:class:`actions.turn_errors.TurnGuard`): an
    exception in it is answered politely and logged.

    Args:
        services: The collaborators; the action server's defaults when None.

    """

    def __init__(self, services: Services | None = None) -> None:
        self._services = services

    @property
    def services(self) -> Services:
        """The collaborators of this action."""
        return self._services or default_services()
