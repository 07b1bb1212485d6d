"""Names of the responses (``domain.yml``) uttered from more than one module."""

from __future__ import annotations

CRM_UNAVAILABLE = "utter_crm_unavailable"
"""The CRM did not answer in time: a polite apology, nothing written."""
TECHNICAL_PROBLEM = "utter_technical_problem"
"""An action failed unexpectedly."""

# --- forms ---------------------------------------------------------------------------
FORM_STOPPED = "utter_form_stopped"
APPOINTMENT_STOPPED = "utter_appointment_stopped"
VERIFICATION_STOPPED = "utter_verification_stopped"
DIGRESSION_LATER = "utter_digression_later"

# --- handoff -------------------------------------------------------------------------
OFFER_OF_A_HUMAN = "utter_offer_human"
"""The offer of a human after two turns the assistant did not understand."""
HANDOFF_REQUESTED = "utter_handoff_requested"
"""What the rules say first when the customer asks for a human."""
TAKEOVER_ENDED = "utter_takeover_ended"
TAKEOVER_JOINED = "utter_takeover_joined"
"""The notice an agent's takeover appends to the conversation (``{agent}``)."""
TAKEOVER_HANDED_BACK = "utter_takeover_handed_back"
"""The notice when the bot answers again."""
HANDOFF_TICKET = "utter_handoff_ticket"
HANDOFF_TICKET_SOON = "utter_handoff_ticket_soon"
"""The ticket answer when no callback time is known."""
