"""action_request_human and action_forward_to_agent against the real escalation API (in process)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest_asyncio
from fastapi import FastAPI
from rasa_sdk.executor import CollectingDispatcher

from actions.handoff import ActionRequestHuman, handoff_reason
from actions.takeover import ActionForwardToAgent
from bot.escalation.client import EscalationClient
from bot.escalation.wiring import EscalationFeature
from bot.settings import Secret
from tests.actions.conftest import action, as_dict, make_tracker, responses, user
from tests.bot.escalation.conftest import SERVICE_TOKEN, Clock, settings


@pytest_asyncio.fixture(loop_scope="function")
async def escalations(
    crm_service_local,
) -> AsyncIterator[tuple[EscalationFeature, EscalationClient]]:
    """The escalation feature (open, nobody online) and the action server's client of it."""
    feature = EscalationFeature.create(settings(), crm_service_local, SERVICE_TOKEN, Clock())
    app = FastAPI()
    feature.install(app)
    client = EscalationClient("http://bot", SERVICE_TOKEN, transport=httpx.ASGITransport(app=app))
    yield feature, client
    await client.aclose()


def request_tracker(domain, *extra, slots=None, sender="conv-h"):
    events = [
        action("action_listen"),
        user("Wo ist meine Bestellung?", "order_status"),
        action("action_listen"),
        *extra,
        user("Ich will mit einem Menschen sprechen", "request_human"),
        action("utter_handoff_requested"),
    ]
    return make_tracker(domain, events, slots, sender=sender)


async def test_a_request_creates_the_escalation_and_tells_what_happens_next(
    domain, escalations
) -> None:
    feature, client = escalations
    feature.agents.create_agent("keller", "geheim-genug-1")
    feature.agents.authenticate("keller", "geheim-genug-1")  # an agent is online
    dispatcher = CollectingDispatcher()
    tracker = request_tracker(domain, slots={"verified_customer_number": "K-100001"})
    events = await ActionRequestHuman(client).run(dispatcher, tracker, domain)
    ticket = as_dict(events)["escalation_ticket"]
    assert as_dict(events) == {
        "escalation_open": True,
        "escalation_ticket": ticket,
        "handoff_reason": None,
        "handoff_case_number": None,
    }
    assert ticket.startswith("E-")
    assert events[-1] == {"event": "followup", "timestamp": None, "name": "action_listen"}
    assert dispatcher.messages[0]["response"] == "utter_handoff_queue"
    assert (dispatcher.messages[0]["queue_position"], dispatcher.messages[0]["wait_minutes"]) == (
        1,
        6,
    )
    [escalation] = feature.service.list_escalations("open")
    assert (escalation.conversation_id, escalation.reason, escalation.customer.verified) == (
        "conv-h",
        "customer_request",
        True,
    )
    # asking again: the same escalation, the customer hears their place again
    again = CollectingDispatcher()
    await ActionRequestHuman(client).run(again, tracker, domain)
    assert responses(again) == ["utter_handoff_queue_again"]
    assert len(feature.service.list_escalations("open")) == 1


async def test_without_agents_online_the_customer_gets_a_ticket(domain, escalations) -> None:
    _feature, client = escalations
    dispatcher = CollectingDispatcher()
    await ActionRequestHuman(client).run(dispatcher, request_tracker(domain), domain)
    [message] = dispatcher.messages
    assert message["response"] == "utter_handoff_ticket"
    assert message["ticket_number"].startswith("E-")
    assert message["callback_due"] == "Montag, 23.11.2026, 14:00 Uhr"


def test_a_ticket_without_a_callback_time_promises_the_next_possible_time() -> None:
    from actions.handoff import tell_what_happens_next
    from bot.escalation.schemas import IntakeReceipt

    dispatcher = CollectingDispatcher()
    receipt = IntakeReceipt(
        escalation_id=1,
        created=True,
        mode="ticket",
        queue_position=None,
        wait_minutes=None,
        callback_due_at=None,
        ticket_number="E-000001",
    )
    tell_what_happens_next(dispatcher, receipt)
    assert dispatcher.messages[0]["response"] == "utter_handoff_ticket_soon"
    assert dispatcher.messages[0]["ticket_number"] == "E-000001"


