"""order_status, invoice_question, contract_info and data_privacy over the real seeded CRM."""

from __future__ import annotations

from rasa_sdk.events import FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions import slots
from actions.journeys import JOURNEYS
from bot.crm.enums import CaseKind, CasePriority
from tests.actions.conftest import as_dict, responses
from tests.actions.journey_turns import request_tracker


async def serve(services, tracker, topic: str, customer: str):
    dispatcher = CollectingDispatcher()
    events = await JOURNEYS[topic](dispatcher, tracker, services, customer)
    return events, dispatcher


async def test_order_status_of_a_shipped_order(services, domain) -> None:
    tracker = request_tracker(domain, "Wo ist meine Bestellung?", "order_status")
    _, dispatcher = await serve(services, tracker, "order_status", "K-100001")
    assert responses(dispatcher) == ["utter_order_shipped"]
    message = dispatcher.messages[0]
    assert message["order_item"] == "Dachbox Nordlicht 420 L"
    assert message["order_delivery_date"] == "26.11.2026"
    assert message["order_tracking"] == "00340434161094042557"


async def test_order_status_named_order_of_another_customer_is_not_shown(services, domain) -> None:
    tracker = request_tracker(
        domain, "Was ist mit B-20250002?", "order_status", [("order_number", "B-20250002")]
    )
    _, dispatcher = await serve(services, tracker, "order_status", "K-100001")
    assert responses(dispatcher) == ["utter_order_not_found"]
    assert "Vela" not in str(dispatcher.messages)


async def test_order_status_cancelled_and_none(services, domain) -> None:
    tracker = request_tracker(domain, "Bestellung?", "order_status", customer="K-100005")
    _, dispatcher = await serve(services, tracker, "order_status", "K-100005")
    assert responses(dispatcher) == ["utter_order_cancelled"]
    _, dispatcher = await serve(services, tracker, "order_status", "K-100003")
    assert responses(dispatcher) == ["utter_order_none"]


async def test_order_status_when_the_crm_is_down(unreachable_services, domain) -> None:
    tracker = request_tracker(domain, "Bestellung?", "order_status")
    _, dispatcher = await serve(unreachable_services, tracker, "order_status", "K-100001")
    assert responses(dispatcher) == ["utter_crm_unavailable"]


async def test_invoice_overview_explains_the_reminder(services, domain) -> None:
    tracker = request_tracker(domain, "Ich habe eine Mahnung bekommen", "invoice_question")
    _, dispatcher = await serve(services, tracker, "invoice_question", "K-100003")
    assert responses(dispatcher) == [
        "utter_invoice_overdue",
        "utter_invoice_reminder_explained",
        "utter_invoice_options",
    ]
    overdue, reminder = dispatcher.messages[0], dispatcher.messages[1]
    assert overdue["invoice_amount"] == "1.245,50 €"
    assert overdue["invoice_due_date"] == "10.10.2026"
    assert reminder["invoice_reminder_date"] == "02.11.2026"


async def test_invoice_copy_is_recorded_in_the_history(services, domain, crm_service_local) -> None:
    tracker = request_tracker(
        domain, "/invoice_question", "invoice_question", [("invoice_request", "copy")]
    )
    _, dispatcher = await serve(services, tracker, "invoice_question", "K-100003")
    assert responses(dispatcher) == ["utter_invoice_copy_sent"]
    assert dispatcher.messages[0]["email"] == "so***@example.at"
    latest = crm_service_local.list_interactions("K-100003")[0]
    assert latest.topic == "invoice_copy"
    assert latest.summary.endswith(
        "Kopie der Rechnung R-20250201 per E-Mail an die hinterlegte Adresse gesendet"
    )


async def test_invoice_payment_methods(services, domain) -> None:
    tracker = request_tracker(domain, "Wie kann ich bezahlen?", "invoice_question")
    _, dispatcher = await serve(services, tracker, "invoice_question", "K-100003")
    assert responses(dispatcher) == ["utter_invoice_payment_methods"]


