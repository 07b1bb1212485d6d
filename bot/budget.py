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


async def within_budget(call: Awaitable[T], seconds: float = ANSWER_BUDGET_SECONDS) -> T:
    """Await ``call``, but no longer than ``seconds``.

    Raises:
        CRMUnavailable: The call took longer (it is cancelled).

    """
    try:
        return await asyncio.wait_for(call, timeout=seconds)
    except asyncio.TimeoutError as error:
        raise CRMUnavailable(f"CRM gave no answer within {seconds:.1f} s") from error
