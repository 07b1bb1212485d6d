"""When the assistant asks for a rating, and how a rating arrives.

Once per conversation (Rasa session), never twice: the slot ``csat_asked``
remembers it. The question comes

- when the customer says goodbye;
- when the customer thanks the assistant after a journey was completed in
  this conversation (its completing answer was sent,
  ``bot.analytics.journeys``): the journey is resolved;
- after an agent hands the chat back or resolves it (the bot service runs
  ``action_ask_csat`` through Rasa's API, ``bot.escalation.rasa_conversations``).

The rating is a button (website) or quick reply (Messenger) whose payload
is ``/give_feedback{"csat_score": "N"}``; free text after it is the comment.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from bot.analytics.journeys import JOURNEYS, completes
from bot.dialogue.slots import AGENT_TAKEOVER, CSAT_SCORE

SCORES = range(1, 6)
RATING_INTENT = "give_feedback"
SCORE_ENTITY = CSAT_SCORE  # the entity fills the slot of the same name


def rating_buttons() -> list[dict[str, str]]:
    """Return the five rating buttons (1 = sehr unzufrieden ... 5 = sehr zufrieden)."""
    return [
        {"title": str(score), "payload": f'/{RATING_INTENT}{{"{SCORE_ENTITY}": "{score}"}}'}
        for score in SCORES
    ]


def session_events(events: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Return the events of the current session (after the last ``session_started``)."""
    current: list[Mapping[str, Any]] = []
    for event in events:
        if event.get("event") == "session_started":
            current = []
        else:
            current.append(event)
    return current


def journey_completed(events: Iterable[Mapping[str, Any]]) -> bool:
    """Tell whether a journey asked for in these events got its completing answer."""
    started: set[str] = set()
    for event in events:
        if event.get("event") == "user":
            intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
            if intent in JOURNEYS:
                started.add(str(intent))
        elif event.get("event") in ("bot", "action"):
            response = (event.get("metadata") or {}).get("utter_action") or event.get("name")
            if any(completes(journey, response) for journey in started):
                return True
    return False


def should_ask(events: Iterable[Mapping[str, Any]], latest_intent: str | None, asked: bool) -> bool:
    """Decide whether to ask for the rating now (see the module docstring)."""
    if asked:
        return False
    if latest_intent == "goodbye":
        return True
    current = session_events(events)
    if latest_intent == "thank":
        return journey_completed(current)
    # run by the bot service after an agent handed back or resolved
    return any(
        e.get("event") == "slot" and e.get("name") == AGENT_TAKEOVER and e.get("value")
        for e in current
    )


def score_of(entities: Iterable[Mapping[str, Any]]) -> int | None:
    """Return the rating 1-5 of the message's ``csat_score`` entity, else ``None``."""
    for entity in entities:
        if entity.get("entity") == SCORE_ENTITY:
            try:
                score = int(str(entity.get("value")).strip())
            except ValueError:
                return None
            return score if score in SCORES else None
    return None
