"""complaint and warranty_claim: the case form, the case in the CRM, the handoff."""

from __future__ import annotations

import pytest
from rasa_sdk.events import FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions.breakdown import ActionAskBreakdownVehicle, ValidateBreakdownForm
from actions.cases import ActionAskCaseVehicle, ActionSubmitCase, ValidateCaseForm
from actions.journeys import JOURNEYS
from bot.crm.enums import CaseKind, CasePriority
from bot.crm.seed.population import customer_number
from bot.vehicles import vehicle_label
from tests.actions.conftest import as_dict, make_tracker, responses
from tests.actions.journey_turns import form_tracker, request_tracker

VIN_K100001 = "WNL0AUR0T2021A001"


async def test_a_complaint_starts_the_form_with_what_was_said(services, domain) -> None:
    text = "Mein Auto macht seit der Inspektion ein Schleifgeräusch vorne links"
    dispatcher = CollectingDispatcher()
    events = await JOURNEYS["complaint"](
        dispatcher, request_tracker(domain, text, "complaint"), services, "K-100001"
    )
    assert responses(dispatcher) == ["utter_case_intro_complaint"]
    assert as_dict(events) == {
        "case_kind": "complaint",
        "case_description": text,
        "case_since": "seit der Inspektion",
        "case_vehicle": VIN_K100001,  # the only vehicle
    }
    assert events[-1] == FollowupAction("case_form")


async def test_a_short_request_asks_what_happened(services, domain) -> None:
    dispatcher = CollectingDispatcher()
    events = await JOURNEYS["warranty_claim"](
        dispatcher,
        request_tracker(domain, "Ist das Garantie?", "warranty_claim"),
        services,
        "K-100005",
    )
    assert as_dict(events) == {
        "case_kind": "warranty_claim",
        "case_vehicle": "none",
        "case_description": None,  # left over from an earlier, unfinished form: emptied
        "case_since": None,
    }


async def validate(services, domain, asked, text, intent="inform", slots=None):
    dispatcher = CollectingDispatcher()
    tracker = form_tracker(domain, "case_form", asked, text, intent, slots=slots)
    events = await ValidateCaseForm(services).run(dispatcher, tracker, domain)
    return as_dict(events), dispatcher


async def test_the_description_is_taken_as_written(services, domain) -> None:
    values, _ = await validate(services, domain, "case_description", "Die Tür klemmt", "complaint")
    assert values == {"case_description": "Die Tür klemmt"}


async def test_a_question_in_between_is_not_an_answer(services, domain) -> None:
    values, dispatcher = await validate(
        services, domain, "case_description", "Was kannst du?", "help"
    )
    assert values == {} and responses(dispatcher) == []  # the form rejects; a rule answers


async def test_a_description_that_sounds_like_another_topic_is_still_an_answer(
    services, domain
) -> None:
    values, _ = await validate(
        services, domain, "case_description", "Die Lieferung kam beschädigt an", "order_status"
    )
    assert values == {"case_description": "Die Lieferung kam beschädigt an"}


async def test_stop_clears_the_form(services, domain) -> None:
    values, dispatcher = await validate(
        services, domain, "case_since", "abbrechen", slots={"case_description": "x"}
    )
    assert responses(dispatcher) == ["utter_form_stopped"]
    assert values["case_description"] is None and values["requested_slot"] is None


async def test_a_long_description_with_a_stop_word_is_an_answer_not_a_stop(
    services, domain
) -> None:
    """The one form policy: "doch nicht" inside a long free-text answer does not stop the form."""
    text = "Die Klimaanlage kühlt doch nicht mehr richtig, seit zwei Wochen schon"
    values, dispatcher = await validate(services, domain, "case_description", text, "complaint")
    assert responses(dispatcher) == []
    assert values == {"case_description": text}


async def submit(services, domain, customer, topic, description, vin="none"):
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(
        domain,
        [],
        {
            "verified_customer_number": customer,
            "case_kind": topic,
            "case_description": description,
            "case_vehicle": vin,
            "case_since": "seit letzter Woche",
        },
    )
    events = await ActionSubmitCase(services).run(dispatcher, tracker, domain)
    return events, dispatcher


async def test_a_standard_complaint_gets_a_case_number(services, domain, crm_service_local) -> None:
    events, dispatcher = await submit(
        services, domain, "K-100002", "complaint", "Der Lack hat Kratzer", "WNL0VEL0E2022B002"
    )
    case = crm_service_local.list_cases("K-100002")[0]
    assert case.kind is CaseKind.COMPLAINT and case.priority is CasePriority.NORMAL
    assert case.subject == "Reklamation: Der Lack hat Kratzer"
    assert "Vela e (K-MY 812)" in case.description and "seit letzter Woche" in case.description
    assert responses(dispatcher) == ["utter_case_opened_complaint"]
    assert dispatcher.messages[0]["case_number"] == case.case_number
    assert not any(isinstance(e, dict) and e.get("event") == "followup" for e in events)


