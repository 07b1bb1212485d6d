"""The loop breaker in the forms' validations (:mod:`bot.dialogue.loop_breaker`).

Every form validation (the appointment forms, the journeys' forms, the
verification) takes a :class:`Before` snapshot and passes its events
through :func:`break_loops` after validating an answer: a second miss in a
row sets the slot the rephrased question is conditioned on; a third one ends
the form and hands over.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import slots
from actions.journey_support import hand_over
from bot.dialogue.loop_breaker import (
    DIALOGUE_LOOP,
    LOOP_HANDOFF,
    LOOP_REASON,
    Step,
    after_answer,
    after_question_in_between,
    after_value_kept,
    counts_as_answer,
    kept_for_another_question,
    progressed,
)

ACTION_LISTEN = "action_listen"


@dataclass(frozen=True)
class Before:
    """The conversation before a validation ran (the SDK updates the tracker's slots as it goes).

    Attributes:
        right_after_message: The form runs right after the customer's
            message (not after an answer in between).
        answered: The validation reads an answer (right after the
            message, or after a message not understood - not after a
            question in between).
        values: The slot values.
        said: How many messages the dispatcher held.

    """

    right_after_message: bool
    answered: bool
    values: dict[str, Any]
    said: int

    @classmethod
    def validation(cls, dispatcher: CollectingDispatcher, tracker: Tracker, form: str) -> Before:
        """Take the snapshot before the validation of ``form`` runs."""
        right_after_message = _action_before(tracker, form) == ACTION_LISTEN
        return cls(
            right_after_message=right_after_message,
            answered=counts_as_answer(
                slots.latest_intent(tracker), right_after_message=right_after_message
            ),
            values=dict(tracker.current_slot_values()),
            said=len(dispatcher.messages),
        )


def _action_before(tracker: Tracker, form: str) -> str | None:
    """Return the action before this run of ``form``.

    Rasa hands the validation a tracker that ends with the form's own
    action event (``FormAction._temporary_tracker``); the action before it
    is ``action_listen`` when the form runs right after the message.
    """
    names = [str(e.get("name")) for e in tracker.events if e.get("event") == "action"]
    if names and names[-1] == form:
        names.pop()
    return names[-1] if names else None


def break_loops(
    dispatcher: CollectingDispatcher,
    before: Before,
    events: list[EventType],
    form_slots: Iterable[str],
    *,
    counts_of_its_own: Iterable[str] = (),
) -> list[EventType]:
    """Count a missed answer; rephrase after two in a row, hand over after three.

    Args:
        dispatcher: The validation's dispatcher.
        before: The conversation before the validation ran.
        events: The validation's events for this answer.
        form_slots: The form's slots (all cleared on a handoff).
        counts_of_its_own: Slots the form counts failures in with a limit
            of its own (the verification's attempts): a change there is
            progress, the form's own rule decides.

    Returns:
        The events, with the loop's count (or the handoff) added.

    """
    previous = before.values.get(DIALOGUE_LOOP)
    asked = before.values.get(slots.REQUESTED_SLOT)
    if not before.answered:  # the form asks again after a question in between
        loop = after_question_in_between(previous, asked)
    else:
        changes = [
            (str(event.get("name")), event.get("value"))
            for event in events
            if event.get("event") == "slot"
        ]
        nothing_read = all(name == slots.REQUESTED_SLOT for name, _ in changes)
        if asked is not None and before.right_after_message and nothing_read:
            # Nothing read from the answer: Rasa rejects the form and the rules
            # answer (a fallback, a wish to leave); a slot event would stop that.
            return events
        own_counts = tuple(counts_of_its_own)
        watched = [*form_slots, *own_counts, slots.REQUESTED_SLOT]
        # a form with a limit of its own (the verification) keeps its own count
        kept = kept_for_another_question(before.values, changes, asked, form_slots)
        if asked is not None and kept and not own_counts:
            loop = after_value_kept(previous, asked)  # asked again, in the other wording
        else:
            moved_on = progressed(before.values, changes, watched)
            loop = after_answer(previous, asked, moved_on=moved_on)
    if loop is None:  # moved on, or the form (re)starts: a fresh count
        return [*events, SlotSet(DIALOGUE_LOOP, None)] if previous else events
    if loop.step is Step.HAND_OVER:
        del dispatcher.messages[before.said :]
        dispatcher.utter_message(response=LOOP_HANDOFF)
        return [
            *(SlotSet(name, None) for name in form_slots),
            SlotSet(DIALOGUE_LOOP, None),
            SlotSet(slots.REQUESTED_SLOT, None),
            *hand_over(LOOP_REASON),
        ]
    return [*events, SlotSet(DIALOGUE_LOOP, loop.encode())]
