"""Invoices: what is open or overdue, what a reminder means, which invoice is meant."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from enum import Enum

from bot.crm.enums import InvoiceStatus
from bot.crm.identifiers import normalize_document_number
from bot.crm.schemas import Invoice
from bot.formatting import format_date, format_money
from bot.self_service.replies import Button, Reply, read_choice
from bot.time_facts import invoice_is_overdue

UNPAID = frozenset({InvoiceStatus.OPEN, InvoiceStatus.OVERDUE, InvoiceStatus.DISPUTED})


class InvoiceRequest(str, Enum):
    """What the customer wants to do about an invoice (entity ``invoice_request``)."""

    OVERVIEW = "overview"
    COPY = "copy"
    PAYMENT = "payment"
    DISPUTE = "dispute"


_KEYWORDS = (
    (
        InvoiceRequest.DISPUTE,
        re.compile(
            r"falsch|stimmt nicht|zu hoch|beanstand|widersprech|einspruch|reklamier"
            r"|nicht einverstanden|nicht korrekt"
        ),
    ),
    (
        InvoiceRequest.COPY,
        re.compile(
            r"kopie|duplikat|zweitschrift|nicht (bekommen|erhalten)|als pdf|per (e-?)?mail"
            r"|zumailen|(nochmal|noch ?mal|erneut)\b.{0,25}\b(zu)?(schicken|senden|mailen)"
        ),
    ),
    (
        InvoiceRequest.PAYMENT,
        re.compile(
            r"wie (kann|soll) ich .*(zahlen|bezahlen|überweisen)|zahlungs(möglichkeit|art|methode)"
            r"|bankverbindung|iban|lastschrift|ratenzahlung|paypal|kreditkarte"
        ),
    ),
)


def read_request(entity: str | None, text: str | None) -> InvoiceRequest:
    """Return what the customer wants: the button's entity, else keywords, else an overview."""
    wanted = read_choice(InvoiceRequest, _KEYWORDS, entity, text)
    return InvoiceRequest.OVERVIEW if wanted is None else wanted


def overview_replies(invoices: Sequence[Invoice], today: date) -> list[Reply]:
    """List open and overdue invoices with amount and due date, and explain a reminder.

    Args:
        invoices: The customer's invoices, newest first.
        today: Today's date: an open invoice past its due date is overdue.

    Returns:
        One reply per unpaid invoice (an overdue one with its reminder
        explained), or that everything is paid; then the options (buttons).

    """
    unpaid = [invoice for invoice in invoices if invoice.status in UNPAID]
    if not invoices:
        return [Reply("utter_invoice_none")]
    replies: list[Reply] = []
    if not unpaid:
        replies.append(Reply("utter_invoice_all_paid", _values(invoices[0])))
    for invoice in unpaid:
        values = _values(invoice)
        if invoice.status is InvoiceStatus.DISPUTED:
            replies.append(Reply("utter_invoice_disputed", values))
        elif invoice_is_overdue(invoice, today):
            replies.append(Reply("utter_invoice_overdue", values))
            if invoice.reminder_sent_on is not None:
                replies.append(Reply("utter_invoice_reminder_explained", values))
        else:
            replies.append(Reply("utter_invoice_open", values))
    replies.append(Reply("utter_invoice_options"))
    return replies


def find_invoice(invoices: Sequence[Invoice], asked_for: str | None) -> Invoice | None:
    """Return the invoice the customer means, or None when it is not theirs or unclear.

    A named number must be one of the customer's invoices; without one, the
    only unpaid invoice (or the only invoice at all) is meant.
    """
    if asked_for:
        number = normalize_document_number(asked_for, "R")
        return next((i for i in invoices if i.invoice_number == number), None)
    unpaid = [invoice for invoice in invoices if invoice.status in UNPAID]
    if len(unpaid) == 1:
        return unpaid[0]
    return invoices[0] if len(invoices) == 1 else None


def choice_buttons(invoices: Sequence[Invoice], request: InvoiceRequest) -> tuple[Button, ...]:
    """Return one button per invoice (unpaid first) for ``request``."""
    unpaid = [invoice for invoice in invoices if invoice.status in UNPAID]
    shown = unpaid or list(invoices[:5])
    return tuple(
        Button(
            f"{invoice.invoice_number} ({format_money(invoice.amount_eur)})",
            "invoice_question",
            {"invoice_request": request.value, "invoice_number": invoice.invoice_number},
        )
        for invoice in shown
    )


def mask_email(email: str) -> str:
    """Return an e-mail address recognisable to its owner only: ``an***@example.de``."""
    local, _, domain = email.partition("@")
    return f"{local[:2]}***@{domain}" if domain else "***"


def invoice_values(invoice: Invoice) -> dict[str, str]:
    """Return the response values of one invoice."""
    return _values(invoice)


def _values(invoice: Invoice) -> dict[str, str]:
    values = {
        "invoice_number": invoice.invoice_number,
        "invoice_subject": invoice.subject,
        "invoice_amount": format_money(invoice.amount_eur),
        "invoice_due_date": format_date(invoice.due_on),
        "invoice_issued_date": format_date(invoice.issued_on),
    }
    if invoice.reminder_sent_on is not None:
        values["invoice_reminder_date"] = format_date(invoice.reminder_sent_on)
    return values
