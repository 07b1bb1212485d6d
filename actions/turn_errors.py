"""Every action answers: an exception in a turn becomes a polite reply and an error log.

Without this, an exception in an action makes the action server answer 500,
Rasa logs it and the customer gets nothing at all. :class:`TurnGuard` wraps
the ``run`` of every class that inherits it (directly or through
:class:`actions.services.UsesServices`): what the action said before the
failure stays, ``utter_technical_problem`` follows, and no event of the
failed run is applied. The log names the action, the exception type and
the code path - never the exception's message, which may quote the
customer.
"""

from __future__ import annotations

import functools
import logging
import traceback
from collections.abc import Awaitable, Callable
from typing import Any

from rasa_sdk.events import EventType

logger = logging.getLogger(__name__)

TECHNICAL_PROBLEM = "utter_technical_problem"
"""The response a customer gets when a turn fails."""

Run = Callable[..., Awaitable[list[EventType]]]


class TurnGuard:
    """Mixin: the subclass's ``run`` never raises; failures are answered and logged."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        run = getattr(cls, "run", None)
        if run is not None and not getattr(run, "_turn_guarded", False):
            cls.run = guarded(run)  # type: ignore[attr-defined]


def guarded(run: Run) -> Run:
    """Return ``run`` so that an exception is logged and answered with the apology."""

    @functools.wraps(run)
    async def run_guarded(self: Any, dispatcher: Any, tracker: Any, domain: Any) -> list[EventType]:
        try:
            return await run(self, dispatcher, tracker, domain)
        except Exception as error:  # every failure gets an answer; details go to the log
            name = self.name() if hasattr(self, "name") else type(self).__name__
            frames = "".join(traceback.format_tb(error.__traceback__))
            logger.error("Action %s failed with %s\n%s", name, type(error).__name__, frames)
            dispatcher.utter_message(response=TECHNICAL_PROBLEM)
            return []

    run_guarded._turn_guarded = True  # type: ignore[attr-defined]
    return run_guarded
