"""Why a conversation goes to a human, decided from its slots and events.

One rule for both ways an escalation is recorded: the action server's
``action_request_human`` and the bot service's tracker-store sweeper
(:mod:`bot.escalation.tracker_sweeper`), which records a request the action
server missed. Both read the same slots and events, so both give the same
reason (frustration, a locked verification, an accepted offer after two
fallbacks, or the journey's own reason).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bot.dialogue.responses import OFFER_OF_A_HUMAN
from bot.dialogue.slots import HANDOFF_REASON, VERIFICATION_FAILURES
from bot.escalation.frustration import frustrated_recently
from bot.escalation.reasons import DEFAULT_REASON, REASONS
from bot.verification import is_locked

_UPGRADABLE = frozenset({DEFAULT_REASON, "repeated_fallback"})
"""Reasons that frustration makes more urgent."""


def handoff_reason(slots: Mapping[str, Any], events: Sequence[Mapping[str, Any]]) -> str:
    """Decide why the conversation goes to a human.

    A journey's ``handoff_reason`` wins; otherwise frustration (the intent,
    insults or repeated negative turns), a locked verification, an accepted
    offer after two fallbacks, or the plain request.

    Args:
        slots: The conversation's slot values.
        events: The conversation's events (Rasa's tracker format), oldest first.

    """
    requested = slots.get(HANDOFF_REASON)
    if isinstance(requested, str) and requested in REASONS:
        return requested
    reason = DEFAULT_REASON
    failures = slots.get(VERIFICATION_FAILURES)
    if is_locked(float(failures) if isinstance(failures, (int, float)) else None):
        reason = "verification_locked"
    elif last_bot_action(events) == OFFER_OF_A_HUMAN:
        reason = "repeated_fallback"
    if reason in _UPGRADABLE and _frustrated(events):
        reason = "frustration"
    return reason


def last_bot_action(events: Sequence[Mapping[str, Any]]) -> str | None:
    """Return the last action before the latest customer message."""
    seen_user = False
    for event in reversed(events):
        if event.get("event") == "user":
            seen_user = True
        elif seen_user and event.get("event") == "action" and event.get("name") != "action_listen":
            return str(event.get("name"))
    return None


def _frustrated(events: Sequence[Mapping[str, Any]]) -> bool:
    turns = [
        (str(e.get("text") or ""), ((e.get("parse_data") or {}).get("intent") or {}).get("name"))
        for e in events
        if e.get("event") == "user" and e.get("text")
    ]
    latest = turns[-1][1] if turns else None
    return latest == "express_frustration" or frustrated_recently(turns)
