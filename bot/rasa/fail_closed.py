"""The two places where Rasa 3.6 hides a failed store, made to fail closed.

Rasa has no hook for either, so :func:`install` adapts them once per process
(the Rasa server imports it with its channels and its tracker store):

* ``FailSafeTrackerStore``, which Rasa wraps around every tracker store,
  answers a failed read with an empty conversation and keeps a failed write
  in memory. For a store that says ``fail_closed = True`` (ours,
  :mod:`bot.rasa.tracker_store`) the error is raised instead.
* ``Agent.handle_message``: an exception in a turn (tracker store, lock
  store, event broker, anything) reached the channel, which logged the
  customer's message whole and answered nothing (the REST channel ``[]``).
  Now the customer gets ``utter_technical_problem`` from the domain, and the
  log the failure without the message.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from typing import Any

logger = logging.getLogger(__name__)

TECHNICAL_PROBLEM = "utter_technical_problem"
"""The domain response a customer gets when a turn fails."""
FALLBACK_TEXT = (
    "Entschuldigung, bei uns ist gerade ein technisches Problem aufgetreten. "
    "Bitte versuchen Sie es in ein paar Minuten noch einmal."
)
"""Said only when the domain (the model) is not loaded; domain.yml has the wording."""

_installed: list[bool] = []


def install() -> None:
    """Make failed stores and failed turns visible in this process (idempotent)."""
    if _installed:
        return
    from rasa.core.agent import Agent
    from rasa.core.tracker_store import FailSafeTrackerStore

    def retrieve_error(self: FailSafeTrackerStore, error: Exception) -> None:
        if getattr(self._tracker_store, "fail_closed", False):
            raise error
        original_retrieve_error(self, error)

    def save_error(self: FailSafeTrackerStore, error: Exception) -> None:
        if getattr(self._tracker_store, "fail_closed", False):
            raise error
        original_save_error(self, error)

    original_retrieve_error = FailSafeTrackerStore.on_tracker_store_retrieve_error
    original_save_error = FailSafeTrackerStore.on_tracker_store_error
    FailSafeTrackerStore.on_tracker_store_retrieve_error = retrieve_error
    FailSafeTrackerStore.on_tracker_store_error = save_error
    Agent.handle_message = answering_failures(Agent.handle_message)
    _installed.append(True)


def answering_failures(
    handle_message: Callable[..., Awaitable[Any]],
) -> Callable[..., Awaitable[Any]]:
    """Wrap ``Agent.handle_message``: a failed turn is apologised for and logged."""

    @functools.wraps(handle_message)
    async def handle(agent: Any, message: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return await handle_message(agent, message, *args, **kwargs)
        except Exception as error:  # every failed turn gets an answer; the log the reason
            logger.error(
                "Turn failed, customer told about a technical problem: %s: %s",
                type(error).__name__,
                first_line(error),
            )
            await apologise(agent, message)
            return None

    return handle


async def apologise(agent: Any, message: Any) -> None:
    """Send ``utter_technical_problem`` (text and buttons) to the message's channel."""
    channel = getattr(message, "output_channel", None)
    if channel is None:
        return
    response: dict[str, Any] = {"text": FALLBACK_TEXT}
    domain = getattr(agent, "domain", None)
    variants = getattr(domain, "responses", {}).get(TECHNICAL_PROBLEM) if domain else None
    if variants:
        response = {k: v for k, v in variants[0].items() if k in ("text", "buttons")}
    try:
        await channel.send_response(message.sender_id, response)
    except Exception as error:  # the channel itself is broken: nothing more to say
        logger.error("Could not send the technical-problem answer: %s", type(error).__name__)


def first_line(error: BaseException) -> str:
    """Return the first line of an error's text, cut to 300 characters (no SQL, no parameters)."""
    lines = str(error).strip().splitlines()
    return lines[0][:300] if lines else ""
