"""Let a ``/intent{...}`` message through only as the payload of a button the bot sent.

Rasa reads any message that starts with ``/`` as a command: ``/affirm`` or
``/inform{"customer_number": "K-100002"}`` skips the NLU and sets intent and
entities as written (``RegexMessageHandler``, the last node of every NLU
graph). Buttons need that: their payloads are such commands, and the socket.io
widget and Messenger quick replies send them back as the message text. A
customer typing one, on any channel, must not get that power.

This component runs first in the pipeline and gets the conversation so far.
When a message starts with ``/`` and is not exactly the payload of a button
in the bot's messages since the customer's last message, the leading slashes
are removed: the text is parsed like anything else the customer writes.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

COMMAND_PREFIX = "/"


def offered_payloads(tracker: DialogueStateTracker | None) -> set[str]:
    """Return the button payloads the bot sent since the customer's last message.

    Args:
        tracker: The conversation before the message being parsed.

    Returns:
        The payloads, stripped of surrounding whitespace.

    """
    payloads: set[str] = set()
    if tracker is None:
        return payloads
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            break
        if isinstance(event, BotUttered):
            data = event.data or {}
            for button in [*(data.get("buttons") or []), *(data.get("quick_replies") or [])]:
                payload = button.get("payload") if isinstance(button, dict) else None
                if isinstance(payload, str):
                    payloads.add(payload.strip())
    return payloads


def neutralize_command(text: str, offered: set[str]) -> str:
    """Return ``text`` if it is no command or an offered payload, else without its slashes.

    Args:
        text: The message text.
        offered: Payloads of the buttons the bot just sent.

    Returns:
        The text to parse.

    """
    stripped = text.strip()
    if not stripped.startswith(COMMAND_PREFIX) or stripped in offered:
        return text
    return stripped.lstrip(COMMAND_PREFIX).lstrip()


# Registered as a (non-trainable) classifier so that it runs at prediction time only.
@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class CommandGuard(GraphComponent):
    """Turn typed ``/intent`` commands into plain text; button payloads stay commands."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> CommandGuard:
        """Create the component (nothing to train or load)."""
        return cls()

    def process(
        self, messages: list[Message], tracker: DialogueStateTracker | None = None
    ) -> list[Message]:
        """Neutralize commands that are not the payload of a button the bot offered."""
        offered = offered_payloads(tracker)
        for message in messages:
            text = message.get(TEXT)
            if isinstance(text, str):
                message.set(TEXT, neutralize_command(text, offered))
        return messages
