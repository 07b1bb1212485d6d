"""Why a conversation is handed over: reason codes, German texts and priorities.

The codes are the handoff contract of the journeys: a journey sets the slot
``handoff_reason`` (:data:`bot.dialogue.slots.HANDOFF_REASON`) to one of them.
"""

from __future__ import annotations

from enum import Enum

DEFAULT_REASON = "customer_request"


class Priority(str, Enum):
    """How urgently an agent should pick the escalation up."""

    URGENT = "urgent"
    HIGH = "high"
    NORMAL = "normal"

    @property
    def rank(self) -> int:
        """Sort key: urgent first."""
        return {"urgent": 0, "high": 1, "normal": 2}[self.value]


REASONS: dict[str, tuple[str, Priority]] = {
    "customer_request": ("Kunde möchte mit einem Menschen sprechen", Priority.NORMAL),
    "repeated_fallback": ("Assistent hat den Kunden zweimal nicht verstanden", Priority.NORMAL),
    "frustration": ("Kunde ist verärgert", Priority.HIGH),
    "breakdown_urgent": ("Panne eines verifizierten Kunden", Priority.URGENT),
    "complaint_vip": ("Reklamation eines Gold-/Platin-Kunden", Priority.HIGH),
    "complaint_repeated": ("Wiederholte Reklamation zum selben Thema", Priority.HIGH),
    "invoice_dispute": ("Rechnung wird bestritten", Priority.HIGH),
    "data_privacy_request": ("Datenschutzanfrage (Löschung/Widerspruch)", Priority.NORMAL),
    "dialogue_loop": (
        "Assistent kam mit einer Frage nicht weiter (dreimal keine passende Antwort)",
        Priority.NORMAL,
    ),
    "verification_locked": (
        "Identitätsprüfung gesperrt (3 Fehlversuche im Gespräch oder 5 je Kundennummer)",
        Priority.HIGH,
    ),
}


def reason_text(code: str) -> str:
    """Return the German text of a reason code (the code itself when unknown)."""
    return REASONS.get(code, (code, Priority.NORMAL))[0]


def priority_of(code: str) -> Priority:
    """Return the priority of a reason code; unknown codes are normal."""
    return REASONS.get(code, ("", Priority.NORMAL))[1]


def known_reason(code: object) -> str:
    """Return ``code`` if it is a known reason code, else the default reason."""
    return code if isinstance(code, str) and code in REASONS else DEFAULT_REASON
