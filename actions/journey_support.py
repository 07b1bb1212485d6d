"""What the self-service journeys share: the customer's request, replies, handoff, stopping.

Helpers only (no actions here): reading the message a journey was asked
with, sending :class:`~bot.self_service.replies.Reply` items, starting a form
and handing over to a human under the handoff contract (slots
``handoff_reason`` / ``handoff_case_number``, then ``action_request_human``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import slots
from actions.services import Services
from bot.budget import ANSWER_BUDGET_SECONDS, within_budget
from bot.budget import turn_budget as budget_left
from bot.crm.enums import CaseKind, CasePriority
from bot.crm.schemas import CaseCreate, CaseCreated
from bot.dialogue.slots import HANDOFF_CASE_NUMBER, HANDOFF_REASON
from bot.self_service.replies import Reply

logger = logging.getLogger(__name__)

T = TypeVar("T")

REQUEST_HUMAN = "action_request_human"


@dataclass(frozen=True)
class Request:
    """The customer's message that asked for a journey.

    Attributes:
        text: What they wrote (or the button's payload).
        entities: The first value of each entity in it.

    """

    text: str = ""
    entities: dict[str, str] = field(default_factory=dict)

    def entity(self, name: str) -> str | None:
        """Return the entity's value, if the message had one."""
        return self.entities.get(name)


def request_message(tracker: Tracker, intent: str) -> Request:
    """Return the latest message classified as ``intent`` (the request, even after verification).

    Verification questions come between the request and the journey, so the
    latest message is not necessarily the request; this finds it.
    """
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        parse = event.get("parse_data") or {}
        if (parse.get("intent") or {}).get("name") != intent:
            continue
        entities: dict[str, str] = {}
        for entity in parse.get("entities") or []:
            name, value = entity.get("entity"), entity.get("value")
            if isinstance(name, str) and value is not None:
                entities.setdefault(name, str(value))
        return Request(text=str(event.get("text") or ""), entities=entities)
    return Request()


def send(dispatcher: CollectingDispatcher, replies: Iterable[Reply]) -> None:
    """Utter every reply (its response, values and extra buttons)."""
    for reply in replies:
        buttons = [button.as_dict() for button in reply.buttons]
        if buttons:
            dispatcher.utter_message(response=reply.response, buttons=buttons, **reply.values)
        else:
            dispatcher.utter_message(response=reply.response, **reply.values)


def hand_over(reason: str, case_number: str | None = None) -> list[EventType]:
    """Return the events that hand the conversation to a human (the handoff contract)."""
    return [
        SlotSet(HANDOFF_REASON, reason),
        SlotSet(HANDOFF_CASE_NUMBER, case_number),
        FollowupAction(REQUEST_HUMAN),
    ]


def start_form(form: str, form_slots: Iterable[str], **prefilled: Any) -> list[EventType]:
    """Return the events that start ``form`` afresh: its slots emptied, some prefilled.

    A form left earlier (for a human, a breakdown, a goodbye) keeps its
    values; they must not answer the questions of a new request.
    """
    values: dict[str, Any] = {name: None for name in form_slots}
    values.update(prefilled)
    return [*(SlotSet(name, value) for name, value in values.items()), FollowupAction(form)]


def verified_customer(tracker: Tracker) -> str | None:
    """Return the verified customer number, or None."""
    return slots.identity(tracker).customer_number


def turn_budget(tracker: Tracker) -> float:
    """Return how long a CRM call may still take in this turn (:func:`bot.budget.turn_budget`)."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            sent = event.get("timestamp")
            return budget_left(float(sent) if isinstance(sent, (int, float)) else None, time.time())
    return ANSWER_BUDGET_SECONDS


async def crm_call(call: Awaitable[T], budget: float = ANSWER_BUDGET_SECONDS) -> T:
    """Await a CRM call within ``budget`` seconds: the one way actions call the CRM.

    Raises:
        CRMError: The CRM failed or took longer (its subclasses).

    """
    return await within_budget(call, budget)


async def open_case(
    services: Services,
    tracker: Tracker,
    customer: str,
    *,
    kind: CaseKind,
    subject: str,
    description: str,
    priority: CasePriority = CasePriority.NORMAL,
) -> CaseCreated:
    """Open a case for the verified customer, from this conversation (raises CRMError)."""
    conversation = slots.conversation(tracker)
    case = CaseCreate(
        **conversation.origin(),
        kind=kind,
        subject=subject,
        description=description,
        priority=priority,
    )
    return await crm_call(services.crm.create_case(customer, case))