async def test_a_journey_reason_and_case_number_are_used_then_cleared(domain, escalations) -> None:
    feature, client = escalations
    tracker = request_tracker(
        domain, slots={"handoff_reason": "breakdown_urgent", "handoff_case_number": "C-2000007"}
    )
    events = await ActionRequestHuman(client).run(CollectingDispatcher(), tracker, domain)
    [escalation] = feature.service.list_escalations("open")
    assert as_dict(events) == {
        "escalation_open": True,
        "escalation_ticket": f"E-{escalation.id:06d}",
        "handoff_reason": None,
        "handoff_case_number": None,
    }
    assert (escalation.reason, escalation.priority, escalation.case_number) == (
        "breakdown_urgent",
        "urgent",
        "C-2000007",
    )


def test_the_reason_follows_the_conversation(domain) -> None:
    offered = [
        user("asdf", "nlu_fallback"),
        action("utter_ask_rephrase"),
        user("qwer", "nlu_fallback"),
        action("utter_offer_human"),
        action("action_listen"),
    ]
    assert handoff_reason(request_tracker(domain, *offered)) == "repeated_fallback"
    assert (
        handoff_reason(request_tracker(domain, slots={"verification_failures": 3}))
        == "verification_locked"
    )
    angry = [
        user("Das hilft mir nicht", "deny"),
        action("utter_deny_without_context"),
        action("action_listen"),
    ]
    assert (
        handoff_reason(request_tracker(domain, user("du Idiot", "express_frustration")))
        == "frustration"
    )
    assert (
        handoff_reason(
            request_tracker(domain, *angry, user("schon wieder falsch!!!", "nlu_fallback"))
        )
        == "frustration"
    )
    assert (
        handoff_reason(request_tracker(domain, slots={"handoff_reason": "no-such-code"}))
        == "customer_request"
    )


async def test_the_bot_service_down_still_gets_a_polite_answer(domain) -> None:
    from tests.support.processes import free_port

    client = EscalationClient(f"http://127.0.0.1:{free_port()}", Secret("x" * 32), retry_pause=0.01)
    dispatcher = CollectingDispatcher()
    events = await ActionRequestHuman(client).run(dispatcher, request_tracker(domain), domain)
    assert responses(dispatcher) == ["utter_handoff_recorded"]
    assert as_dict(events)["handoff_reason"] is None
    assert events[-1] == {"event": "followup", "timestamp": None, "name": "action_listen"}
    await client.aclose()


async def test_customer_messages_reach_the_agent_during_a_takeover(domain, escalations) -> None:
    feature, client = escalations
    await ActionRequestHuman(client).run(CollectingDispatcher(), request_tracker(domain), domain)
    [escalation] = feature.service.list_escalations("open")
    keller = feature.agents.create_agent("keller", "geheim-genug-1", "Frau Keller")
    feature.service.claim(escalation.id, keller.id)
    feature.service.set_takeover(escalation.id, keller.id, True)
    message = make_tracker(
        domain,
        [user("Meine Rechnung ist falsch", "invoice_question")],
        {"agent_takeover": True},
        sender="conv-h",
    )
    dispatcher = CollectingDispatcher()
    assert await ActionForwardToAgent(client).run(dispatcher, message, domain) == []
    assert dispatcher.messages == []  # the bot stays silent
    transcript = feature.service.get_escalation(escalation.id).transcript
    assert (transcript[-1].role, transcript[-1].text) == ("customer", "Meine Rechnung ist falsch")


async def test_a_finished_takeover_returns_the_customer_to_the_bot(domain, escalations) -> None:
    _feature, client = escalations
    message = make_tracker(
        domain, [user("Hallo?", "greet")], {"agent_takeover": True}, sender="gone"
    )
    dispatcher = CollectingDispatcher()
    events = await ActionForwardToAgent(client).run(dispatcher, message, domain)
    assert as_dict(events) == {"agent_takeover": False, "agent_name": None}
    assert responses(dispatcher) == ["utter_takeover_ended"]
