"""action_add_to_escalation: what the customer adds after a handoff joins the open escalation."""

from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher

from actions.follow_up import ActionAddToEscalation
from actions.handoff import ActionRequestHuman
from tests.actions.conftest import as_dict, make_tracker, responses, user
from tests.actions.test_handoff import escalations, request_tracker  # noqa: F401


def follow_up(domain, text: str, intent: str, sender: str = "conv-h", at: float = 1.0, entities=()):
    event = user(text, intent, list(entities))
    event["timestamp"] = at
    return make_tracker(
        domain, [event], {"escalation_open": True, "escalation_ticket": "E-000001"}, sender=sender
    )


async def test_a_follow_up_joins_the_transcript_and_summary_once(domain, escalations) -> None:  # noqa: F811
    feature, client = escalations
    await ActionRequestHuman(client).run(CollectingDispatcher(), request_tracker(domain), domain)
    [escalation] = feature.service.list_escalations("open")
    dispatcher = CollectingDispatcher()
    message = follow_up(domain, "die Mahnung ist falsch, ich hab schon bezahlt", "invoice_question")
    events = await ActionAddToEscalation(client).run(dispatcher, message, domain)
    assert responses(dispatcher) == ["utter_follow_up_added"]
    assert dispatcher.messages[0]["ticket_number"] == f"E-{escalation.id:06d}"
    assert as_dict(events) == {"escalation_ticket": f"E-{escalation.id:06d}"}
    # the same message again (a retried action call): recorded once
    await ActionAddToEscalation(client).run(CollectingDispatcher(), message, domain)
    detail = feature.service.get_escalation(escalation.id)
    added = [m.text for m in detail.transcript if "Mahnung ist falsch" in m.text]
    assert added == ["die Mahnung ist falsch, ich hab schon bezahlt"]
    assert "Nachtrag des Kunden: die Mahnung ist falsch" in detail.summary
    assert len(feature.service.list_escalations("open")) == 1  # no second escalation


async def test_after_the_escalation_closed_the_bot_answers_again(domain, escalations) -> None:  # noqa: F811
    _feature, client = escalations
    dispatcher = CollectingDispatcher()
    events = await ActionAddToEscalation(client).run(
        dispatcher, follow_up(domain, "Und?", "nlu_fallback", sender="closed"), domain
    )
    assert responses(dispatcher) == ["utter_follow_up_closed"]
    assert as_dict(events) == {"escalation_open": False, "escalation_ticket": None}


async def test_a_question_about_the_wait_is_added_and_answered_with_the_queue(
    domain,
    escalations,  # noqa: F811
) -> None:
    feature, client = escalations
    feature.agents.create_agent("keller", "geheim-genug-1")
    feature.agents.authenticate("keller", "geheim-genug-1")  # an agent is online
    await ActionRequestHuman(client).run(CollectingDispatcher(), request_tracker(domain), domain)
    [escalation] = feature.service.list_escalations("open")
    dispatcher = CollectingDispatcher()
    message = follow_up(
        domain,
        "Wie lange dauert das denn noch?",
        "appointment_status",
        at=2.0,
        entities=[("wait_question", "ja")],  # as the NLU marks it
    )
    await ActionAddToEscalation(client).run(dispatcher, message, domain)
    assert responses(dispatcher) == ["utter_handoff_queue_again"]
    assert (dispatcher.messages[0]["queue_position"], dispatcher.messages[0]["wait_minutes"]) == (
        1,
        6,
    )
    detail = feature.service.get_escalation(escalation.id)
    assert "Nachtrag des Kunden: Wie lange dauert das denn noch?" in detail.summary
