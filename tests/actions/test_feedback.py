"""CSAT: asked once per conversation, stored with its attribution (bot, or bot and agent)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest_asyncio
from fastapi import FastAPI
from rasa_sdk.executor import CollectingDispatcher

from actions.feedback import ActionAskCsat, ActionStoreFeedback
from actions.slots import conversation
from bot.escalation.schemas import EscalationIntake
from bot.escalation.wiring import EscalationFeature
from bot.feedback.api import feedback_router
from bot.feedback.client import FeedbackClient
from bot.feedback.store import FeedbackStore
from tests.actions.conftest import action, as_dict, make_tracker, responses, slot, user
from tests.bot.escalation.conftest import SERVICE_TOKEN, Clock, invoice_conversation, settings


@pytest_asyncio.fixture(loop_scope="function")
async def world(
    crm_service_local,
) -> AsyncIterator[tuple[FeedbackStore, FeedbackClient, EscalationFeature]]:
    """The feedback API in process over the real CRM database, and the action server's client."""
    clock = Clock()
    escalations = EscalationFeature.create(settings(), crm_service_local, SERVICE_TOKEN, clock)
    store = FeedbackStore(crm_service_local.session_factory, clock)
    app = FastAPI()
    app.include_router(feedback_router(store, SERVICE_TOKEN))
    client = FeedbackClient("http://bot", SERVICE_TOKEN, transport=httpx.ASGITransport(app=app))
    yield store, client, escalations
    await client.aclose()


SESSION = [action("action_session_start"), {"event": "session_started", "timestamp": 1795000000.0}]


def order_then(*events):
    """A session: the order status was answered, then ``events``."""
    return [
        *SESSION,
        action("action_listen"),
        user("Wo ist meine Bestellung?", "order_status", channel="socketio"),
        {
            "event": "bot",
            "timestamp": 1795000001.0,
            "text": "...",
            "metadata": {"utter_action": "utter_order_shipped"},
        },
        *events,
    ]


async def ask(domain, events, slots=None):
    dispatcher = CollectingDispatcher()
    result = await ActionAskCsat().run(dispatcher, make_tracker(domain, events, slots), domain)
    return responses(dispatcher), as_dict(result), dispatcher


async def test_the_rating_is_asked_on_goodbye_once_with_five_buttons(domain) -> None:
    said, slots, dispatcher = await ask(domain, order_then(user("tschüss", "goodbye")))
    assert (said, slots) == (["utter_ask_csat"], {"csat_asked": True})
    assert [b["title"] for b in dispatcher.messages[0]["buttons"]] == ["1", "2", "3", "4", "5"]
    assert dispatcher.messages[0]["buttons"][3]["payload"] == '/give_feedback{"csat_score": "4"}'
    again, _, _ = await ask(domain, order_then(user("tschüss", "goodbye")), {"csat_asked": True})
    assert again == []


async def test_thanks_lead_to_the_question_only_after_a_completed_journey(domain) -> None:
    assert (await ask(domain, order_then(user("danke", "thank"))))[0] == ["utter_ask_csat"]
    no_journey = [*SESSION, user("Hallo", "greet"), user("danke", "thank")]
    assert (await ask(domain, no_journey))[0] == []


async def test_after_an_agent_handed_back_the_rating_is_asked(domain) -> None:
    events = order_then(
        slot("agent_takeover", True), user("ok", "affirm"), slot("agent_takeover", False)
    )
    assert (await ask(domain, events))[0] == ["utter_ask_csat"]


async def test_a_rating_and_its_comment_are_stored_with_the_bot_as_server(domain, world) -> None:
    store, client, _ = world
    rating = user(
        '/give_feedback{"csat_score": "4"}',
        "give_feedback",
        [("csat_score", "4")],
        channel="socketio",
    )
    events = order_then(user("tschüss", "goodbye"), slot("csat_asked", True), rating)
    tracker = make_tracker(domain, events, {"verified_customer_number": "K-100001"})
    dispatcher = CollectingDispatcher()
    result = await ActionStoreFeedback(client).run(dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_csat_thanks"] and as_dict(result)["csat_score"] == 4.0
    comment = user(
        "Herr Becker war super, schreiben Sie an julia@example.de",
        "give_feedback",
        channel="socketio",
    )
    tracker = make_tracker(
        domain,
        [*events, slot("csat_score", 4.0), comment],
        {"verified_customer_number": "K-100001"},
    )
    dispatcher = CollectingDispatcher()
    await ActionStoreFeedback(client).run(dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_csat_comment_thanks"]
    stored = store.entries(conversation(tracker).conversation_id)
    assert [
        (e["kind"], e["score"], e["served_by"], e["agent_id"], e["channel"]) for e in stored
    ] == [
        ("csat", 4, "bot", None, "website"),
        ("comment", None, "bot", None, "website"),
    ]
    assert stored[1]["comment"] == "Herr [redacted] war super, schreiben Sie an [redacted]"
    assert stored[0]["customer_number"] == "K-100001"


async def test_a_rating_after_an_agent_is_attributed_to_that_agent(domain, world) -> None:
    store, client, escalations = world
    agent = escalations.agents.create_agent("keller", "geheim-genug-1", "Frau Keller").id
    opened = escalations.service.open_escalation(
        EscalationIntake(conversation_id="conv-1", events=invoice_conversation())
    )
    escalations.service.claim(opened.escalation_id, agent)
    rating = user(
        '/give_feedback{"csat_score": "2"}',
        "give_feedback",
        [("csat_score", "2")],
        channel="facebook",
    )
    tracker = make_tracker(domain, order_then(rating))
    await ActionStoreFeedback(client).run(CollectingDispatcher(), tracker, domain)
    [entry] = store.entries(conversation(tracker).conversation_id)
    assert (entry["score"], entry["served_by"], entry["agent_id"], entry["channel"]) == (
        2, "bot+agent", agent, "messenger",
    )  # fmt: skip
    # a second rating of the same conversation is refused by the service, and not stored
    tracker = make_tracker(domain, order_then(rating))
    await ActionStoreFeedback(client).run(CollectingDispatcher(), tracker, domain)
    assert len(store.entries(conversation(tracker).conversation_id)) == 1


async def test_free_text_feedback_is_stored_masked(domain, world) -> None:
    store, client, _ = world
    text = user("Ihre App ist toll, meine Nummer ist K-100001", "give_feedback")
    tracker = make_tracker(domain, [*SESSION, text])
    dispatcher = CollectingDispatcher()
    await ActionStoreFeedback(client).run(dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_give_feedback"]
    [entry] = store.entries(conversation(tracker).conversation_id)
    assert (entry["kind"], entry["comment"]) == (
        "feedback",
        "Ihre App ist toll, meine Nummer ist [redacted]",
    )
