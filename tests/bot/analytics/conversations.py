"""Hand-written Rasa events for the analytics tests."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc).timestamp()
HOUR = 3600.0


def start(at: float) -> list[dict[str, Any]]:
    return [
        {"event": "action", "timestamp": T0 + at, "name": "action_session_start"},
        {"event": "session_started", "timestamp": T0 + at},
    ]


def user(intent: str, at: float, channel: str = "socketio") -> dict[str, Any]:
    return {
        "event": "user",
        "timestamp": T0 + at,
        "text": f"(Nachricht zu {intent})",
        "input_channel": channel,
        "parse_data": {"intent": {"name": intent, "confidence": 0.9}},
    }


def bot(response: str, at: float) -> dict[str, Any]:
    return {
        "event": "bot",
        "timestamp": T0 + at,
        "text": "...",
        "metadata": {"utter_action": response},
    }


def slot(name: str, value: Any, at: float) -> dict[str, Any]:
    return {"event": "slot", "timestamp": T0 + at, "name": name, "value": value}


def action(name: str, at: float) -> dict[str, Any]:
    return {"event": "action", "timestamp": T0 + at, "name": name}


def served_order_status(at: float, number: str | None = "K-100001", channel: str = "socketio"):
    """The customer asks for an order, verifies, gets the status, says goodbye."""
    events = [*start(at), user("order_status", at + 1, channel)]
    if number:
        events.append(slot("verified_customer_number", number, at + 10))
    return [
        *events,
        bot("utter_order_shipped", at + 11),
        user("goodbye", at + 20, channel),
        bot("utter_goodbye", at + 21),
    ]


def escalated_invoice(at: float, number: str = "K-100002"):
    """The customer asks about an invoice, then wants a human."""
    return [
        *start(at),
        user("invoice_question", at + 1),
        slot("verified_customer_number", number, at + 10),
        bot("utter_invoice_open", at + 11),
        user("request_human", at + 20),
        action("utter_handoff_requested", at + 21),
        action("action_request_human", at + 22),
    ]


def ended_in_fallback(at: float):
    """The customer asks something the assistant does not understand, twice, and leaves."""
    return [
        *start(at),
        user("dealer_info", at + 1),
        bot("utter_dealer_found", at + 2),
        user("nlu_fallback", at + 10),
        bot("utter_ask_rephrase", at + 11),
        user("nlu_fallback", at + 20),
        action("action_default_fallback", at + 21),
    ]


def booking(at: float, completed: bool = True, number: str = "K-100003"):
    """The customer starts a booking; completes it or stops."""
    events = [
        *start(at),
        user("book_appointment", at + 1),
        slot("verified_customer_number", number, at + 5),
    ]
    if completed:
        return [*events, user("affirm", at + 30), bot("utter_appointment_booked", at + 31)]
    return [*events, user("stop", at + 30), bot("utter_form_stopped", at + 31)]
