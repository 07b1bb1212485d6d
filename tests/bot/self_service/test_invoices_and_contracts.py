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

TODAY = date(2026, 11, 23)


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
    replies = overview_replies([invoice("R-1", InvoiceStatus.OVERDUE, date(2026, 11, 2))], TODAY)
    assert [r.response for r in replies] == [
        "utter_invoice_overdue",
        "utter_invoice_reminder_explained",
        "utter_invoice_options",
    ]
    assert replies[0].values["invoice_amount"] == "1.245,50 €"
    assert replies[0].values["invoice_due_date"] == "10.10.2026"
    assert replies[1].values["invoice_reminder_date"] == "02.11.2026"


def test_paid_invoices_only_and_no_invoices() -> None:
    paid = overview_replies([invoice("R-1", InvoiceStatus.PAID)], TODAY)
    assert [r.response for r in paid] == ["utter_invoice_all_paid", "utter_invoice_options"]
    assert [r.response for r in overview_replies([], TODAY)] == ["utter_invoice_none"]


@pytest.mark.parametrize(
    ("entity", "text", "expected"),
    [
        ("copy", "", InvoiceRequest.COPY),
        (None, "Können Sie mir eine Kopie der Rechnung schicken?", InvoiceRequest.COPY),
        (None, "Können Sie mir die Rechnung nochmal per Mail schicken?", InvoiceRequest.COPY),
        (None, "bitte schickt mir die rechnung per e-mail zu", InvoiceRequest.COPY),
        (None, "Schicken Sie mir R-50000050 noch einmal", InvoiceRequest.OVERVIEW),
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


@pytest.mark.parametrize(
    ("due", "today", "response"),
    [
        (date(2026, 11, 30), date(2026, 11, 30), "utter_invoice_open"),  # due today: month end
        (date(2026, 11, 30), date(2026, 12, 1), "utter_invoice_overdue"),
        (date(2026, 12, 31), date(2027, 1, 1), "utter_invoice_overdue"),  # year end
        (date(2028, 2, 29), date(2028, 2, 29), "utter_invoice_open"),  # leap day
        (date(2028, 2, 29), date(2028, 3, 1), "utter_invoice_overdue"),
        (date(2026, 11, 28), date(2026, 11, 29), "utter_invoice_overdue"),  # Saturday -> Sunday
    ],
)
def test_an_open_invoice_past_its_due_date_is_called_overdue(
    due: date, today: date, response: str
) -> None:
    unpaid = invoice("R-1", InvoiceStatus.OPEN).copy(update={"due_on": due})
    replies = overview_replies([unpaid], today)
    assert [r.response for r in replies] == [response, "utter_invoice_options"]
    assert replies[0].values["invoice_due_date"] == f"{due:%d.%m.%Y}"


RUNNING = ["utter_contract_details", "utter_contract_end_service"]


@pytest.mark.parametrize(
    ("end", "today", "responses"),
    [
        (date(2026, 12, 31), date(2026, 12, 31), RUNNING),
        (date(2026, 12, 31), date(2027, 1, 1), ["utter_contract_ended"]),  # year end
        (date(2028, 2, 29), date(2028, 2, 29), RUNNING),
        (date(2028, 2, 29), date(2028, 3, 1), ["utter_contract_ended"]),  # leap day
        (date(2026, 11, 30), date(2026, 12, 1), ["utter_contract_ended"]),  # month end
    ],
)
def test_a_contract_runs_through_its_last_day_and_has_ended_after_it(
    end: date, today: date, responses: list[str]
) -> None:
    contract = Contract(
        contract_number="S-1",
        kind=ContractKind.SERVICE,
        vehicle_vin=None,
        monthly_rate_eur=Decimal("39.90"),
        start_date=date(2024, 1, 1),
        end_date=end,
        mileage_allowance_km_per_year=None,
    )
    replies = contract_replies([contract], [], today)
    assert [r.response for r in replies] == responses
    assert replies[0].values["contract_end"] == f"{end:%d.%m.%Y}"
