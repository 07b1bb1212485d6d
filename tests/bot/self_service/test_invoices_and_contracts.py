from datetime import date
from decimal import Decimal

import pytest

from bot.crm.enums import ContractKind, InvoiceStatus
from bot.crm.schemas import Contract, Invoice
from bot.self_service.contracts import contract_replies, term_months
from bot.self_service.invoices import (
    InvoiceRequest,
    choice_buttons,
    find_invoice,
    mask_email,
    overview_replies,
    read_request,
)


def invoice(number: str, status: InvoiceStatus, reminder=None) -> Invoice:
    return Invoice(
        invoice_number=number,
        amount_eur=Decimal("1245.50"),
        status=status,
        issued_on=date(2026, 9, 10),
        due_on=date(2026, 10, 10),
        reminder_sent_on=reminder,
        subject="Reparatur Kupplung",
    )


def test_an_overdue_invoice_is_listed_with_its_reminder_explained() -> None:
    replies = overview_replies([invoice("R-1", InvoiceStatus.OVERDUE, date(2026, 11, 2))])
    assert [r.response for r in replies] == [
        "utter_invoice_overdue",
        "utter_invoice_reminder_explained",
        "utter_invoice_options",
    ]
    assert replies[0].values["invoice_amount"] == "1.245,50 €"
    assert replies[0].values["invoice_due_date"] == "10.10.2026"
    assert replies[1].values["invoice_reminder_date"] == "02.11.2026"


def test_paid_invoices_only_and_no_invoices() -> None:
    paid = overview_replies([invoice("R-1", InvoiceStatus.PAID)])
    assert [r.response for r in paid] == ["utter_invoice_all_paid", "utter_invoice_options"]
    assert [r.response for r in overview_replies([])] == ["utter_invoice_none"]


@pytest.mark.parametrize(
    ("entity", "text", "expected"),
    [
        ("copy", "", InvoiceRequest.COPY),
        (None, "Können Sie mir eine Kopie der Rechnung schicken?", InvoiceRequest.COPY),
        (None, "Der Betrag ist zu hoch, das stimmt nicht", InvoiceRequest.DISPUTE),
        (None, "Wie kann ich die Rechnung bezahlen?", InvoiceRequest.PAYMENT),
        (None, "Ich habe eine Mahnung bekommen", InvoiceRequest.OVERVIEW),
        ("nonsense", "", InvoiceRequest.OVERVIEW),
    ],
)
def test_what_the_customer_wants_about_an_invoice(entity, text, expected) -> None:
    assert read_request(entity, text) is expected


def test_the_meant_invoice_is_the_named_one_of_the_customer_or_the_only_unpaid_one() -> None:
    invoices = [
        invoice("R-20250002", InvoiceStatus.PAID),
        invoice("R-20250001", InvoiceStatus.OPEN),
    ]
    assert find_invoice(invoices, None).invoice_number == "R-20250001"
    assert find_invoice(invoices, "r20250002").invoice_number == "R-20250002"
    assert find_invoice(invoices, "R-77777777") is None  # not this customer's


def test_the_email_on_file_is_masked() -> None:
    assert mask_email("sophie.wagner@example.at") == "so***@example.at"


def test_contract_facts_and_what_happens_at_the_end() -> None:
    contract = Contract(
        contract_number="L-77001",
        kind=ContractKind.LEASING,
        vehicle_vin=None,
        monthly_rate_eur=Decimal("489.00"),
        start_date=date(2022, 9, 1),
        end_date=date(2027, 8, 31),
        mileage_allowance_km_per_year=15000,
    )
    replies = contract_replies([contract], [], date(2026, 11, 23))
    assert [r.response for r in replies] == [
        "utter_contract_details_mileage",
        "utter_contract_end_leasing",
    ]
    assert replies[0].values["contract_rate"] == "489,00 €"
    assert replies[0].values["contract_months"] == "60"
    assert replies[0].values["contract_end"] == "31.08.2027"
    assert replies[0].values["contract_mileage"] == "15.000"
    assert contract_replies([], [], date(2026, 11, 23))[0].response == "utter_contract_none"
    ended = contract_replies([contract], [], date(2027, 9, 1))
    assert [r.response for r in ended] == ["utter_contract_ended"]


def test_term_in_months() -> None:
    assert term_months(date(2022, 9, 1), date(2027, 8, 31)) == 60
    assert term_months(date(2022, 9, 15), date(2027, 9, 14)) == 60
    assert term_months(date(2024, 1, 1), date(2024, 12, 31)) == 12


def test_several_unpaid_invoices_are_offered_as_buttons() -> None:
    invoices = [
        invoice("R-20250002", InvoiceStatus.OPEN),
        invoice("R-20250001", InvoiceStatus.OVERDUE),
    ]
    assert find_invoice(invoices, None) is None  # unclear: ask
    buttons = [b.as_dict() for b in choice_buttons(invoices, InvoiceRequest.COPY)]
    assert buttons[0] == {
        "title": "R-20250002 (1.245,50 €)",
        "payload": '/invoice_question{"invoice_request": "copy", "invoice_number": "R-20250002"}',
    }
    assert len(buttons) == 2
