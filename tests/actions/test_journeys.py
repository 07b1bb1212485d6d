import time

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.journeys import JOURNEYS, ActionResumeRequest
from actions.services import Services
from bot.budget import ANSWER_BUDGET_SECONDS
from bot.crm.local_client import LocalCRMClient
from bot.topics import PERSONAL_TOPICS
from tests.actions.conftest import as_dict, demo_clock, make_tracker, responses, user


async def resume(services, domain, slots, message=None):
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(domain, [message or user("80331", "inform")], slots)
    events = await ActionResumeRequest(services).run(dispatcher, tracker, domain)
    await services.conversation_log.drain()
    return as_dict(events), dispatcher


def history(crm_service, number):
    return [e.topic for e in crm_service.list_interactions(number) if e.conversation_id]


async def test_after_verification_the_customer_is_greeted_then_served(
    services, domain, crm_service_local
) -> None:
    values, dispatcher = await resume(
        services,
        domain,
        {
            "verified_customer_number": "K-100002",
            "verification_method": "postal_code",
            "requested_intent": "order_status",
            "logged_topics": ["identified"],
        },
    )
    # the order is the answer, so the greeting names the next open thing instead
    assert responses(dispatcher) == [
        "utter_greet_verified_customer",
        "utter_highlight_open_case",
        "utter_highlight_service_due_soon",
        "utter_order_in_production",
    ]
    assert dispatcher.messages[0]["addressee"] == "Herr Yilmaz"
    assert dispatcher.messages[1]["case_number"] == "C-9001"
    assert values == {
        "requested_intent": None,
        "customer_greeted": True,
        "logged_topics": ["identified", "order_status"],
    }
    assert history(crm_service_local, "K-100002") == ["order_status"]


async def test_only_the_verified_identity_is_used(services, domain) -> None:
    _, dispatcher = await resume(
        services,
        domain,
        {
            "verified_customer_number": "K-100003",
            "verification_method": "postal_code",
            "customer_number": "K-100001",  # typed later, never verified
            "requested_intent": "invoice_question",
        },
    )
    assert dispatcher.messages[0]["addressee"] == "Frau Wagner"
    assert responses(dispatcher)[1:] == [
        "utter_loyalty_long_standing",
        "utter_highlight_recall",
        "utter_highlight_service_overdue",  # the overdue invoice is the answer
        "utter_invoice_overdue",
        "utter_invoice_reminder_explained",
        "utter_invoice_options",
    ]
    assert dispatcher.messages[4]["invoice_amount"] == "1.245,50 €"


async def test_a_greeted_customer_is_served_directly(services, domain, crm_service_local) -> None:
    values, dispatcher = await resume(
        services,
        domain,
        {
            "verified_customer_number": "K-100004",
            "verification_method": "customer_token",
            "customer_greeted": True,
            "requested_intent": "appointment_status",
            "logged_topics": ["identified", "appointment_status"],
        },
    )
    assert responses(dispatcher) == ["utter_appointment_ready_today"]
    assert values == {"requested_intent": None}
    assert history(crm_service_local, "K-100004") == []  # already recorded in this conversation


async def test_a_locked_out_customer_is_handed_to_a_human(services, domain) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(
        domain,
        [user("99999", "inform")],
        {"verification_failures": 3.0, "requested_intent": "order_status"},
    )
    events = await ActionResumeRequest(services).run(dispatcher, tracker, domain)
    values = as_dict(events)
    assert responses(dispatcher) == ["utter_verification_locked"]
    assert events[-1] == {"event": "followup", "timestamp": None, "name": "action_request_human"}
    assert values == {
        "requested_intent": None,
        "handoff_reason": "verification_locked",
        "handoff_case_number": None,
    }


async def test_after_a_stop_nothing_personal_is_said(services, domain) -> None:
    values, dispatcher = await resume(
        services, domain, {"verification_failures": 1.0, "requested_intent": "order_status"}
    )
    assert responses(dispatcher) == []
    assert values == {"requested_intent": None}


