"""Custom actions that need nothing but the conversation, run in the Rasa process.

Every custom action is a call to the action server with the whole
conversation as JSON, and on a busy Rasa server every call of a turn waits
in its queue again. ``action_remember_request`` only notes which personal
request the verification interrupts: the latest intent, when it needs a
verified customer. It runs here, by the same rule as the action server's
``ActionRememberRequest`` (``bot.topics.needs_verification``), so every
request of a customer not yet verified makes one call fewer (the load
benchmark's first turn: 3 calls instead of 4; ``reports/load.md``).
``bot.rasa.patches`` routes these names past the action server.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.dialogue.slots import REQUESTED_INTENT
from bot.topics import needs_verification


def remember_request(tracker: Any) -> list[Any]:
    """Return ``SlotSet(requested_intent)`` for a latest intent that needs verification."""
    from rasa.shared.core.events import SlotSet
    from rasa.shared.nlu.constants import INTENT_NAME_KEY

    message = tracker.latest_message
    name = (message.intent or {}).get(INTENT_NAME_KEY) if message is not None else None
    intent = name if isinstance(name, str) else None
    return [SlotSet(REQUESTED_INTENT, intent)] if needs_verification(intent) else []


LOCAL_ACTIONS: dict[str, Callable[[Any], list[Any]]] = {
    "action_remember_request": remember_request,
}
"""Custom actions Rasa runs itself: name -> events for the tracker."""