async def test_a_second_complaint_on_the_same_noise_goes_to_a_human(
    services, domain, crm_service_local
) -> None:
    events, dispatcher = await submit(
        services, domain, "K-100004", "complaint", "Das Fahrwerk macht wieder dieses Geräusch"
    )
    case = crm_service_local.list_cases("K-100004")[0]
    assert case.priority is CasePriority.HIGH
    assert responses(dispatcher) == [
        "utter_case_opened_complaint",
        "utter_case_handoff_complaint_repeated",
    ]
    assert as_dict(events)["handoff_reason"] == "complaint_repeated"
    assert as_dict(events)["handoff_case_number"] == case.case_number
    assert events[-1] == FollowupAction("action_request_human")


async def test_a_gold_customers_complaint_goes_to_a_human(services, domain) -> None:
    events, dispatcher = await submit(services, domain, "K-100001", "complaint", "Lack zerkratzt")
    assert as_dict(events)["handoff_reason"] == "complaint_vip"
    assert responses(dispatcher)[-1] == "utter_case_handoff_complaint_vip"


async def test_a_warranty_claim_of_a_gold_customer_stays_in_the_chat(
    services, domain, crm_service_local
) -> None:
    events, dispatcher = await submit(
        services, domain, "K-100001", "warranty_claim", "Radio defekt"
    )
    assert responses(dispatcher) == ["utter_case_opened_warranty_claim"]
    assert "handoff_reason" not in as_dict(events)
    assert crm_service_local.list_cases("K-100001")[0].kind is CaseKind.WARRANTY


async def test_crm_down_at_submission(unreachable_services, domain) -> None:
    _, dispatcher = await submit(unreachable_services, domain, "K-100001", "complaint", "x y")
    assert responses(dispatcher) == ["utter_case_not_saved"]


async def test_a_stopped_form_writes_nothing(services, domain, crm_service_local) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(domain, [], {"verified_customer_number": "K-100001"})
    await ActionSubmitCase(services).run(dispatcher, tracker, domain)
    assert responses(dispatcher) == [] and crm_service_local.list_cases("K-100001") == []


async def test_the_case_records_what_happened_since_when_and_the_vehicle(
    services, domain, crm_service_local
) -> None:
    await submit(
        services, domain, "K-100002", "complaint", "Der Lack hat Kratzer", "WNL0VEL0E2022B002"
    )
    await submit(services, domain, "K-100001", "warranty_claim", "Das Radio ist stumm")
    complaint = crm_service_local.list_cases("K-100002")[0]
    assert complaint.description == (
        "Der Lack hat Kratzer\n\nSeit: seit letzter Woche\n"
        "Fahrzeug: Vela e (K-MY 812), FIN WNL0VEL0E2022B002"
    )
    claim = next(c for c in crm_service_local.list_cases("K-100001") if c.kind is CaseKind.WARRANTY)
    assert claim.description == (
        "Das Radio ist stumm\n\nSeit: seit letzter Woche\nFahrzeug: keines angegeben"
    )


# --- which vehicle (case and breakdown forms share it) ----------------------------


def _two_vehicle_owner(crm_service_local):
    """A generated customer with two vehicles (the demo customers have one or none)."""
    for index in range(1, 21):
        profile = crm_service_local.get_profile(customer_number(index))
        if len(profile.vehicles) == 2:
            return profile
    raise AssertionError("no generated customer with two vehicles")


@pytest.mark.parametrize(
    ("ask", "response"),
    [
        (ActionAskCaseVehicle, "utter_ask_case_vehicle"),
        (ActionAskBreakdownVehicle, "utter_ask_breakdown_vehicle"),
    ],
)
async def test_which_vehicle_is_asked_with_one_button_per_vehicle(
    ask, response, services, domain, crm_service_local
) -> None:
    profile = _two_vehicle_owner(crm_service_local)
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(
        domain, [], {"verified_customer_number": profile.customer.customer_number}
    )
    assert await ask(services).run(dispatcher, tracker, domain) == []
    assert responses(dispatcher) == [response]
    assert dispatcher.messages[0]["buttons"] == [
        {"title": vehicle_label(v), "payload": f'/inform{{"vin": "{v.vin}"}}'}
        for v in profile.vehicles
    ]


@pytest.mark.parametrize(
    ("validation", "form", "slot"),
    [
        (ValidateCaseForm, "case_form", "case_vehicle"),
        (ValidateBreakdownForm, "breakdown_form", "breakdown_vehicle"),
    ],
)
async def test_the_vehicle_is_read_from_its_plate_and_an_unknown_one_asked_again(
    validation, form, slot, services, unreachable_services, domain, crm_service_local
) -> None:
    profile = _two_vehicle_owner(crm_service_local)
    second = profile.vehicles[1]
    customer = profile.customer.customer_number

    async def answer(text, used=services):
        dispatcher = CollectingDispatcher()
        tracker = form_tracker(domain, form, slot, text, customer=customer)
        return as_dict(await validation(used).run(dispatcher, tracker, domain)), dispatcher

    values, dispatcher = await answer(f"Das mit {second.plate}")
    assert values[slot] == second.vin and responses(dispatcher) == []
    values, dispatcher = await answer("der Traktor")
    assert values[slot] is None
    assert responses(dispatcher) == ["utter_case_vehicle_unknown"]
    values, _ = await answer("der Traktor", unreachable_services)  # without the CRM: no vehicle
    assert values[slot] == "none"
