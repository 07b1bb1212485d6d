"""What analytics keeps of a Rasa event: kinds, names and times, never message text."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.dialogue.slots import CSAT_SCORE, HANDOFF_REASON, VERIFIED_CUSTOMER_NUMBER

KEPT_SLOTS = frozenset({VERIFIED_CUSTOMER_NUMBER, HANDOFF_REASON, CSAT_SCORE})
"""Slots whose values analytics needs (the customer number for the 24-hour rule)."""


def strip_event(event: Mapping[str, Any]) -> dict[str, Any] | None:
    """Return the parts of ``event`` analytics uses, or ``None`` for events it ignores."""
    kind = event.get("event")
    stamp = event.get("timestamp")
    if not isinstance(stamp, (int, float)):
        return None
    if kind == "session_started":
        return {"event": kind, "timestamp": stamp}
    if kind == "user":
        intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        return {
            "event": kind,
            "timestamp": stamp,
            "input_channel": str(event.get("input_channel") or "")[:40],
            "parse_data": {"intent": {"name": str(intent or "")[:80]}},
        }
    if kind == "bot":
        response = (event.get("metadata") or {}).get("utter_action")
        return {"event": kind, "timestamp": stamp, "metadata": {"utter_action": response}}
    if kind == "action":
        return {"event": kind, "timestamp": stamp, "name": str(event.get("name") or "")[:80]}
    if kind == "slot" and event.get("name") in KEPT_SLOTS:
        return {
            "event": kind,
            "timestamp": stamp,
            "name": event["name"],
            "value": event.get("value"),
        }
    return None
