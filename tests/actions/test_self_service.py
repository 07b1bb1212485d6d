"""breakdown_help, dealer_info, test_drive, account_help and answers in between forms."""

from __future__ import annotations

import pytest
from rasa_sdk.events import FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions import slots
from actions.account_help import ActionAccountHelp
from actions.breakdown import ActionBreakdownFollowup, ActionSubmitBreakdown, ValidateBreakdownForm
from actions.dealers import ActionDealerInfo, ValidateDealerForm
from actions.journey_forms import ActionAnswerDigression
from actions.test_drive import ActionStartTestDrive, ActionSubmitTestDrive, ValidateTestDriveForm
from bot.crm.enums import CaseKind, CasePriority
from tests.actions.conftest import action, as_dict, make_tracker, responses, slot, user
from tests.actions.journey_turns import form_tracker, request_tracker


async def run(action, tracker, domain):
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, tracker, domain)
    return events, dispatcher


# --- breakdown -------------------------------------------------------------------


async def test_breakdown_of_a_verified_customer_asks_for_the_location(services, domain) -> None:
    tracker = request_tracker(domain, "Panne auf der A9", "breakdown_help")
    events, dispatcher = await run(ActionBreakdownFollowup(services), tracker, domain)
    assert responses(dispatcher) == []
    assert as_dict(events) == {"breakdown_vehicle": "WNL0AUR0T2021A001", "breakdown_location": None}
    assert events[-1] == FollowupAction("breakdown_form")


async def test_breakdown_of_an_anonymous_customer_ends_with_the_hotline(services, domain) -> None:
    tracker = request_tracker(domain, "Panne", "breakdown_help", customer=None)
    events, _ = await run(ActionBreakdownFollowup(services), tracker, domain)
    assert events == []


async def test_the_location_is_read_even_when_it_sounds_like_a_breakdown(services, domain) -> None:
    tracker = form_tracker(
        domain,
        "breakdown_form",
        "breakdown_location",
        "A9 Richtung München km 234",
        "breakdown_help",
    )
    events, _ = await run(ValidateBreakdownForm(services), tracker, domain)
    assert as_dict(events)["breakdown_location"] == "A9 Richtung München km 234"


async def test_the_urgent_case_goes_to_a_human(services, domain, crm_service_local) -> None:
    tracker = make_tracker(
        domain,
        [],
        {
            "verified_customer_number": "K-100001",
            "breakdown_location": "A9 Richtung München km 234",
            "breakdown_vehicle": "WNL0AUR0T2021A001",
        },
    )
    events, dispatcher = await run(ActionSubmitBreakdown(services), tracker, domain)
    case = crm_service_local.list_cases("K-100001")[0]
    assert case.kind is CaseKind.BREAKDOWN and case.priority is CasePriority.URGENT
    assert case.subject == "Panne: Aurora Touring (M-AS 2004)"
    assert case.description == (
        "Standort: A9 Richtung München km 234\n"
        "Fahrzeug: Aurora Touring (M-AS 2004), FIN WNL0AUR0T2021A001"
    )
    assert responses(dispatcher) == ["utter_breakdown_case_opened"]
    assert as_dict(events)["handoff_reason"] == "breakdown_urgent"
    assert as_dict(events)["handoff_case_number"] == case.case_number
    assert events[-1] == FollowupAction("action_request_human")


async def test_crm_down_points_to_the_hotline(unreachable_services, domain) -> None:
    tracker = make_tracker(
        domain,
        [],
        {
            "verified_customer_number": "K-100001",
            "breakdown_location": "A9",
            "breakdown_vehicle": "none",
        },
    )
    _, dispatcher = await run(ActionSubmitBreakdown(unreachable_services), tracker, domain)
    assert responses(dispatcher) == ["utter_breakdown_case_failed"]


# --- dealers ---------------------------------------------------------------------


async def test_dealers_of_a_city(services, domain) -> None:
    tracker = request_tracker(domain, "Werkstatt in Köln?", "dealer_info", [("city", "Koeln")])
    _, dispatcher = await run(ActionDealerInfo(services), tracker, domain)
    assert responses(dispatcher) == ["utter_dealer_found"]
    found = dispatcher.messages[0]
    assert found["workshop_name"] == "Nordlicht Autohaus Köln"
    assert found["workshop_address"] == "Deutz-Mülheimer Straße 10, 50679 Köln"
    assert found["workshop_phone"] == "+49 221 5000200"
    assert found["workshop_hours"] == "Mo-Fr 08:00-18:30, Sa 09:00-14:00"