async def test_invoice_dispute_opens_a_case_and_goes_to_a_human(
    services, domain, crm_service_local
) -> None:
    tracker = request_tracker(
        domain, "Die Rechnung ist zu hoch, das stimmt nicht", "invoice_question"
    )
    events, dispatcher = await serve(services, tracker, "invoice_question", "K-100003")
    assert responses(dispatcher) == ["utter_invoice_dispute_opened"]
    case = crm_service_local.list_cases("K-100003")[0]
    assert case.kind is CaseKind.INVOICE_DISPUTE and case.priority is CasePriority.HIGH
    assert case.subject == "Rechnung R-20250201 beanstandet"
    assert case.description == (
        "Im Chat beanstandet (1.245,50 €, Reparatur Kupplung). "
        "Nachricht: Die Rechnung ist zu hoch, das stimmt nicht"
    )
    assert dispatcher.messages[0]["case_number"] == case.case_number
    assert as_dict(events) == {
        "handoff_reason": "invoice_dispute",
        "handoff_case_number": case.case_number,
    }
    assert events[-1] == FollowupAction("action_request_human")


async def test_invoice_copy_of_an_unknown_number(services, domain) -> None:
    tracker = request_tracker(
        domain,
        "Kopie von R-20250100 bitte",
        "invoice_question",
        [("invoice_number", "R-20250100")],  # K-100001's invoice
    )
    _, dispatcher = await serve(services, tracker, "invoice_question", "K-100003")
    assert responses(dispatcher) == ["utter_invoice_not_found"]


async def test_contract_info_of_the_leasing_contract(services, domain) -> None:
    tracker = request_tracker(domain, "Wann endet mein Leasing?", "contract_info")
    _, dispatcher = await serve(services, tracker, "contract_info", "K-100002")
    assert responses(dispatcher) == ["utter_contract_details_mileage", "utter_contract_end_leasing"]
    details = dispatcher.messages[0]
    assert details["contract_number"] == "L-77001"
    assert details["contract_rate"] == "489,00 €"
    assert details["contract_end"] == "20.08.2027"
    assert details["contract_mileage"] == "15.000"
    assert details["contract_vehicle"] == "Vela e (K-MY 812)"
    _, dispatcher = await serve(services, tracker, "contract_info", "K-100001")
    assert responses(dispatcher) == ["utter_contract_none"]


async def test_data_privacy_menu_and_explanations(services, domain) -> None:
    tracker = request_tracker(domain, "Datenschutz", "data_privacy")
    _, dispatcher = await serve(services, tracker, "data_privacy", "K-100001")
    assert responses(dispatcher) == ["utter_privacy_menu"]
    tracker = request_tracker(
        domain, "/data_privacy", "data_privacy", [("privacy_request", "info")]
    )
    _, dispatcher = await serve(services, tracker, "data_privacy", "K-100001")
    assert responses(dispatcher) == ["utter_privacy_info"]


async def test_data_privacy_deletion_becomes_a_case_for_the_privacy_team(
    services, domain, crm_service_local
) -> None:
    tracker = request_tracker(domain, "Löschen Sie bitte meine Daten", "data_privacy")
    events, dispatcher = await serve(services, tracker, "data_privacy", "K-100005")
    case = crm_service_local.list_cases("K-100005")[0]
    assert case.kind is CaseKind.PRIVACY
    assert case.subject == "Datenschutz: Antrag auf Löschung"
    assert case.description == "Im Chat gestellt. Nachricht: Löschen Sie bitte meine Daten"
    opened = crm_service_local.list_interactions("K-100005")[0]  # the agent finds the chat
    assert opened.topic == "case_opened"
    assert opened.conversation_id == slots.conversation(tracker).conversation_id
    assert responses(dispatcher) == ["utter_privacy_case_opened_deletion"]
    assert dispatcher.messages[0]["case_number"] == case.case_number
    assert as_dict(events)["handoff_reason"] == "data_privacy_request"
    assert events[-1] == FollowupAction("action_request_human")