async def test_crm_down_after_verification_still_serves_the_request(
    unreachable_services, domain
) -> None:
    _, dispatcher = await resume(
        unreachable_services,
        domain,
        {
            "verified_customer_number": "K-100001",
            "verification_method": "postal_code",
            "requested_intent": "contract_info",
        },
    )
    # the journey itself needs the CRM: it apologises instead of guessing
    assert responses(dispatcher) == ["utter_verified_without_profile", "utter_crm_unavailable"]


VERIFIED_K100002 = {
    "verified_customer_number": "K-100002",
    "verification_method": "postal_code",
    "logged_topics": ["identified"],
}


async def test_a_verified_customers_request_is_served_without_the_form(
    services, domain, crm_service_local
) -> None:
    """The direct rule: no requested_intent, the topic is the message's; the same answer."""
    values, dispatcher = await resume(
        services, domain, VERIFIED_K100002, user("Wo ist meine Bestellung?", "order_status")
    )
    assert responses(dispatcher)[-1] == "utter_order_in_production"
    # nothing to forget: requested_intent was never set
    assert values == {"customer_greeted": True, "logged_topics": ["identified", "order_status"]}
    assert history(crm_service_local, "K-100002") == ["order_status"]
    remembered, answer = await resume(
        services, domain, {**VERIFIED_K100002, "requested_intent": "order_status"}
    )
    assert dispatcher.messages == answer.messages
    assert remembered == {**values, "requested_intent": None}


async def test_a_message_without_a_personal_request_serves_nothing(services, domain) -> None:
    values, dispatcher = await resume(
        services, domain, {**VERIFIED_K100002, "customer_greeted": True}, user("Danke", "thank")
    )
    assert responses(dispatcher) == []
    assert values == {}


async def test_a_direct_request_with_an_unconfirmed_number_is_verified_first(
    services, domain
) -> None:
    """A verified number without a valid claim is dropped; the form starts as without the rule."""
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(
        domain,
        [user("Meine Rechnung bitte", "invoice_question")],
        {**VERIFIED_K100002, "identity_claim": "forged"},
    )
    events = await ActionResumeRequest(services).run(dispatcher, tracker, domain)
    assert responses(dispatcher) == []
    assert as_dict(events) == {
        "verified_customer_number": None,
        "identity_claim": None,
        "verification_method": None,
        "requested_intent": "invoice_question",
    }
    assert events[-1] == {"event": "followup", "timestamp": None, "name": "verification_form"}


def test_every_personal_topic_has_a_journey(domain) -> None:
    assert set(JOURNEYS) == set(PERSONAL_TOPICS)
    assert not [r for r in domain["responses"] if r.startswith("utter_soon_")]


def test_every_response_the_actions_use_exists(domain) -> None:
    used = {
        "utter_greet",
        "utter_greet_customer",
        "utter_greet_customer_again",
        "utter_greet_verified_customer",
        "utter_loyalty_long_standing",
        "utter_loyalty_new_customer",
        "utter_ask_how_can_i_help",
        "utter_verified_without_profile",
        "utter_crm_unavailable",
        "utter_verification_locked",
        "utter_verification_stopped",
        "utter_verification_failed",
        "utter_verification_failed_last_try",
        "utter_verification_invalid_customer_number",
        "utter_verification_invalid_postal_code",
        "utter_ask_verification_form_customer_number",
        "utter_ask_customer_number_again",
        "utter_ask_verification_form_postal_code",
    }
    kinds = [
        "recall",
        "ready_for_pickup",
        "open_case",
        "overdue_invoice",
        "upcoming_appointment",
        "order_shipped",
        "order_shipped_undated",
        "order_in_production",
        "order_confirmed",
        "service_overdue",
        "service_due_soon",
    ]
    used |= {f"utter_highlight_{kind}" for kind in kinds}
    assert used <= set(domain["responses"])


