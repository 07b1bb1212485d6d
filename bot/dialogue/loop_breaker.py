"""The loop breaker: no form asks the same question a third time unchanged.

A form question the customer's answer does not fill is a *miss*. The count
of misses in a row for one question lives in the slot :data:`DIALOGUE_LOOP`
as ``"<slot>:<misses>"``:

* first miss: the form asks again as usual (the validation says what was wrong);
* second miss in a row: the question is asked differently, with an example
  of a valid answer and the options (or a human, or stopping) as buttons -
  ``domain.yml`` holds that wording as a variation of the question's
  response, conditioned on the slot being ``"<slot>:2"``;
* third miss in a row: no more asking; the form ends and a human takes over
  (reason :data:`LOOP_REASON`).

Any progress (a slot of the form gets a value, the form stops or ends)
clears the count - except a value kept for another question while this one
stays open (:mod:`bot.dialogue.noted_values`): the question is asked again,
alternately with its example and plainly, so that a customer who answers
three other questions first never reads the same words twice in a row, and
is never handed over for it. A question in between (a
digression) is no answer, but the form asks its question again after it:
that counts up to the rephrased question, never to a handoff; a message the
assistant could not place
(:data:`~bot.dialogue.intents.NOT_UNDERSTOOD`) is a miss, and from the
second one on its "I can't help with that" is left out: the rephrased
question or the handoff says enough.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from bot.dialogue.intents import NOT_UNDERSTOOD
from bot.dialogue.slots import DIALOGUE_LOOP as DIALOGUE_LOOP
from bot.dialogue.slots import REQUESTED_SLOT

LOOP_REASON = "dialogue_loop"
"""The handoff reason when the loop breaker hands over (:mod:`bot.escalation.reasons`)."""

LOOP_HANDOFF = "utter_loop_handoff"
"""What the customer hears before the handoff."""

REPHRASE_AT = 2
"""Misses in a row after which the question is asked differently."""
HAND_OVER_AT = 3
"""Misses in a row after which a human takes over."""


class Step(Enum):
    """What the form does after the customer's answer."""

    ASK = "ask"
    """Ask as usual (the first question, or again after a first miss)."""
    REPHRASE = "rephrase"
    """Ask differently: an example, the options as buttons, a human or stop."""
    HAND_OVER = "hand_over"
    """End the form and hand the conversation to a human."""


@dataclass(frozen=True)
class Loop:
    """How often in a row the customer's answer missed one question."""

    slot: str
    misses: int

    def encode(self) -> str:
        """Return the slot value (``"test_drive_workshop:2"``)."""
        return f"{self.slot}:{self.misses}"

    @classmethod
    def decode(cls, value: object) -> Loop | None:
        """Read a slot value; anything unreadable is no loop."""
        if not isinstance(value, str) or ":" not in value:
            return None
        slot, _, misses = value.rpartition(":")
        return cls(slot, int(misses)) if slot and misses.isdigit() else None

    @property
    def step(self) -> Step:
        """What to do after this many misses."""
        if self.misses >= HAND_OVER_AT:
            return Step.HAND_OVER
        if self.misses >= REPHRASE_AT:
            return Step.REPHRASE
        return Step.ASK


def progressed(
    before: Mapping[str, Any], changes: Iterable[tuple[str, Any]], watched: Iterable[str]
) -> bool:
    """Tell whether a turn's slot changes move the form on.

    Args:
        before: The slot values before the turn.
        changes: The turn's slot changes, in order (later ones win).
        watched: The form's slots (and ``requested_slot``).

    Returns:
        True when a watched slot got a new value other than None, or the
        form's question was cleared (the form stopped or ended).

    """
    watched = set(watched)
    after: dict[str, Any] = {}
    for name, value in changes:
        if name in watched:
            after[name] = value
    for name, value in after.items():
        if name == REQUESTED_SLOT:
            if value is None or value != before.get(name):
                return True
        elif value is not None and value != before.get(name):
            return True
    return False


def counts_as_answer(intent: str | None, *, right_after_message: bool) -> bool:
    """Tell whether the form's run reads an answer to its question.

    Args:
        intent: The latest message's intent.
        right_after_message: The form runs right after the customer's
            message (not after an answer in between).

    """
    return right_after_message or intent in NOT_UNDERSTOOD


def missed_before(loop_value: object, asked: str | None) -> bool:
    """Tell whether the customer's answers already missed the open question."""
    loop = Loop.decode(loop_value)
    return asked is not None and loop is not None and loop.slot == asked


def after_question_in_between(previous: object, asked: str | None) -> Loop | None:
    """Return the loop after the form asked again following an answer in between.

    The question is repeated, so it counts - but only up to the rephrased
    question: several questions in between never hand the customer over.
    """
    if asked is None:
        return None
    loop = Loop.decode(previous)
    misses = loop.misses if loop is not None and loop.slot == asked else 0
    return Loop(asked, min(misses + 1, REPHRASE_AT))


def after_answer(previous: object, asked: str | None, *, moved_on: bool) -> Loop | None:
    """Return the loop after an answer to the question for ``asked``.

    Args:
        previous: The slot :data:`DIALOGUE_LOOP` before the answer.
        asked: The slot the form had asked for (None: no question open).
        moved_on: The answer made progress (:func:`progressed`).

    Returns:
        The new count of misses, or None when the form moved on.

    """
    if asked is None or moved_on:
        return None
    loop = Loop.decode(previous)
    misses = loop.misses if loop is not None and loop.slot == asked else 0
    return Loop(asked, misses + 1)


def kept_for_another_question(
    before: Mapping[str, Any],
    changes: Iterable[tuple[str, Any]],
    asked: str | None,
    form_slots: Iterable[str],
) -> bool:
    """Tell whether the answer filled other questions of the form while ``asked`` stays open.

    Args:
        before: The slot values before the turn.
        changes: The turn's slot changes, in order (later ones win).
        asked: The slot the form had asked for.
        form_slots: The form's question slots.

    """
    if asked is None:
        return False
    after = dict(changes)
    if after.get(asked) is not None or after.get(REQUESTED_SLOT, asked) != asked:
        return False
    others = set(form_slots) - {asked, REQUESTED_SLOT}
    return any(
        name in others and value is not None and value != before.get(name)
        for name, value in after.items()
    )


def after_value_kept(previous: object, asked: str) -> Loop | None:
    """Return the loop after a value was kept for another question and ``asked`` is asked again.

    The wording alternates between the question with its example (one miss)
    and the plain question (no count): the customer made progress, so this
    never counts towards the rephrased question or a handoff.
    """
    loop = Loop.decode(previous)
    misses = loop.misses if loop is not None and loop.slot == asked else 0
    return None if misses == REPHRASE_AT - 1 else Loop(asked, REPHRASE_AT - 1)
