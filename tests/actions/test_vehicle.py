"""Service due dates and recall checks over the real CRM (in process), and the offered booking."""

from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher

from actions.vehicle import (
    ActionAcceptAppointmentOffer,
    ActionDeclineAppointmentOffer,
    recall_check,
    service_due,
)
from tests.actions.conftest import as_dict, make_tracker, responses, user

WAGNER_VIN = "WNL0AUR0S2019C003"


async def serve(journey, services, domain, customer, message):
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(domain, [message], {"verified_customer_number": customer})
    events = await journey(dispatcher, tracker, services, customer)
    return as_dict(events), dispatcher


async def test_the_next_service_is_named_and_a_booking_offered(services, domain) -> None:
    values, dispatcher = await serve(
        service_due, services, domain, "K-100002", user("Wann muss ich zum Service?", "service_due")
    )
    assert responses(dispatcher) == ["utter_service_due", "utter_offer_service_appointment"]
    assert dispatcher.messages[0]["service_due_date"] == "09.12.2026"
    assert dispatcher.messages[0]["vehicle"] == "Vela e (K-MY 812)"
    assert values == {"appointment_offer": "inspection:WNL0VEL0E2022B002"}


async def test_an_overdue_service_is_said_as_such(services, domain) -> None:
    _, dispatcher = await serve(
        service_due, services, domain, "K-100003", user("Service fällig?", "service_due")
    )
    assert responses(dispatcher)[0] == "utter_service_overdue"
    assert dispatcher.messages[0]["service_due_date"] == "01.10.2026"


async def test_a_booked_inspection_is_named_instead_of_an_offer(services, domain) -> None:
    values, dispatcher = await serve(
        service_due, services, domain, "K-100001", user("Service fällig?", "service_due")
    )
    assert responses(dispatcher) == ["utter_service_due", "utter_service_already_booked"]
    assert dispatcher.messages[1]["appointment_date"] == "02.12.2026"
    assert values == {}


async def test_no_vehicle_on_file(services, domain) -> None:
    values, dispatcher = await serve(
        service_due, services, domain, "K-100005", user("Service fällig?", "service_due")
    )
    assert responses(dispatcher) == ["utter_no_vehicle_on_file"]
    assert values == {}


async def test_service_due_with_the_crm_down(unreachable_services, domain) -> None:
    _, dispatcher = await serve(
        service_due, unreachable_services, domain, "K-100002", user("Service?", "service_due")
    )
    assert responses(dispatcher) == ["utter_service_due_unavailable"]


async def test_an_affected_vehicle_gets_the_remedy_and_an_offer(services, domain) -> None:
    values, dispatcher = await serve(
        recall_check, services, domain, "K-100003", user("Rückruf?", "recall_check")
    )
    assert responses(dispatcher) == ["utter_recall_affected", "utter_offer_recall_appointment"]
    message = dispatcher.messages[0]
    assert message["campaign_code"] == "RC-2026-07"
    assert message["recall_title"] == "Austausch Bremsschlauch vorne"
    assert message["recall_remedy"].startswith("Kostenloser Austausch")
    assert message["vehicle"] == "Aurora Limousine (W-12345A)"
    assert values == {"appointment_offer": f"recall:{WAGNER_VIN}"}


async def test_an_unaffected_vehicle_is_said_to_be_fine(services, domain) -> None:
    values, dispatcher = await serve(
        recall_check, services, domain, "K-100001", user("Rückruf?", "recall_check")
    )
    assert responses(dispatcher) == ["utter_recall_none"]
    assert dispatcher.messages[0]["vehicle"] == "Aurora Touring (M-AS 2004)"
    assert values == {}


async def test_a_vin_given_by_the_customer_is_checked(services, domain) -> None:
    message = user(f"Ist {WAGNER_VIN} betroffen?", "recall_check", [("vin", WAGNER_VIN)])
    _, dispatcher = await serve(recall_check, services, domain, "K-100001", message)
    # not her car: the remedy is named, no appointment is offered for it
    assert responses(dispatcher) == ["utter_recall_affected"]


async def test_a_malformed_vin_is_said(services, domain) -> None:
    message = user("FIN WNL0 betroffen?", "recall_check", [("vin", "WNL0")])
    _, dispatcher = await serve(recall_check, services, domain, "K-100001", message)
    assert responses(dispatcher) == ["utter_recall_invalid_vehicle"]


async def test_yes_to_the_offer_prefills_the_booking(services, domain) -> None:
    tracker = make_tracker(
        domain,
        [user("ja", "affirm")],
        {"verified_customer_number": "K-100003", "appointment_offer": f"recall:{WAGNER_VIN}"},
    )
    events = await ActionAcceptAppointmentOffer(services).run(
        CollectingDispatcher(), tracker, domain
    )
    values = as_dict(events)
    assert values["appointment_offer"] is None
    assert values["appointment_service"] == "recall"
    assert values["appointment_vehicle"] == WAGNER_VIN
    assert not [e for e in events if e.get("event") == "followup"]  # the rule starts the form


async def test_no_to_the_offer_forgets_it(domain) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(domain, [user("nein", "deny")], {"appointment_offer": "inspection:X"})
    events = await ActionDeclineAppointmentOffer().run(dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_appointment_offer_declined"]
    assert as_dict(events) == {"appointment_offer": None}


async def test_a_hung_crm_costs_the_journey_only_what_is_left_of_the_turn(
    hung_services, domain
) -> None:
    import time

    message = user("Service?", "service_due")
    message["timestamp"] = time.time() - 2.0  # the greeting has waited for the CRM already
    tracker = make_tracker(domain, [message], {"verified_customer_number": "K-100002"})
    dispatcher = CollectingDispatcher()
    started = time.perf_counter()
    await service_due(dispatcher, tracker, hung_services, "K-100002")
    assert time.perf_counter() - started < 1.0
    assert responses(dispatcher) == ["utter_service_due_unavailable"]


async def test_an_offer_not_taken_up_is_dropped_by_the_next_request(services, domain) -> None:
    from actions.journeys import ActionResumeRequest

    tracker = make_tracker(
        domain,
        [user("Wann ist mein Termin?", "appointment_status")],
        {
            "verified_customer_number": "K-100001",
            "customer_greeted": True,
            "requested_intent": "appointment_status",
            "appointment_offer": "inspection:WNL0AUR0T2021A001",
        },
    )
    events = await ActionResumeRequest(services).run(CollectingDispatcher(), tracker, domain)
    assert as_dict(events)["appointment_offer"] is None
    await services.conversation_log.drain()
