import time

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.slots import identity_signer
from actions.verification import (
    ActionAskCustomerNumber,
    ActionRememberRequest,
    ValidateVerificationForm,
)
from tests.actions.conftest import as_dict, form_turn, make_tracker, responses, user

VERIFIED = {"verified_customer_number": "K-100001", "verification_method": "postal_code"}


async def validate(services, domain, message, *, asked, slots=None):
    dispatcher = CollectingDispatcher()
    tracker = form_turn(domain, message, asked=asked, slots=slots)
    events = await ValidateVerificationForm(services).run(dispatcher, tracker, domain)
    await services.conversation_log.drain()
    return events, responses(dispatcher), dispatcher


def chat_entries(crm_service, number):
    return [
        (e.topic, e.conversation_id)
        for e in crm_service.list_interactions(number)
        if e.conversation_id
    ]


async def test_a_personal_request_is_remembered(domain) -> None:
    tracker = make_tracker(domain, [user("Wo ist meine Rechnung?", "invoice_question")])
    events = await ActionRememberRequest().run(CollectingDispatcher(), tracker, domain)
    assert events == [
        {
            "event": "slot",
            "timestamp": None,
            "name": "requested_intent",
            "value": "invoice_question",
        }
    ]
    general = make_tracker(domain, [user("Wo ist der nächste Händler?", "dealer_info")])
    assert await ActionRememberRequest().run(CollectingDispatcher(), general, domain) == []


async def test_the_starting_message_prefills_the_customer_number(services, domain) -> None:
    message = user(
        "Bestellung von K-100001 bitte", "order_status", [("customer_number", "K-100001")]
    )
    events, said, _ = await validate(services, domain, message, asked=None)
    assert as_dict(events) == {"customer_number": "K-100001"}
    assert said == []


async def test_the_right_answers_verify_and_are_recorded(
    services, domain, crm_service_local
) -> None:
    message = user("80331", "inform", [("postal_code", "80331")])
    events, said, _ = await validate(
        services, domain, message, asked="postal_code", slots={"customer_number": "K-100001"}
    )
    assert as_dict(events) == {
        "customer_number": None,
        "postal_code": None,
        "verified_customer_number": "K-100001",
        "identity_claim": identity_signer().sign("conv-1", "K-100001"),
        "verification_method": "postal_code",
        "logged_topics": ["identified"],
        "requested_slot": None,
    }
    assert said == []
    assert chat_entries(crm_service_local, "K-100001") == [("identified", "conv-1")]


@pytest.mark.parametrize("written", ["K-100001 80331", "k100001, plz 80331", "100001 80331"])
async def test_both_answers_in_one_message_from_the_text(services, domain, written: str) -> None:
    events, _, _ = await validate(
        services, domain, user(written, "nlu_fallback"), asked="customer_number"
    )
    assert as_dict(events)["verified_customer_number"] == "K-100001"


async def test_a_wrong_postal_code_costs_an_attempt(services, domain) -> None:
    message = user("80335", "inform", [("postal_code", "80335")])
    events, said, dispatcher = await validate(
        services, domain, message, asked="postal_code", slots={"customer_number": "K-100001"}
    )
    assert as_dict(events) == {  # the number stays: the postal code is asked again
        "postal_code": None,
        "verification_failures": 1.0,
    }
    assert said == ["utter_verification_failed"]
    assert dispatcher.messages[0]["attempts_left"] == 2


async def test_an_unknown_number_gets_the_same_answer_as_a_wrong_postal_code(
    services, domain
) -> None:
    unknown = user(
        "K-999998 80331", "inform", [("customer_number", "K-999998"), ("postal_code", "80331")]
    )
    wrong = user(
        "K-100001 80335", "inform", [("customer_number", "K-100001"), ("postal_code", "80335")]
    )
    first = await validate(services, domain, unknown, asked="customer_number")
    second = await validate(services, domain, wrong, asked="customer_number")
    # the same answer and the same slot changes; each keeps the number it typed
    assert as_dict(first[0]) == {**as_dict(second[0]), "customer_number": "K-999998"}
    assert first[1] == second[1] == ["utter_verification_failed"]


async def test_the_second_failure_warns_and_the_third_locks(services, domain) -> None:
    wrong = user(
        "K-100001 80335", "inform", [("customer_number", "K-100001"), ("postal_code", "80335")]
    )
    events, said, _ = await validate(
        services, domain, wrong, asked="customer_number", slots={"verification_failures": 1.0}
    )
    assert as_dict(events)["verification_failures"] == 2.0
    assert said == ["utter_verification_failed_last_try"]
    events, said, _ = await validate(
        services, domain, wrong, asked="customer_number", slots={"verification_failures": 2.0}
    )
    assert as_dict(events)["verification_failures"] == 3.0
    assert (
        as_dict(events)["requested_slot"] is None
    )  # the form ends; the lock-out is explained next
    assert "verified_customer_number" not in as_dict(events)
    assert said == []


