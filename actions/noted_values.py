"""Keep a value meant for another question of the form (:mod:`bot.dialogue.noted_values`).

Shared by the journeys' forms and the appointment forms: before a form reads
the answer to its open question, a plain value of another kind (a date, an
e-mail address, a phone number, a name) is kept for the question that takes
it, with a short hint, and the open question is asked again; a value no
question takes is not read as an answer either.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.dialogue.form_policy import FormPolicy, Turn
from bot.dialogue.noted_values import NOTED_RESPONSES, Kind, Misplaced, Noted, noted_in_turn


def keep_for_another_question(
    dispatcher: CollectingDispatcher,
    turn: Turn,
    policy: FormPolicy,
    kinds: Mapping[str, frozenset[Kind]],
    today: date,
    *,
    kept: Callable[[Noted], dict[str, Any]],
    misplaced_responses: Mapping[str, str] | None = None,
) -> list[EventType] | None:
    """Return the validation's events when the answer is meant for another question.

    Args:
        dispatcher: The validation's dispatcher (the hint goes there).
        turn: The latest message.
        policy: The form's policy (only answers to the open question are looked at).
        kinds: What kind of value each question of the form takes.
        today: Today (to read dates).
        kept: The slot values for a kept value (``{slot: value}``; empty: not
            a valid value after all, treated like a value no question takes).
        misplaced_responses: What to say, per open question, to a value no
            question takes (a question not named here reads it itself).

    Returns:
        The slot events (the kept value, the open question's slot emptied so
        that it is asked again, unless the kept values answer it too), or None
        when the message may answer the open question.

    """
    asked = turn.asked
    if not kinds or asked is None or policy.answer(turn, asked) is None:
        return None
    found = noted_in_turn(turn, kinds, today)
    if found is None:
        return None
    values = {} if isinstance(found, Misplaced) else kept(found)
    if isinstance(found, Misplaced) or not values:
        response = (misplaced_responses or {}).get(asked)
        if response is None:
            return None  # the open question's own reading explains what it takes
        dispatcher.utter_message(response=response)
        return [SlotSet(asked, None)]
    dispatcher.utter_message(response=NOTED_RESPONSES[found.kind], value=found.value)
    events: list[EventType] = [SlotSet(name, value) for name, value in values.items()]
    return events if asked in values else [*events, SlotSet(asked, None)]
