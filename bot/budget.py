"""The time an answer may wait for the CRM.

A customer gets an answer within 3 seconds, whatever the CRM does. The CRM
client bounds each call (2.4 s with its retry); every CRM look-up a bot turn
waits for is additionally bounded by :data:`ANSWER_BUDGET_SECONDS`, which
leaves room for Rasa's own work and the network.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import TypeVar

from bot.crm.errors import CRMUnavailable

T = TypeVar("T")

ANSWER_BUDGET_SECONDS = 2.0
"""Longest wait for the CRM within one bot turn."""
TURN_SECONDS = 2.6
"""What one bot turn may spend waiting for the CRM in total (answers within 3 s)."""
MIN_WAIT_SECONDS = 0.3
"""The shortest wait a CRM call still gets late in a turn."""


def turn_budget(message_sent_at: float | None, now: float) -> float:
    """Return how long a CRM call may still take in a turn that began at ``message_sent_at``.

    The verification form or the profile read may have waited already in
    this turn: a further full wait would make the answer late.

    Args:
        message_sent_at: When the customer's message arrived (epoch seconds; None: unknown).
        now: The current time (epoch seconds).

    """
    if message_sent_at is None:
        return ANSWER_BUDGET_SECONDS
    left = TURN_SECONDS - (now - message_sent_at)
    return max(MIN_WAIT_SECONDS, min(ANSWER_BUDGET_SECONDS, left))


async def within_budget(call: Awaitable[T], seconds: float = ANSWER_BUDGET_SECONDS) -> T:
    """Await ``call``, but no longer than ``seconds``.

    Raises:
        CRMUnavailable: The call took longer (it is cancelled).

    """
    try:
        return await asyncio.wait_for(call, timeout=seconds)
    except asyncio.TimeoutError as error:
        raise CRMUnavailable(f"CRM gave no answer within {seconds:.1f} s") from error
