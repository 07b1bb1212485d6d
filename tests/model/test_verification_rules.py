"""The trained RulePolicy on personal requests: who takes the direct path, who keeps the form.

RulePolicy follows the longest matching rule (the length of its key, not its
number of conditions), so a new rule can silently outrank another feature's.
These tests pin the prediction after a personal request in every state that
has rules of its own (data/rules/verification.yml, "a verified customer's
request is served at once").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pytest

from bot.dialogue import slots
from bot.topics import PERSONAL_TOPICS

pytestmark = pytest.mark.model

VERIFIED = {slots.VERIFIED_CUSTOMER_NUMBER: "K-100001"}


def next_action(
    agent: Any,
    intent: str,
    values: Mapping[str, Any] = {},
    *,
    active_loop: str | None = None,
    earlier: Iterable[Any] = (),
    entities: Iterable[str] = (),
) -> str:
    """Return the action the model predicts right after a message with ``intent``.

    With ``active_loop``, the form has rejected the message (it was no answer),
    so the rules for that form's interruptions decide.
    """
    from rasa.shared.core.events import (
        ActionExecuted,
        ActionExecutionRejected,
        ActiveLoop,
        SlotSet,
        UserUttered,
    )
    from rasa.shared.core.trackers import DialogueStateTracker

    events: list[Any] = [ActionExecuted("action_listen")]
    events += [SlotSet(name, value) for name, value in values.items()]
    if active_loop:
        events.append(ActiveLoop(active_loop))
    events += [*earlier]
    found = [{"entity": name, "value": "x", "start": 0, "end": 1} for name in entities]
    events.append(UserUttered("…", intent={"name": intent, "confidence": 1.0}, entities=found))
    if active_loop:
        events.append(ActionExecutionRejected(active_loop))
    tracker = DialogueStateTracker.from_events("rules-test", events, agent.domain.slots)
    prediction = agent.processor.predict_next_with_tracker(tracker)
    best = max(prediction["scores"], key=lambda score: score["score"])
    assert prediction["policy"] == "RulePolicy"
    return str(best["action"])


@pytest.mark.parametrize("intent", sorted(PERSONAL_TOPICS))
def test_a_verified_customers_request_goes_straight_to_the_journey(agent, intent: str) -> None:
    assert next_action(agent, intent, VERIFIED) == "action_resume_request"


@pytest.mark.parametrize("intent", sorted(PERSONAL_TOPICS))
def test_an_unverified_customers_request_is_verified_first(agent, intent: str) -> None:
    assert next_action(agent, intent) == "action_remember_request"
    locked = {slots.VERIFICATION_FAILURES: 3.0}
    assert next_action(agent, intent, locked) == "action_remember_request"


def test_during_a_takeover_the_agent_gets_the_request(agent) -> None:
    taken = {**VERIFIED, slots.AGENT_TAKEOVER: True, slots.ESCALATION_OPEN: True}
    for intent in PERSONAL_TOPICS:
        assert next_action(agent, intent, taken) == "action_forward_to_agent"


def test_during_a_handoff_the_rules_of_the_handoff_decide_as_before(agent) -> None:
    waiting = {**VERIFIED, slots.ESCALATION_OPEN: True}
    assert next_action(agent, "complaint", waiting) == "action_add_to_escalation"
    asks_wait = next_action(agent, "order_status", waiting, entities=["wait_question"])
    assert asks_wait == "action_add_to_escalation"
    # a new request during a handoff takes the path it took before (through the form)
    assert next_action(agent, "order_status", waiting) == "action_remember_request"


def test_an_offered_appointment_is_still_taken_up(agent) -> None:
    from rasa.shared.core.events import ActionExecuted

    offered = {**VERIFIED, slots.APPOINTMENT_OFFER: "inspection"}
    after_answer = [ActionExecuted("action_resume_request"), ActionExecuted("action_listen")]
    took = next_action(agent, "book_appointment", offered, earlier=after_answer)
    assert took == "action_accept_appointment_offer"
    other = next_action(agent, "invoice_question", offered, earlier=after_answer)
    assert other == "action_remember_request"


@pytest.mark.parametrize(
    ("form", "intent", "expected"),
    [
        ("book_appointment_form", "order_status", "action_answer_digression"),
        ("book_appointment_form", "complaint", "action_remember_request"),
        ("case_form", "invoice_question", "action_answer_digression"),
        ("contact_change_form", "book_appointment", "action_answer_digression"),
        ("breakdown_form", "service_due", "action_answer_digression"),
        ("reschedule_appointment_form", "order_status", "action_remember_request"),
        ("verification_form", "order_status", "action_remember_request"),
    ],
)
def test_a_request_during_a_form_is_handled_as_before(
    agent, form: str, intent: str, expected: str
) -> None:
    assert next_action(agent, intent, VERIFIED, active_loop=form) == expected
