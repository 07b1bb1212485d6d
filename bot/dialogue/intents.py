"""Intent groups: which messages leave a form, which are questions in between, yes and no."""

from __future__ import annotations

AFFIRM = "affirm"
DENY = "deny"
INFORM = "inform"

LEAVING = frozenset({"request_human", "breakdown_help", "goodbye"})
"""Intents that leave any form, never read as an answer (rules handle them)."""

DIGRESSIONS = frozenset(
    {
        "help",
        "bot_challenge",
        "out_of_scope",
        "express_frustration",
        "account_help",
        "order_status",
        "invoice_question",
        "contract_info",
        "change_address",
        "complaint",
        "warranty_claim",
        "data_privacy",
        "dealer_info",
        "test_drive",
        "book_appointment",
        "reschedule_appointment",
        "cancel_appointment",
        "appointment_status",
        "recall_check",
        "service_due",
    }
)
"""Intents of questions answered in between (unless the form is about them)."""

META_QUESTIONS = frozenset({"help", "bot_challenge"})
"""The only digressions while a free-text question is open."""

NOT_UNDERSTOOD = frozenset({"out_of_scope", "nlu_fallback"})
"""Messages the assistant cannot place: inside a form, an answer that missed the question."""

SMALL_TALK = frozenset({"out_of_scope", "bot_challenge", "express_frustration"})
"""Remarks that are never an identity (the verification form leaves them to the rules)."""

APPOINTMENT_ANSWERS = frozenset(
    {
        INFORM,
        AFFIRM,
        DENY,
        "nlu_fallback",
        "out_of_scope",  # a free answer ("Atlantis") often looks out of scope
        "book_appointment",
        "reschedule_appointment",
        "cancel_appointment",
        "appointment_status",
    }
)
"""Intents of messages that answer an appointment question even when nothing is recognised."""

YES_WORDS = frozenset(
    {"ja", "jawohl", "ja bitte", "gern", "gerne", "passt", "ok", "okay", "genau", "richtig"}
)
"""Whole messages that mean yes, whatever the classifier says."""
NO_WORDS = frozenset({"nein", "nee", "ne", "nein danke", "lieber nicht"})
"""Whole messages that mean no, whatever the classifier says."""
