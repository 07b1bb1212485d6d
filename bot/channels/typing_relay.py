"""Relays the website customer's typing to the bot service, for the agent desk's hint.

The widget sends ``user_typing`` at most every 3 s; the relay forwards at
most one signal per conversation in :data:`MIN_INTERVAL` seconds, in the
background, and never lets a failure reach the customer: the hint is a
nicety, the message itself travels as before.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable

from bot.escalation.client import EscalationClient
from bot.escalation.settings import get_escalation_settings
from bot.settings import SettingsError, get_settings

logger = logging.getLogger(__name__)

MIN_INTERVAL = 2.5
MAX_TRACKED = 10_000


class TypingRelay:
    """Forwards typing signals, throttled per conversation.

    Args:
        client: The bot service's internal API (default: from the settings, on first use).
        clock: Monotonic seconds (tests).

    """

    def __init__(
        self,
        client: Callable[[], EscalationClient] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client_factory = client
        self._client: EscalationClient | None = None
        self._clock = clock
        self._last: dict[str, float] = {}
        self._tasks: set[asyncio.Task[bool]] = set()

    def typing(self, conversation_id: str) -> None:
        """Note that the customer of ``conversation_id`` is typing (forwarded if due)."""
        now = self._clock()
        if now - self._last.get(conversation_id, -MIN_INTERVAL) < MIN_INTERVAL:
            return
        if len(self._last) >= MAX_TRACKED:
            self._last.clear()
        self._last[conversation_id] = now
        client = self._get_client()
        if client is None:
            return
        task = asyncio.create_task(client.signal_typing(conversation_id))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def drain(self) -> None:
        """Wait for the signals on their way (tests, shutdown)."""
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    def _get_client(self) -> EscalationClient | None:
        if self._client is None:
            try:
                factory = self._client_factory or (
                    lambda: EscalationClient.from_settings(
                        get_escalation_settings(), get_settings().crm_api_token
                    )
                )
                self._client = factory()
            except SettingsError as error:
                logger.info("Typing signals are not forwarded: %s", error)
                return None
        return self._client
