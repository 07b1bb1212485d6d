"""invoice_question: open invoices, reminders, a copy by e-mail, payment methods, disputes."""

from __future__ import annotations

import logging

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions import slots
from actions.journey_support import crm_call, hand_over, open_case, request_message, send
from actions.services import Services
from bot.crm.enums import CaseKind, CasePriority
from bot.crm.errors import CRMError
from bot.crm.schemas import CustomerProfile, InteractionCreate
from bot.self_service.invoices import (
    InvoiceRequest,
    choice_buttons,
    find_invoice,
    invoice_values,
    mask_email,
    overview_replies,
    read_request,
)
from bot.self_service.replies import Reply

logger = logging.getLogger(__name__)

INVOICE_DISPUTE = "invoice_dispute"


async def serve_invoice_question(
    dispatcher: CollectingDispatcher, tracker: Tracker, services: Services, customer: str
) -> list[EventType]:
    """Give the overview, or send a copy, explain payment, or open a dispute."""
    request = request_message(tracker, "invoice_question")
    wanted = read_request(request.entity("invoice_request"), request.text)
    if wanted is InvoiceRequest.PAYMENT:  # a fixed answer: no CRM read
        dispatcher.utter_message(response="utter_invoice_payment_methods")
        return []
    try:
        profile = await services.profile(customer)
        if wanted is InvoiceRequest.OVERVIEW:
            send(dispatcher, overview_replies(profile.invoices, services.today()))
            return []
        invoice = find_invoice(profile.invoices, request.entity("invoice_number"))
        if invoice is None:
            return _which_invoice(dispatcher, profile, request.entity("invoice_number"), wanted)
        conversation = slots.conversation(tracker)
        values = invoice_values(invoice)
        if wanted is InvoiceRequest.COPY:
            await crm_call(
                services.crm.record_interaction(
                    customer,
                    InteractionCreate(
                        **conversation.origin(),
                        topic="invoice_copy",
                        case_number=None,
                        occurred_at=None,
                        summary=f"Kopie der Rechnung {invoice.invoice_number} per E-Mail "
                        "an die hinterlegte Adresse gesendet",
                    ),
                )
            )
            dispatcher.utter_message(
                response="utter_invoice_copy_sent",
                email=mask_email(profile.customer.email),
                **values,
            )
            return []
        created = await open_case(
            services,
            tracker,
            customer,
            kind=CaseKind.INVOICE_DISPUTE,
            subject=f"Rechnung {invoice.invoice_number} beanstandet",
            description=f"Im Chat beanstandet ({values['invoice_amount']}, "
            f"{invoice.subject}). Nachricht: {request.text[:3000]}",
            priority=CasePriority.HIGH,
        )
    except CRMError as error:
        logger.warning("Invoice journey failed: %s", error)
        dispatcher.utter_message(response="utter_crm_unavailable")
        return []
    dispatcher.utter_message(
        response="utter_invoice_dispute_opened", case_number=created.case_number, **values
    )
    return hand_over(INVOICE_DISPUTE, created.case_number)


def _which_invoice(
    dispatcher: CollectingDispatcher,
    profile: CustomerProfile,
    asked_for: str | None,
    wanted: InvoiceRequest,
) -> list[EventType]:
    if not profile.invoices:
        dispatcher.utter_message(response="utter_invoice_none")
        return []
    if asked_for:
        dispatcher.utter_message(
            response="utter_invoice_not_found", invoice_number=(asked_for or "").upper()
        )
        return []
    send(
        dispatcher,
        [Reply("utter_invoice_choose", buttons=choice_buttons(profile.invoices, wanted))],
    )
    return []
