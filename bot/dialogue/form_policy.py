"""One form policy: when a message stops a form, interrupts it, answers it or says yes or no.

Every form (the appointment forms, the journeys' forms, the verification)
asks a :class:`FormPolicy` about the latest message, given as a :class:`Turn`:

* Stop: "abbrechen" ends the form while it waits for an answer; where the
  policy says so, a plain "nein" to a question that is not a yes/no question
  does too. A long answer to a free-text question is an answer even when it
  contains "stopp" or "doch nicht" ("Die Klimaanlage geht doch nicht").
* Interruption: a wish to leave (a human, a breakdown, a goodbye) is never
  read as an answer; the rules leave the form for it.
* Digression: a short question about something else is not an answer
  either; it is answered in between and the form asks again. A long message
  is always an answer: a complaint's description often sounds like another
  topic.
* Correction: a message that names a value (a city, a service, a time) while
  a yes/no question is open changes that value instead of answering.
* Yes/no: the classifier's ``affirm``/``deny`` or a short message that means
  yes or no ("passt", "nee").
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from bot.dialogue.intents import (
    AFFIRM,
    DENY,
    DIGRESSIONS,
    INFORM,
    LEAVING,
    META_QUESTIONS,
    NO_WORDS,
    YES_WORDS,
)

LONG_ANSWER_WORDS = 8
"""A message this long is an answer, whatever its intent."""

_STOP = re.compile(
    r"\b(abbrechen|abbruch|brich\s+ab|brechen\s+sie\s+ab|stopp?|cancel|beenden"
    r"|vergiss\s+es|vergessen\s+sie\s+(es|das)|lass(en)?\s+(wir\s+)?(es|das)(\s+sein)?"
    r"|doch\s+nicht|will\s+ich\s+nicht|möchte\s+ich\s+nicht|moechte\s+ich\s+nicht)\b",
    re.IGNORECASE,
)


def says_stop(text: str | None) -> bool:
    """Tell whether a message asks to stop ("abbrechen", "vergessen Sie es")."""
    return bool(text and _STOP.search(text))


@dataclass(frozen=True)
class Turn:
    """The latest customer message, as a form sees it.

    Attributes:
        intent: The classified intent (None when unclassified).
        text: What the customer wrote (or the button's payload).
        entities: Every value of each entity in the message.
        asked: The slot the form asked for (None when it asked nothing).

    """

    intent: str | None
    text: str = ""
    entities: Mapping[str, Sequence[str]] = field(default_factory=dict)
    asked: str | None = None

    def entity(self, name: str) -> str | None:
        """Return the first value of entity ``name``, if the message had one."""
        values = self.entities.get(name) or ()
        return str(values[0]) if values else None

    @property
    def words(self) -> str:
        """The message in lower case without closing punctuation ("Ja!" -> "ja")."""
        return self.text.strip().lower().rstrip("!.")

    @property
    def is_long(self) -> bool:
        """True for a message of :data:`LONG_ANSWER_WORDS` words or more."""
        return len(self.text.split()) >= LONG_ANSWER_WORDS


@dataclass(frozen=True)
class FormPolicy:
    """How one form reads stop, interruptions, digressions, corrections and yes/no.

    Attributes:
        stop_response: What the customer hears when they stop the form.
        own_intents: Intents that belong to the form: always answers.
        yes_no_slots: Questions answered with yes or no ("nein" is an answer there).
        free_text_slots: Questions that take any text: only a wish to leave
            or a question about the assistant interrupts them.
        no_stops: A plain "nein" to a question that is not a yes/no
            question stops the form.
        leaving: Intents never read as an answer.
        digressions: Intents of short questions answered in between.

    """

    stop_response: str
    own_intents: frozenset[str] = frozenset({INFORM, AFFIRM, DENY})
    yes_no_slots: frozenset[str] = frozenset()
    free_text_slots: frozenset[str] = frozenset()
    no_stops: bool = True
    leaving: frozenset[str] = LEAVING
    digressions: frozenset[str] = DIGRESSIONS

    def wants_to_stop(self, turn: Turn) -> bool:
        """Tell whether the message stops the form (only while a question is open)."""
        if turn.asked is None:
            return False
        if turn.asked in self.free_text_slots and turn.is_long:
            return False  # "Die Klimaanlage geht doch nicht, seit ...": an answer
        if says_stop(turn.text):
            return True
        return self.no_stops and turn.intent == DENY and turn.asked not in self.yes_no_slots

    def is_interruption(self, turn: Turn, *, free_text: bool | None = None) -> bool:
        """Tell whether the message is not meant as an answer to the form.

        Args:
            turn: The latest message.
            free_text: The open question takes any text; by default, whether
                :attr:`Turn.asked` is one of :attr:`free_text_slots`.

        """
        if turn.intent in self.own_intents:
            return False
        if turn.intent in self.leaving:
            return True
        if free_text is None:
            free_text = turn.asked in self.free_text_slots
        questions = META_QUESTIONS & self.digressions if free_text else self.digressions
        return turn.intent in questions and not turn.is_long

    def reads_values(self, turn: Turn) -> bool:
        """Tell whether the message may be read for values at all (not a wish to leave)."""
        return turn.intent not in self.leaving

    def answer(self, turn: Turn, slot: str) -> str | None:
        """Return the message text when it answers the question for ``slot``, else None."""
        if turn.asked != slot or self.is_interruption(turn):
            return None
        return turn.text.strip() or None

    def entity(self, turn: Turn, name: str) -> str | None:
        """Return entity ``name`` of the message (none from interruptions)."""
        if self.is_interruption(turn, free_text=False):
            return None
        return turn.entity(name)


def yes_or_no(turn: Turn) -> bool | None:
    """Return True for yes, False for no, None for anything else."""
    if turn.intent == AFFIRM or turn.words in YES_WORDS:
        return True
    if turn.intent == DENY or turn.words in NO_WORDS:
        return False
    return None


def corrects(turn: Turn, value_entities: Sequence[str], *, names_a_time: bool = False) -> bool:
    """Tell whether the message changes a value instead of answering yes or no.

    Args:
        turn: The latest message.
        value_entities: Entities that name a value of the form ("city").
        names_a_time: The message names a day or time (the caller parsed it).

    """
    return names_a_time or any(turn.entity(name) for name in value_entities)
