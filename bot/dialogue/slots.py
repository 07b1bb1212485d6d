"""Slot and form names shared by the actions, the escalation sweeper and the takeover.

Every slot here is declared in ``domain.yml``; only our actions (and the bot
service's takeover, through Rasa's tracker API) set them.
"""

from __future__ import annotations

REQUESTED_SLOT = "requested_slot"
"""Rasa's slot naming the question an active form asked."""

# --- verification ---------------------------------------------------------------
CUSTOMER_NUMBER = "customer_number"
POSTAL_CODE = "postal_code"
VERIFIED_CUSTOMER_NUMBER = "verified_customer_number"
VERIFICATION_METHOD = "verification_method"
IDENTITY_CLAIM = "identity_claim"
VERIFICATION_FAILURES = "verification_failures"
REQUESTED_INTENT = "requested_intent"
CUSTOMER_GREETED = "customer_greeted"
LOGGED_TOPICS = "logged_topics"
SESSION_STARTED_METADATA = "session_started_metadata"
VERIFICATION_FORM = "verification_form"

# --- handoff and takeover ---------------------------------------------------------
HANDOFF_REASON = "handoff_reason"
"""A journey's reason code for the handoff (:data:`bot.escalation.reasons.REASONS`)."""
HANDOFF_CASE_NUMBER = "handoff_case_number"
"""The case a journey opened before handing over."""
AGENT_TAKEOVER = "agent_takeover"
"""True while an agent has the chat: the customer's messages go to the agent."""
AGENT_NAME = "agent_name"
"""The name of the agent who took the chat over."""
ESCALATION_OPEN = "escalation_open"
"""True from the handoff until an agent hands back: follow-ups go to the escalation."""
ESCALATION_TICKET = "escalation_ticket"
"""The open escalation's ticket number (E-000042), to tell the customer."""

# --- satisfaction (CSAT) -------------------------------------------------------------
CSAT_ASKED = "csat_asked"
"""True once the rating was asked in this conversation (asked once)."""
CSAT_SCORE = "csat_score"
"""The rating the customer gave (1-5)."""
CSAT_COMMENTED = "csat_commented"
"""True once the customer's comment after the rating was stored."""

# --- appointments -------------------------------------------------------------------
APPOINTMENT_SERVICE = "appointment_service"
APPOINTMENT_WORKSHOP = "appointment_workshop"
APPOINTMENT_VEHICLE = "appointment_vehicle"
APPOINTMENT_START = "appointment_start"
APPOINTMENT_PREFERENCE = "appointment_preference"
APPOINTMENT_CONFIRMED = "appointment_confirmed"
APPOINTMENT_NUMBER = "appointment_number"
APPOINTMENT_OFFER = "appointment_offer"
APPOINTMENT_FORM_SLOTS = (
    APPOINTMENT_SERVICE,
    APPOINTMENT_WORKSHOP,
    APPOINTMENT_VEHICLE,
    APPOINTMENT_START,
    APPOINTMENT_PREFERENCE,
    APPOINTMENT_CONFIRMED,
    APPOINTMENT_NUMBER,
)
"""The slots the three appointment forms share."""
BOOK_APPOINTMENT_FORM = "book_appointment_form"
RESCHEDULE_APPOINTMENT_FORM = "reschedule_appointment_form"
CANCEL_APPOINTMENT_FORM = "cancel_appointment_form"

# --- the loop breaker ---------------------------------------------------------------
DIALOGUE_LOOP = "dialogue_loop"
"""``"<slot>:<misses>"`` while answers miss one question (:mod:`bot.dialogue.loop_breaker`)."""

NOT_SHOWN_TO_AGENTS = frozenset(
    {REQUESTED_SLOT, SESSION_STARTED_METADATA, LOGGED_TOPICS, CUSTOMER_GREETED, DIALOGUE_LOOP}
)
"""Slots of internal bookkeeping, left out of the context an agent reads."""
