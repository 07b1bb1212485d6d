"""Rasa events as the tracker store and the event queue carry them, for the inbox tests."""

from __future__ import annotations

from typing import Any

T0 = 1_795_000_000.0


def user(text: str, intent: str, confidence: float, at: float, *others: tuple[str, float]) -> dict:
    ranking = [{"name": intent, "confidence": confidence}]
    ranking += [{"name": name, "confidence": c} for name, c in others]
    final = "nlu_fallback" if confidence < 0.4 else intent
    return {
        "event": "user",
        "timestamp": T0 + at,
        "text": text,
        "input_channel": "rest",
        "parse_data": {
            "text": text,
            "intent": {"name": final, "confidence": confidence},
            "intent_ranking": [{"name": "nlu_fallback", "confidence": 0.4}, *ranking]
            if final == "nlu_fallback"
            else ranking,
        },
    }


def bot(text: str, at: float) -> dict:
    return {"event": "bot", "timestamp": T0 + at, "text": text, "metadata": {}}


def action(name: str, at: float) -> dict:
    return {"event": "action", "timestamp": T0 + at, "name": name}


def conversation() -> list[dict[str, Any]]:
    """A customer the model misreads twice, then asks for a human."""
    return [
        action("action_listen", 0),
        user("Grüezi", "greet", 0.98, 1),
        bot("Guten Tag! Wie kann ich helfen?", 1.1),
        user("I find de Login nöd, K-123456", "inform", 0.31, 5, ("account_help", 0.3)),
        action("utter_ask_rephrase", 5.1),
        bot("Entschuldigung, das habe ich nicht verstanden.", 5.1),
        user(
            "kannst du den termin canceln pls",
            "book_appointment",
            0.52,
            9,
            ("cancel_appointment", 0.4),
        ),
        bot("Gern buche ich einen Termin.", 9.1),
        user("des war nix, Anna Schmidt hier", "give_feedback", 0.81, 15),
        bot("Danke für Ihr Feedback!", 15.1),
        user("Ich will einen Menschen", "request_human", 0.99, 20),
        action("utter_handoff_requested", 20.1),
    ]
