"""Which intents are journeys, and which answer completes each one.

A journey is *started* when the NLU recognises its intent and *completed*
when the assistant sends one of the responses listed here (the answer the
customer came for: a booking confirmed, a status given, a case opened).
Responses are matched by name, the ``utter_action`` Rasa stores with each
bot message.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

_ORDER_STATUS = ("ordered", "in_production", "shipped", "delivered", "cancelled", "none")

COMPLETIONS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "order_status": tuple(f"utter_order_{status}" for status in _ORDER_STATUS),
        "book_appointment": ("utter_appointment_booked",),
        "reschedule_appointment": ("utter_appointment_rescheduled",),
        "cancel_appointment": ("utter_appointment_cancelled",),
        "appointment_status": (
            "utter_appointment_booked_status",
            "utter_appointment_ready",
            "utter_appointment_none_booked",
        ),
        "service_due": (
            "utter_service_due",
            "utter_service_overdue",
            "utter_service_due_unknown",
            "utter_service_already_booked",
        ),
        "recall_check": ("utter_recall_affected", "utter_recall_none"),
        "invoice_question": (
            "utter_invoice_open",
            "utter_invoice_overdue",
            "utter_invoice_all_paid",
            "utter_invoice_none",
            "utter_invoice_copy_sent",
            "utter_invoice_payment_methods",
            "utter_invoice_dispute_opened",
        ),
        "contract_info": ("utter_contract_details", "utter_contract_none", "utter_contract_ended"),
        "change_address": ("utter_contact_changed",),
        "complaint": ("utter_case_opened_complaint", "utter_case_handoff_complaint"),
        "warranty_claim": ("utter_case_opened_warranty_claim",),
        "data_privacy": ("utter_privacy_info", "utter_privacy_copy", "utter_privacy_case_opened"),
        "breakdown_help": ("utter_breakdown_hotline",),
        "dealer_info": ("utter_dealer_found", "utter_dealer_nearest", "utter_dealer_none"),
        "test_drive": ("utter_test_drive_confirmed",),
        "account_help": (
            "utter_account_login",
            "utter_account_password",
            "utter_account_connect_car",
        ),
    }
)
"""Journey intent -> names (or name prefixes) of the responses that complete it."""

JOURNEYS = frozenset(COMPLETIONS)


def completes(journey: str, response: str | None) -> bool:
    """Tell whether sending ``response`` completes ``journey``."""
    if not response:
        return False
    return any(response.startswith(name) for name in COMPLETIONS.get(journey, ()))
