"""Mark a question about the wait for a human with the entity ``wait_question``.

The classifier files "Wie lange dauert das denn noch?" under whatever intent
is closest (``appointment_status``, ``order_status``, ...). During a handoff
the question is about the queue: a rule conditioned on the slot
``escalation_open`` and this entity sends it to the open escalation
(``data/rules/handoff.yml``), whose action answers with the place in the
queue. Outside a handoff no rule asks for the entity and the message is
served by its intent as before. The recogniser is
:func:`bot.escalation.wait_question.is_wait_question`, which the action
uses too.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    EXTRACTOR,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from bot.escalation.wait_question import WAIT_QUESTION, is_wait_question


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class WaitQuestionMarker(GraphComponent):
    """Add the entity ``wait_question`` to a message that asks about the wait."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> WaitQuestionMarker:
        """Create the component (nothing to train or load)."""
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        """Mark the messages that ask how long the wait still takes."""
        for message in messages:
            text = message.get(TEXT) or ""
            entities = list(message.get(ENTITIES) or [])
            if not is_wait_question(text) or any(
                entity.get(ENTITY_ATTRIBUTE_TYPE) == WAIT_QUESTION for entity in entities
            ):
                continue
            entities.append(
                {
                    ENTITY_ATTRIBUTE_TYPE: WAIT_QUESTION,
                    ENTITY_ATTRIBUTE_VALUE: "ja",
                    ENTITY_ATTRIBUTE_START: 0,
                    ENTITY_ATTRIBUTE_END: len(text),
                    EXTRACTOR: type(self).__name__,
                }
            )
            message.set(ENTITIES, entities, add_to_output=True)
        return messages
