"""Request and response bodies of the training API (``/api/training/...``)."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

from pydantic import Field

from bot.crm.schemas.base import Command, Schema


class Reason(str, Enum):
    """Why a message landed in the inbox."""

    NLU_FALLBACK = "nlu_fallback"
    LOW_CONFIDENCE = "low_confidence"
    REPHRASE = "rephrase"
    HUMAN = "human"
    FRUSTRATION = "frustration"
    FLAGGED = "flagged"


class Status(str, Enum):
    """Where an item is in the trainers' work."""

    OPEN = "open"
    LABELLED = "labelled"
    IGNORED = "ignored"


class PredictionOut(Schema):
    """One of the model's top intents for the message."""

    intent: str
    confidence: float


class EntitySpan(Command):
    """An entity marked in the item's text (character offsets, end exclusive)."""

    start: int = Field(ge=0, le=2000)
    end: int = Field(ge=1, le=2000)
    entity: str = Field(min_length=1, max_length=60, regex=r"^[a-z_]+$")
    value: str | None = Field(default=None, max_length=200)


class Label(Command):
    """What a trainer decided: the intent and the entities."""

    intent: str = Field(min_length=1, max_length=60, regex=r"^[a-z_]+$")
    entities: list[EntitySpan] = Field(default_factory=list, max_items=20)


class InboxItemOut(Schema):
    """An inbox item as the API shows it."""

    id: int
    text: str
    reason: Reason
    predictions: list[PredictionOut]
    count: int
    first_seen: datetime
    last_seen: datetime
    conversation_id: str | None
    channel: str | None
    status: Status
    label: Label | None


class ContextTurn(Schema):
    """One masked turn of the conversation around an item's message."""

    speaker: str
    text: str
    current: bool = False


class ConversationOut(Schema):
    """The conversation around an item's (latest) message, masked."""

    conversation_id: str
    turns: list[ContextTurn]


class IntentStats(Schema):
    """Per intent: predicted, fell back (in conversations), and test-set accuracy."""

    intent: str
    predicted: int
    fell_back: int
    open_items: int
    test_accuracy: float | None
    test_examples: int


class FlagRequest(Command):
    """An agent flags a customer message of an escalation's transcript."""

    escalation_id: int = Field(ge=1, le=2**31 - 1)
    text: str = Field(min_length=1, max_length=2000)
