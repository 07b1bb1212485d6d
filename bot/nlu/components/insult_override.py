"""Read an insult without a request as frustration.

The intent classifier files "Ihr seid doch alle unfähig" under whatever intent is closest,
often ``deny`` or ``out_of_scope``, and the customer then gets a canned
answer instead of a human. This component runs last, after the
FallbackClassifier: when our German detector
(:func:`bot.escalation.frustration.is_insult`) finds an insult and the message
carries no self-service request, the intent becomes ``express_frustration``,
which hands the conversation to a human. An insult beside a real request
("Saftladen, wo ist meine Bestellung?") keeps its request: serving it is the
quickest help; the handoff, if it comes, is marked as frustration anyway.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.escalation.frustration import is_insult
from bot.topics import CONVERSATIONAL_INTENTS

FRUSTRATION = "express_frustration"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class InsultOverride(GraphComponent):
    """Turn an insult without a self-service request into ``express_frustration``."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """Return the default config: the intents an insult may override."""
        return {"overridable_intents": sorted(CONVERSATIONAL_INTENTS)}

    def __init__(self, config: dict[str, Any]) -> None:
        self._overridable = frozenset(config["overridable_intents"])

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> InsultOverride:
        """Create the component (nothing to train or load)."""
        return cls(config)

    def process(self, messages: list[Message]) -> list[Message]:
        """Override the intent of insulting messages without a request."""
        for message in messages:
            self._override(message)
        return messages

    def _override(self, message: Message) -> None:
        intent = message.get(INTENT) or {}
        if intent.get("name") not in self._overridable:
            return
        if not is_insult(message.get(TEXT) or ""):
            return
        ranking = [
            entry
            for entry in message.get(INTENT_RANKING_KEY) or []
            if entry.get("name") != FRUSTRATION
        ]
        top = {"name": FRUSTRATION, "confidence": 1.0}
        message.set(INTENT, top, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [top, *ranking], add_to_output=True)