async def test_nearest_workshop_by_postal_code(services, domain) -> None:
    tracker = request_tracker(
        domain, "Werkstatt bei 80331", "dealer_info", [("postal_code", "80331")]
    )
    _, dispatcher = await run(ActionDealerInfo(services), tracker, domain)
    assert responses(dispatcher) == ["utter_dealer_nearest"]
    assert dispatcher.messages[0]["workshop_name"] == "Nordlicht Werkstatt München-Mitte"


async def test_a_town_without_a_workshop_gets_the_nearest_and_no_place_at_all_a_question(
    services, domain
) -> None:
    tracker = request_tracker(domain, "in Hamburg", "dealer_info", [("city", "Hamburg")])
    _, dispatcher = await run(ActionDealerInfo(services), tracker, domain)
    assert responses(dispatcher) == ["utter_dealer_nearest_instead"]
    assert dispatcher.messages[0]["place"] == "Hamburg"
    assert dispatcher.messages[0]["workshop_name"] == "Nordlicht Autohaus Berlin"
    tracker = request_tracker(domain, "in Buxtehude", "dealer_info", [("city", "Buxtehude")])
    _, dispatcher = await run(ActionDealerInfo(services), tracker, domain)
    assert responses(dispatcher) == ["utter_dealer_none"]  # a town we do not know
    tracker = request_tracker(domain, "Wo ist ein Händler?", "dealer_info")
    events, _ = await run(ActionDealerInfo(services), tracker, domain)
    assert events[-1] == FollowupAction("dealer_form")


async def test_the_dealer_form_reads_a_short_city_answer(services, domain) -> None:
    tracker = form_tracker(domain, "dealer_form", "dealer_location", "Berlin", customer=None)
    events, _ = await run(ValidateDealerForm(services), tracker, domain)
    assert as_dict(events)["dealer_location"] == {
        "postal_code": None,
        "city": "Berlin",
        "town_named": False,
    }
    tracker = form_tracker(domain, "dealer_form", "dealer_location", "weiß nicht so genau")
    events, dispatcher = await run(ValidateDealerForm(services), tracker, domain)
    assert responses(dispatcher) == ["utter_dealer_location_unknown"]


async def test_dealers_when_the_crm_is_down(unreachable_services, domain) -> None:
    tracker = request_tracker(domain, "Köln", "dealer_info", [("city", "Köln")])
    _, dispatcher = await run(ActionDealerInfo(unreachable_services), tracker, domain)
    assert responses(dispatcher) == ["utter_crm_unavailable"]


# --- test drive ------------------------------------------------------------------


async def test_a_known_customer_finds_the_test_drive_prefilled(services, domain) -> None:
    tracker = request_tracker(
        domain, "Probefahrt mit dem Vela", "test_drive", [("vehicle_model", "Vela e")]
    )
    events, dispatcher = await run(ActionStartTestDrive(services), tracker, domain)
    assert responses(dispatcher) == ["utter_test_drive_intro"]
    assert as_dict(events) == {
        "test_drive_model": "Vela e",
        "test_drive_date": None,
        "test_drive_name": "Anna Schmidt",
        "test_drive_contact": {"email": "anna.schmidt@example.de"},
        "test_drive_workshop": {
            "code": "muenchen-mitte",
            "name": "Nordlicht Werkstatt München-Mitte",
        },
    }
    assert events[-1] == FollowupAction("test_drive_form")


async def test_a_prospect_gets_the_nearest_workshop_and_a_checked_contact(services, domain) -> None:
    tracker = form_tracker(domain, "test_drive_form", "test_drive_workshop", "1100", customer=None)
    events, _ = await run(ValidateTestDriveForm(services), tracker, domain)
    assert as_dict(events)["test_drive_workshop"]["code"] == "wien"
    tracker = form_tracker(domain, "test_drive_form", "test_drive_contact", "max@", customer=None)
    events, dispatcher = await run(ValidateTestDriveForm(services), tracker, domain)
    assert responses(dispatcher) == ["utter_test_drive_contact_invalid"]
    assert as_dict(events)["test_drive_contact"] is None