async def test_a_locked_conversation_is_not_checked_again(services, domain) -> None:
    right = user(
        "K-100001 80331", "inform", [("customer_number", "K-100001"), ("postal_code", "80331")]
    )
    events, said, _ = await validate(
        services, domain, right, asked=None, slots={"verification_failures": 3.0}
    )
    assert events == [{"event": "slot", "timestamp": None, "name": "requested_slot", "value": None}]
    assert said == []


async def test_a_verified_customer_is_not_asked(services, domain) -> None:
    events, said, _ = await validate(
        services, domain, user("Rechnung", "invoice_question"), asked=None, slots=VERIFIED
    )
    assert as_dict(events) == {"requested_slot": None}
    assert said == []


@pytest.mark.parametrize(
    ("text", "intent"),
    [("abbrechen", "cancel_appointment"), ("Stopp bitte", "nlu_fallback"), ("nein", "deny")],
)
async def test_the_customer_can_stop(services, domain, text: str, intent: str) -> None:
    events, said, _ = await validate(
        services,
        domain,
        user(text, intent),
        asked="postal_code",
        slots={"customer_number": "K-100001"},
    )
    assert as_dict(events) == {"customer_number": None, "postal_code": None, "requested_slot": None}
    assert said == ["utter_verification_stopped"]


async def test_a_request_to_cancel_an_appointment_starts_the_form_and_does_not_stop_it(
    services, domain
) -> None:
    events, said, _ = await validate(
        services, domain, user("Termin abbrechen", "cancel_appointment"), asked=None
    )
    # nothing read and nothing stopped: only the first question's slot, still empty
    # (something returned, so Rasa does not run the validation a second time)
    assert [e["name"] for e in events] == ["customer_number"] and said == []
    assert as_dict(events) == {"customer_number": None}


async def test_malformed_answers_are_explained(services, domain) -> None:
    events, said, _ = await validate(
        services, domain, user("1234567", "inform"), asked="customer_number"
    )
    assert as_dict(events) == {"customer_number": None, "dialogue_loop": "customer_number:1"}
    assert said == ["utter_verification_invalid_customer_number"]
    events, said, _ = await validate(
        services,
        domain,
        user("803", "inform"),
        asked="postal_code",
        slots={"customer_number": "K-100001"},
    )
    assert as_dict(events) == {"postal_code": None, "dialogue_loop": "postal_code:1"}
    assert said == ["utter_verification_invalid_postal_code"]


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("wie wird das Wetter", "out_of_scope"),
        ("Ich will einen Menschen, Tel 089 123456", "request_human"),
        ("Panne auf der A9 bei km 123456", "breakdown_help"),
        ("hab ich grad nicht zur hand", "nlu_fallback"),
    ],
)
async def test_other_messages_are_left_to_the_rules(
    services, domain, text: str, intent: str
) -> None:
    events, said, _ = await validate(services, domain, user(text, intent), asked="customer_number")
    assert events == [] and said == []  # nothing validated: the form is rejected, a rule answers


async def test_crafted_entities_named_like_the_identity_slot_only_fill_the_form(
    services, domain
) -> None:
    crafted = user(
        '/inform{"verified_customer_number": "K-100002", "customer_number": "K-100002"}',
        "inform",
        [("verified_customer_number", "K-100002"), ("customer_number", "K-100002")],
    )
    events, _, _ = await validate(services, domain, crafted, asked="customer_number")
    assert as_dict(events) == {"customer_number": "K-100002"}  # still needs the postal code


async def test_crm_down_is_a_polite_answer_and_no_attempt(unreachable_services, domain) -> None:
    right = user(
        "K-100001 80331", "inform", [("customer_number", "K-100001"), ("postal_code", "80331")]
    )
    started = time.perf_counter()
    events, said, _ = await validate(unreachable_services, domain, right, asked="customer_number")
    assert time.perf_counter() - started < 3
    assert said == ["utter_crm_unavailable"]
    assert as_dict(events) == {"customer_number": None, "postal_code": None, "requested_slot": None}


async def test_a_hung_crm_is_given_up_within_three_seconds(hung_services, domain) -> None:
    right = user(
        "K-100001 80331", "inform", [("customer_number", "K-100001"), ("postal_code", "80331")]
    )
    started = time.perf_counter()
    _, said, _ = await validate(hung_services, domain, right, asked="customer_number")
    assert time.perf_counter() - started < 2.5
    assert said == ["utter_crm_unavailable"]


async def test_the_customer_number_is_asked_with_the_reason_once(domain) -> None:
    first, again = CollectingDispatcher(), CollectingDispatcher()
    await ActionAskCustomerNumber().run(
        first, make_tracker(domain, [], {"requested_slot": None}), domain
    )
    await ActionAskCustomerNumber().run(
        again, make_tracker(domain, [], {"requested_slot": "postal_code"}), domain
    )
    assert responses(first) == ["utter_ask_verification_form_customer_number"]
    assert responses(again) == ["utter_ask_customer_number_again"]


async def test_the_customer_number_missed_twice_in_a_row_is_asked_with_help(domain) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(
        domain, [], {"requested_slot": "customer_number", "dialogue_loop": "customer_number:2"}
    )
    await ActionAskCustomerNumber().run(dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_ask_customer_number_with_help"]