class CountingCRM(LocalCRMClient):
    """The real in-process CRM, counting the profile reads."""

    def __init__(self, service) -> None:
        super().__init__(service)
        self.profile_reads = 0

    async def get_profile(self, customer_number):
        self.profile_reads += 1
        return await super().get_profile(customer_number)


@pytest.mark.parametrize("topic", ["service_due", "order_status", "invoice_question"])
async def test_greeting_and_journey_read_the_profile_once(topic, domain, crm_service_local) -> None:
    crm = CountingCRM(crm_service_local)
    services = Services(crm_factory=lambda: crm, clock=demo_clock)
    _, dispatcher = await resume(
        services,
        domain,
        {
            "verified_customer_number": "K-100002",
            "verification_method": "postal_code",
            "requested_intent": topic,
            "logged_topics": ["identified"],
        },
    )
    assert responses(dispatcher)[0] == "utter_greet_verified_customer"
    assert len(responses(dispatcher)) > 3  # greeting, highlights and the journey's answer
    assert crm.profile_reads == 1


@pytest.mark.parametrize("topic", ["service_due", "order_status", "invoice_question"])
async def test_a_hung_crm_is_waited_for_once_per_turn(topic, hung_services, domain) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(
        domain,
        [user("?", topic)],
        {
            "verified_customer_number": "K-100002",
            "verification_method": "postal_code",
            "requested_intent": topic,
        },
    )
    started = time.perf_counter()
    await ActionResumeRequest(hung_services).run(dispatcher, tracker, domain)
    assert time.perf_counter() - started < ANSWER_BUDGET_SECONDS + 0.5
    assert responses(dispatcher)[0] == "utter_verified_without_profile"
    assert responses(dispatcher)[1] in ("utter_crm_unavailable", "utter_service_due_unavailable")


async def test_after_a_slow_verification_the_profile_gets_only_what_is_left_of_the_turn(
    hung_services, domain
) -> None:
    message = user("80331", "inform")
    message["timestamp"] = time.time() - 1.9  # the identity check took 1.9 s of this turn
    tracker = make_tracker(
        domain,
        [message],
        {
            "verified_customer_number": "K-100002",
            "verification_method": "postal_code",
            "requested_intent": "order_status",
        },
    )
    dispatcher = CollectingDispatcher()
    started = time.perf_counter()
    await ActionResumeRequest(hung_services).run(dispatcher, tracker, domain)
    assert time.perf_counter() - started < 1.2  # 2.6 s for the turn, 0.7 s left
    assert responses(dispatcher) == ["utter_verified_without_profile", "utter_crm_unavailable"]


# --- say a fact once: the greeting leaves out what the answer of the turn says ------


@pytest.mark.parametrize(
    ("customer", "topic", "greeting", "answer"),
    [
        (  # Schmidt: the parcel is the answer, the appointment stays in the greeting
            "K-100001",
            "order_status",
            ["utter_highlight_upcoming_appointment"],
            ["utter_order_shipped"],
        ),
        (  # Meier: his car is ready - said once, by the answer
            "K-100004",
            "appointment_status",
            [],
            ["utter_appointment_ready_today"],
        ),
        (  # Wagner: the recall is the answer; the invoice and the service move up
            "K-100003",
            "recall_check",
            ["utter_highlight_overdue_invoice", "utter_highlight_service_overdue"],
            ["utter_recall_affected", "utter_offer_recall_appointment"],
        ),
        (  # Wagner: the service check names the overdue service
            "K-100003",
            "service_due",
            ["utter_highlight_recall", "utter_highlight_overdue_invoice"],
            ["utter_service_overdue", "utter_offer_service_appointment"],
        ),
    ],
)
async def test_the_greeting_leaves_out_what_the_answer_says(
    services, domain, customer, topic, greeting, answer
) -> None:
    _, dispatcher = await resume(
        services,
        domain,
        {
            "verified_customer_number": customer,
            "verification_method": "customer_token",
            "requested_intent": topic,
        },
    )
    said = [r for r in responses(dispatcher) if r != "utter_loyalty_long_standing"]
    assert said == ["utter_greet_customer", *greeting, *answer]