async def test_a_test_drive_in_a_town_without_a_workshop_offers_the_nearest(
    services, domain
) -> None:
    tracker = form_tracker(
        domain,
        "test_drive_form",
        "test_drive_workshop",
        "in Hamburg",
        entities=[("city", "Hamburg")],
        customer=None,
    )
    events, dispatcher = await run(ValidateTestDriveForm(services), tracker, domain)
    assert responses(dispatcher) == ["utter_test_drive_nearest_choice"]
    offer = dispatcher.messages[0]
    assert offer["place"] == "Hamburg"
    assert offer["buttons"][0]["payload"] == "Nordlicht Autohaus Berlin"
    assert as_dict(events)["test_drive_workshop"] is None
    for answer in ("der erste", "Nordlicht Autohaus Berlin"):
        events, _ = await run(
            ValidateTestDriveForm(services), after_offer(domain, offer, answer), domain
        )
        assert as_dict(events)["test_drive_workshop"]["code"] == "berlin", answer
    tracker = form_tracker(
        domain, "test_drive_form", "test_drive_workshop", "am Samstag", customer=None
    )
    events, dispatcher = await run(ValidateTestDriveForm(services), tracker, domain)
    # not "In am Samstag haben wir keinen Standort": the date is kept for its question
    assert responses(dispatcher) == ["utter_noted_date"]
    assert dispatcher.messages[0]["value"] == "am Samstag"
    assert as_dict(events)["test_drive_workshop"] is None
    assert as_dict(events)["test_drive_date"] == "am Samstag"


@pytest.mark.parametrize(
    ("text", "response", "slot", "value"),
    [
        ("Peter Lustig", "utter_noted_name", "test_drive_name", "Peter Lustig"),
        (
            "peter@example.org",
            "utter_noted_email",
            "test_drive_contact",
            {"email": "peter@example.org"},
        ),
        ("0171 1234567", "utter_noted_phone", "test_drive_contact", {"phone": "0171 1234567"}),
    ],
)
async def test_a_value_for_a_later_question_is_kept_while_the_place_is_asked(
    services, domain, text: str, response: str, slot: str, value: object
) -> None:
    tracker = form_tracker(domain, "test_drive_form", "test_drive_workshop", text, customer=None)
    events, dispatcher = await run(ValidateTestDriveForm(services), tracker, domain)
    assert responses(dispatcher) == [response]  # never "In Peter Lustig haben wir ..."
    assert as_dict(events)[slot] == value
    assert as_dict(events)["test_drive_workshop"] is None


async def test_a_date_while_the_dealer_search_asks_for_a_place_is_no_town(services, domain) -> None:
    tracker = form_tracker(domain, "dealer_form", "dealer_location", "am Samstag", customer=None)
    events, dispatcher = await run(ValidateDealerForm(services), tracker, domain)
    assert responses(dispatcher) == ["utter_dealer_location_unknown"]
    assert as_dict(events)["dealer_location"] is None


async def test_a_prospects_lead_is_recorded(services, domain, crm_service_local) -> None:
    tracker = make_tracker(
        domain,
        [],
        {
            "test_drive_model": "Strato GT",
            "test_drive_workshop": {"code": "wien", "name": "Nordlicht Werkstatt Wien"},
            "test_drive_date": "Samstag vormittag",
            "test_drive_name": "Max Muster",
            "test_drive_contact": {"phone": "+43 660 1234567"},
        },
    )
    events, dispatcher = await run(ActionSubmitTestDrive(services), tracker, domain)
    assert responses(dispatcher) == ["utter_test_drive_confirmed"]
    number = dispatcher.messages[0]["lead_number"]
    lead = crm_service_local.get_lead(number)
    assert (lead.name, lead.model, lead.phone, lead.email, lead.customer_id) == (
        "Max Muster",
        "Strato GT",
        "+43 660 1234567",
        None,
        None,
    )
    assert lead.preferred_date == "Samstag vormittag"
    assert lead.workshop_id is not None  # Wien, the chosen place
    assert lead.conversation_id == slots.conversation(tracker).conversation_id
    assert dispatcher.messages[0]["contact"] == "+43 660 1234567"
    assert as_dict(events)["test_drive_model"] is None


async def test_a_customers_lead_is_in_the_history(services, domain, crm_service_local) -> None:
    tracker = make_tracker(
        domain,
        [],
        {
            "verified_customer_number": "K-100001",
            "test_drive_model": "Vela e",
            "test_drive_workshop": {"code": "muenchen-mitte", "name": "München-Mitte"},
            "test_drive_date": "05.12.2026",
            "test_drive_name": "Anna Schmidt",
            "test_drive_contact": {"email": "anna.schmidt@example.de"},
        },
    )
    _, dispatcher = await run(ActionSubmitTestDrive(services), tracker, domain)
    lead = crm_service_local.get_lead(dispatcher.messages[0]["lead_number"])
    assert lead.customer_id is not None and lead.email == "anna.schmidt@example.de"
    entry = crm_service_local.list_interactions("K-100001")[0]
    assert entry.topic == "test_drive" and "Vela e" in entry.summary


