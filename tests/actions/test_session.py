import logging
import time

import jwt
import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions import slots
from actions.session import ActionCheckCustomerToken, ActionSessionStart
from bot.customer_tokens import issue_customer_token
from tests.actions.conftest import TOKEN_SECRET, as_dict, make_tracker, slot, user

FORGED = issue_customer_token("K-100003", "f" * 40)
EXPIRED = jwt.encode(
    {"sub": "K-100003", "exp": int(time.time()) - 10}, TOKEN_SECRET, algorithm="HS256"
)


def valid(number: str = "K-100003") -> str:
    return issue_customer_token(number, TOKEN_SECRET)


async def start_session(services, domain, events, slots=None):
    tracker = make_tracker(domain, events, slots)
    result = await ActionSessionStart(services).run(CollectingDispatcher(), tracker, domain)
    await services.conversation_log.drain()
    return result


def history(crm_service, number):
    return [
        (e.topic, e.summary) for e in crm_service.list_interactions(number) if e.conversation_id
    ]


async def test_a_session_starts_and_ends_with_listening(services, domain) -> None:
    events = await start_session(services, domain, [])
    assert events[0]["event"] == "session_started"
    assert (events[-1]["event"], events[-1]["name"]) == ("action", "action_listen")
    assert events[0]["timestamp"] is not None  # the conversation id derives from it
    assert as_dict(events) == {}  # nothing to carry over, nobody to log in


async def test_a_new_session_verifies_again_but_keeps_the_lock_out(services, domain) -> None:
    old = {
        "verified_customer_number": "K-100001",
        "verification_method": "postal_code",
        "customer_greeted": True,
        "logged_topics": ["identified"],
        "verification_failures": 2.0,
        "requested_intent": "order_status",
    }
    carried = as_dict(await start_session(services, domain, [], old))
    assert carried["verification_failures"] == 2.0
    for name in (
        "verified_customer_number",
        "verification_method",
        "customer_greeted",
        "logged_topics",
        "requested_intent",
    ):
        assert name not in carried


async def test_a_valid_token_at_the_start_verifies_without_questions(
    services, domain, crm_service_local
) -> None:
    metadata = {"customer_token": valid(), "channel": "socketio"}
    events = await start_session(services, domain, [slot("session_started_metadata", metadata)])
    values = as_dict(events)
    assert values["verified_customer_number"] == "K-100003"
    assert values["verification_method"] == "customer_token"
    assert values["logged_topics"] == ["identified"]
    assert values["session_started_metadata"] == {
        "channel": "socketio"
    }  # the credential is not kept
    assert history(crm_service_local, "K-100003") == [
        ("identified", "Digitaler Assistent: Identität bestätigt (Anmeldung auf der Website)")
    ]
    # later actions find the same conversation id from the session start event
    later = make_tracker(domain, [events[0], user("Rechnung", "invoice_question")])
    [entry] = [e for e in crm_service_local.list_interactions("K-100003") if e.conversation_id]
    assert entry.conversation_id == slots.conversation(later).conversation_id
    assert entry.conversation_id.startswith("conv-1@")


@pytest.mark.parametrize(
    "token", [FORGED, EXPIRED, "garbage"], ids=["forged", "expired", "garbage"]
)
async def test_bad_tokens_at_the_start_are_ignored_with_a_log_line(
    services, domain, token: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        events = await start_session(
            services, domain, [slot("session_started_metadata", {"customer_token": token})]
        )
    assert "verified_customer_number" not in as_dict(events)
    assert "Ignoring customer token" in caplog.text


async def test_an_old_sessions_metadata_is_not_read_again(services, domain) -> None:
    stale = [slot("session_started_metadata", {"customer_token": valid()}), user("hallo", "greet")]
    events = await start_session(services, domain, stale)
    assert "verified_customer_number" not in as_dict(events)


async def check(services, domain, message, slots=None):
    tracker = make_tracker(domain, [message], slots)
    events = await ActionCheckCustomerToken(services).run(CollectingDispatcher(), tracker, domain)
    await services.conversation_log.drain()
    return events


async def test_a_token_arriving_later_verifies(services, domain, crm_service_local) -> None:
    events = await check(
        services, domain, user("Rechnung", "invoice_question", metadata={"customer_token": valid()})
    )
    assert as_dict(events) == {
        "verified_customer_number": "K-100003",
        "identity_claim": slots.identity_signer().sign("conv-1", "K-100003"),
        "verification_method": "customer_token",
        "customer_number": None,
        "postal_code": None,
        "logged_topics": ["identified"],
    }
    assert [topic for topic, _ in history(crm_service_local, "K-100003")] == ["identified"]


async def test_messages_without_or_with_bad_tokens_change_nothing(services, domain) -> None:
    assert await check(services, domain, user("Hallo", "greet")) == []
    assert (
        await check(services, domain, user("Hallo", "greet", metadata={"customer_token": FORGED}))
        == []
    )


async def test_a_verified_identity_is_never_replaced_by_a_token(
    services, domain, caplog: pytest.LogCaptureFixture
) -> None:
    verified = {"verified_customer_number": "K-100001", "verification_method": "postal_code"}
    with caplog.at_level(logging.WARNING):
        events = await check(
            services,
            domain,
            user("Hallo", "greet", metadata={"customer_token": valid("K-100002")}),
            verified,
        )
    assert events == []
    assert "another customer" in caplog.text
    assert (
        await check(
            services,
            domain,
            user("Hallo", "greet", metadata={"customer_token": valid("K-100001")}),
            verified,
        )
        == []
    )
