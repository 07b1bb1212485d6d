"""The customer's topics: which need a verified identity, and how the history names them.

A topic is what the customer asked for, named like the intent the NLU
recognises ("order_status"). Topics about the customer's own records
(orders, appointments, invoices, contracts, cases, vehicle data) are only
served after the customer's identity is verified; general topics (breakdown
help, dealers, test drives, portal help) never need it.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

PERSONAL_TOPICS: Mapping[str, str] = MappingProxyType(
    {
        "order_status": "Frage zum Stand einer Bestellung",
        "book_appointment": "Wunsch nach einem Werkstatttermin",
        "reschedule_appointment": "Wunsch, einen Werkstatttermin zu verschieben",
        "cancel_appointment": "Wunsch, einen Werkstatttermin abzusagen",
        "appointment_status": "Frage zum Stand eines Werkstatttermins",
        "invoice_question": "Frage zu einer Rechnung",
        "contract_info": "Frage zu einem Vertrag",
        "change_address": "Wunsch, Adresse oder Kontaktdaten zu ändern",
        "complaint": "Beschwerde",
        "warranty_claim": "Meldung eines möglichen Garantiefalls",
        "recall_check": "Frage zu Rückrufaktionen",
        "service_due": "Frage zur Servicefälligkeit",
        "data_privacy": "Anliegen zum Datenschutz",
    }
)
"""Topics that need a verified customer, with the summary the history records."""

CONVERSATIONAL_INTENTS = frozenset(
    {
        "greet",
        "goodbye",
        "thank",
        "affirm",
        "deny",
        "bot_challenge",
        "help",
        "inform",
        "out_of_scope",
        "give_feedback",
        "express_frustration",
        "nlu_fallback",
    }
)
"""Intents that carry no request of their own: greetings, yes and no, feedback, ..."""

IDENTIFIED = "identified"
"""Topic of the history entry that records how the customer was identified."""


def needs_verification(topic: str | None) -> bool:
    """Tell whether serving ``topic`` needs a verified customer."""
    return topic in PERSONAL_TOPICS