# --- account help and digressions ------------------------------------------------------


async def test_account_help_answers_or_asks(domain) -> None:
    tracker = request_tracker(domain, "Ich habe mein Passwort vergessen", "account_help")
    _, dispatcher = await run(ActionAccountHelp(), tracker, domain)
    assert responses(dispatcher) == ["utter_account_password"]
    tracker = request_tracker(domain, "/account_help", "account_help", [("account_topic", "login")])
    _, dispatcher = await run(ActionAccountHelp(), tracker, domain)
    assert responses(dispatcher) == ["utter_account_login"]
    tracker = request_tracker(domain, "Frage zur App-Sache", "account_help")
    _, dispatcher = await run(ActionAccountHelp(), tracker, domain)
    assert responses(dispatcher) == ["utter_account_menu"]


async def test_questions_in_between(services, domain) -> None:
    for intent, response in [
        ("bot_challenge", "utter_iamabot"),
        ("test_drive", "utter_digression_later"),
        ("account_help", "utter_account_menu"),
    ]:
        tracker = form_tracker(domain, "case_form", "case_since", "hm?", intent)
        _, dispatcher = await run(ActionAnswerDigression(services), tracker, domain)
        assert responses(dispatcher) == [response]


async def test_a_look_up_in_between_is_answered_for_a_verified_customer(services, domain) -> None:
    tracker = form_tracker(
        domain, "contact_change_form", "new_email", "Wo ist meine Bestellung?", "order_status"
    )
    _, dispatcher = await run(ActionAnswerDigression(services), tracker, domain)
    assert responses(dispatcher) == ["utter_order_shipped"]
    anonymous = form_tracker(
        domain,
        "dealer_form",
        "dealer_location",
        "Wo ist meine Bestellung?",
        "order_status",
        customer=None,
    )
    _, dispatcher = await run(ActionAnswerDigression(services), anonymous, domain)
    assert responses(dispatcher) == ["utter_digression_later"]
    dispute = form_tracker(
        domain, "case_form", "case_since", "Rechnung stimmt nicht", "invoice_question"
    )
    _, dispatcher = await run(ActionAnswerDigression(services), dispute, domain)
    assert responses(dispatcher) == ["utter_digression_later"]  # a case and a human: afterwards


async def test_a_model_named_later_corrects_the_test_drive(services, domain) -> None:
    tracker = form_tracker(
        domain,
        "test_drive_form",
        "test_drive_date",
        "lieber doch den Strato GT",
        customer=None,
        slots={"test_drive_model": "Vela e", "test_drive_workshop": {"code": "wien"}},
    )
    events, _ = await run(ValidateTestDriveForm(services), tracker, domain)
    # the date is asked again, in its second wording (bot.dialogue.loop_breaker.after_value_kept)
    assert as_dict(events) == {
        "test_drive_model": "Strato GT",
        "dialogue_loop": "test_drive_date:1",
    }


async def test_a_place_that_sounds_like_a_dealer_question_answers_the_test_drive(
    services, domain
) -> None:
    tracker = form_tracker(
        domain,
        "test_drive_form",
        "test_drive_workshop",
        "in der Nähe von Köln",
        "dealer_info",
        [("city", "Köln")],
        customer=None,
    )
    events, _ = await run(ValidateTestDriveForm(services), tracker, domain)
    assert as_dict(events)["test_drive_workshop"]["code"] == "koeln"


def after_offer(domain, offer: dict, answer: str):
    """The test drive's tracker after the customer answered the offer of the nearest workshops."""
    bot = {
        "event": "bot",
        "text": "Diese liegen am nächsten",
        "data": {"buttons": offer["buttons"]},
    }
    events = [
        action("action_listen"),
        user("in Hamburg", "inform", [("city", "Hamburg")]),
        action("test_drive_form"),
        bot,
        action("action_listen"),
        user(answer, "inform", []),
        slot("requested_slot", "test_drive_workshop"),
        action("test_drive_form"),
    ]
    values = {"verified_customer_number": None, "requested_slot": "test_drive_workshop"}
    return make_tracker(domain, events, values, active_loop="test_drive_form")
