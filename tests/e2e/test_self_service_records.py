"""End to end: order status, invoices, contracts and data privacy with the demo customers."""

from __future__ import annotations

from datetime import date

import pytest

from bot.self_service.contracts import term_months
from tests.e2e.chat import Chat, crm_history, customer_token, wait_for
from tests.support.demo_dates import DemoCalendar

pytestmark = [pytest.mark.model, pytest.mark.e2e]


def test_order_status_after_verification_names_status_date_and_tracking(
    rasa_server, demo_calendar: DemoCalendar
) -> None:
    chat = Chat(rasa_server)
    answer = chat.verify("K-100001", "80331").text
    assert "Guten Tag Frau Schmidt" in answer
    delivery = demo_calendar.shown("today+3d")
    assert f"ist versandt und kommt voraussichtlich am {delivery}" in answer
    assert "Sendungsnummer: 00340434161094042557" in answer
    unknown = chat.say('/order_status{"order_number": "B-20250002"}').text  # K-100002's order
    assert "finde ich in Ihrem Kundenkonto nicht" in unknown and "Vela" not in unknown


def test_invoice_reminder_explained_copy_sent_and_recorded(
    rasa_server, crm_server, demo_calendar: DemoCalendar
) -> None:
    chat = Chat(rasa_server, metadata={"customer_token": customer_token("K-100003")})
    turn = chat.say("Ich habe eine Mahnung bekommen, was ist da los?")
    assert "Überfällig: Rechnung R-20250201 (Reparatur Kupplung) über 1.245,50 €" in turn.text
    assert f"war am {demo_calendar.shown('today-44d')} fällig" in turn.text
    assert f"am {demo_calendar.shown('today-21d')} eine Zahlungserinnerung" in turn.text
    assert '/invoice_question{"invoice_request": "copy"}' in turn.buttons
    copy = chat.say('/invoice_question{"invoice_request": "copy"}').text
    assert "Kopie der Rechnung R-20250201" in copy and "so***@example.at" in copy
    assert wait_for(
        lambda: any(e["topic"] == "invoice_copy" for e in crm_history(crm_server, "K-100003"))
    )
    payment = chat.say('/invoice_question{"invoice_request": "payment"}').text
    assert "SEPA-Lastschrift" in payment


def test_contract_info_of_the_leasing_contract(rasa_server, demo_calendar: DemoCalendar) -> None:
    chat = Chat(rasa_server, metadata={"customer_token": customer_token("K-100002")})
    text = chat.say("Wann endet mein Leasingvertrag?").text
    months = term_months(date(2022, 9, 1), demo_calendar.day("today+270d"))
    end = demo_calendar.shown("today+270d")
    for fact in ["L-77001", "489,00 €", f"{months} Monate", end, "15.000 km", "zurück"]:
        assert fact in text, (fact, text)


def test_privacy_menu_then_explanation(rasa_server) -> None:
    chat = Chat(rasa_server, metadata={"customer_token": customer_token("K-100001")})
    menu = chat.say("Ich habe eine Frage zum Datenschutz")
    assert '/data_privacy{"privacy_request": "deletion"}' in menu.buttons
    info = chat.say('/data_privacy{"privacy_request": "info"}').text
    assert "Stammdaten" in info


def test_order_status_with_the_crm_down_is_answered_politely(rasa_server, crm_server) -> None:
    chat = Chat(rasa_server, metadata={"customer_token": customer_token("K-100002")})
    assert "Herr Yilmaz" in chat.say("Hallo").text
    with crm_server.stopped():
        turn = chat.say("Wo ist meine Bestellung?")
        assert "unser Kundensystem antwortet gerade nicht" in turn.text
        assert turn.seconds < 3.0
    assert "in Produktion" in chat.say("Wo ist meine Bestellung?").text


def test_a_deletion_request_becomes_a_case_and_goes_to_a_human(rasa_server, crm_server) -> None:
    # K-100005: an extra open case does not change what her greeting test checks
    chat = Chat(rasa_server, metadata={"customer_token": customer_token("K-100005")})
    text = chat.say("Löschen Sie bitte alle meine Daten").text
    assert "Antrag auf Löschung" in text and "als Fall C-" in text
    number = text.split("als Fall ")[1].split(" ")[0]
    actions = [e["name"] for e in chat.tracker()["events"] if e["event"] == "action"]
    assert "action_request_human" in actions
    assert wait_for(
        lambda: any(e["case_number"] == number for e in crm_history(crm_server, "K-100005"))
    )
