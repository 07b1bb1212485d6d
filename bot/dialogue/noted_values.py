"""An answer that belongs to another question of the same form is kept for that question.

The test-drive form asked for the place; the customer gave the date ("am
Samstag"), then their name, then their e-mail address, and each was read as
a town ("In am Samstag haben wir leider keinen Standort"). A form names what
kind of value each of its questions takes (:class:`Kind`); before the answer
to the open question is read, :func:`noted_elsewhere` tells whether the
message is plainly a value of another kind: a date, an e-mail address, a
phone number or a person's name. If another question of the form takes that
kind, the value is kept for it (:class:`Noted`) and the open question is
asked again with a short hint that the value was noted; if none does, the
value is not read as an answer either (:class:`Misplaced`), and the question
is asked again.

Only plain values count: a short message that is a date and nothing else,
an e-mail address, a phone number without other words, a name with a lead-in
("ich heiße ...") or two or three words starting with a known first name.
Anything else is left to the open question's own reading.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import Enum
from functools import lru_cache

from bot.appointments.dates import parse_when
from bot.dialogue.form_policy import Turn
from bot.self_service.contact_data import PHONE_IN_TEXT, read_email, read_phone
from bot.self_service.places import postal_code_area

MAX_DATE_WORDS = 6
"""A date answer is short ("am Samstag", "nächsten Dienstag um 10"); longer text is no date."""


class Kind(Enum):
    """What kind of value a form question takes."""

    DATE = "date"
    EMAIL = "email"
    PHONE = "phone"
    NAME = "name"
    PLACE = "place"
    CHOICE = "choice"
    """Something of the form's own (a model, a vehicle, a number): never kept for it."""
    TEXT = "text"
    """Any text (a description): its answers are never read as another value."""


@dataclass(frozen=True)
class Noted:
    """A value for another question of the form.

    Attributes:
        slot: The question (slot) the value is kept for.
        kind: What kind of value it is.
        value: The value as said ("am Samstag", "peter@example.org").

    """

    slot: str
    kind: Kind
    value: str


@dataclass(frozen=True)
class Misplaced:
    """A value of a kind no question of the form takes (a date for the dealer search).

    Attributes:
        kind: What kind of value it is.
        value: The value as said.

    """

    kind: Kind
    value: str


_PHONE_LEAD_IN = re.compile(
    r"^(meine\s+)?(telefon(nummer)?|handy(nummer)?|nummer|tel\.?|mobil)(\s+ist)?:?\s*",
    re.IGNORECASE,
)
_NAME_LEAD_IN = re.compile(
    r"^(ich\s+hei(ß|ss)e|mein\s+name\s+ist|mein\s+name:?|name:?|ich\s+bin(\s+der|\s+die)?)\s+",
    re.IGNORECASE,
)
_NAME_WORD = re.compile(r"^[A-Za-zÄÖÜäöüßéèáàçñ][A-Za-zÄÖÜäöüßéèáàçñ'-]*\.?$")
_DATE_WORDS_ONLY = re.compile(
    r"^(am|ab|um|an|im|in|zum|zur|den|dem|der|die|das|ginge|geht|wäre|waere|vielleicht|gern|gerne"
    r"|lieber|ja|so|bitte|also|eher|nächste[nrms]?|naechste[nrms]?|kommende[nrms]?|diese[nrms]?"
    r"|woche|wochenende|heute|morgen|übermorgen|uebermorgen|früh|frueh|vormittags?|nachmittags?"
    r"|mittags?|abends?|uhr|montags?|dienstags?|mittwochs?|donnerstags?|freitags?|samstags?"
    r"|sonntags?|samstagvormittag|samstagnachmittag|januar|februar|märz|maerz|april|mai|juni"
    r"|juli|august|september|oktober|november|dezember|anfang|mitte|ende|seit|letzte[nrms]?"
    r"|gestern|vorgestern|tagen?|wochen|monat(en)?|einer|einem|zwei|drei|vier|fünf|fuenf"
    r"|[\d.:/]+)$"
)


_NOT_IN_NAMES = frozenset(
    {"at", "und", "oder", "der", "die", "das", "in", "im", "am", "um", "von", "bei", "ist", "bin"}
)


@lru_cache(maxsize=1)
def _first_names() -> frozenset[str]:
    """German first names (Faker's de_DE list, which the CRM's generated customers use too)."""
    from faker.providers.person.de_DE import Provider

    return frozenset(
        name.lower() for name in (*Provider.first_names_male, *Provider.first_names_female)
    )


def value_kind(text: str, today: date, *, entities: Mapping[str, str | None]) -> Noted | None:
    """Return the plain value the message is, with its kind (slot left empty), or None.

    Args:
        text: What the customer wrote.
        today: Today (to read dates).
        entities: The message's entities by name (``email``, ``phone``,
            ``city``, ``postal_code``), None where absent.

    """
    said = text.strip()
    if not said:
        return None
    email = entities.get("email") or (read_email(said) if "@" in said else None)
    if isinstance(email, str):
        return Noted("", Kind.EMAIL, email)
    if entities.get("city") or entities.get("postal_code") or postal_code_area(said):
        return None  # a town or a postal code: a place
    if _is_date(said, today):
        return Noted("", Kind.DATE, said[:80])
    phone = _plain_phone(said, entities.get("phone"))
    if phone:
        return Noted("", Kind.PHONE, phone)
    name = _plain_name(said)
    if name:
        return Noted("", Kind.NAME, name)
    return None


def noted_elsewhere(
    asked: str | None,
    text: str,
    kinds: Mapping[str, frozenset[Kind]],
    today: date,
    *,
    entities: Mapping[str, str | None],
) -> Noted | Misplaced | None:
    """Tell whether the answer to ``asked`` is plainly a value for another question.

    Args:
        asked: The slot the form asks for.
        text: What the customer wrote (already known to be meant as an answer).
        kinds: The form's questions and the kinds of value each takes.
        today: Today (to read dates).
        entities: The message's entities by name.

    Returns:
        :class:`Noted` when another question takes the value, :class:`Misplaced`
        when none does, None when the message may answer ``asked`` (or the
        open question takes any text, or is not one of the form's).

    """
    taken = kinds.get(asked or "")
    if not taken or Kind.TEXT in taken:
        return None
    found = value_kind(text, today, entities=entities)
    if found is None or found.kind in taken:
        return None
    keeper = next((slot for slot, kind in kinds.items() if found.kind in kind), None)
    if keeper is None:
        return Misplaced(found.kind, found.value)
    return Noted(keeper, found.kind, found.value)


def _is_date(text: str, today: date) -> bool:
    """Tell whether the message names a day or time and nothing else ("am Samstag um 10")."""
    words = re.sub(r"[,!?]", " ", text.lower()).split()
    if not words or len(words) > MAX_DATE_WORDS:
        return False
    if not all(_DATE_WORDS_ONLY.match(word) for word in words):
        return False
    if words[0] == "seit" and len(words) > 1:
        return True  # "seit gestern", "seit letzter Woche": since when a problem exists
    return not parse_when(text, today).empty


def _plain_phone(text: str, entity: str | None) -> str | None:
    """Return a phone number said with at most a lead-in ("meine Nummer ist 0171 1234567")."""
    rest = _PHONE_LEAD_IN.sub("", text.strip()).strip(" .!")
    if PHONE_IN_TEXT.fullmatch(rest) is None:
        return entity if entity and entity.strip() == rest else None
    number = read_phone(rest)
    return number if isinstance(number, str) else None


def _plain_name(text: str) -> str | None:
    """Return a person's name: with a lead-in, or two or three words from a first name on."""
    stripped = text.strip().strip(" .!")
    rest = _NAME_LEAD_IN.sub("", stripped)
    words = rest.split()
    if not 1 <= len(words) <= 4 or not all(_NAME_WORD.match(word) for word in words):
        return None
    if rest != stripped:
        named = not re.match(r"ich\s+bin", stripped, re.IGNORECASE) or rest[:1].isupper()
        return rest if named and postal_code_area(rest) is None else None  # "ich heiße Peter"
    written_as_name = len(words) == 2 or all(word[:1].isupper() for word in words)  # "peter lustig"
    first_name = len(words) in (2, 3) and words[0].lower() in _first_names()
    if written_as_name and first_name and not {w.lower() for w in words} & _NOT_IN_NAMES:
        return rest  # "Peter Lustig"
    return None


def noted_in_turn(
    turn: Turn, kinds: Mapping[str, frozenset[Kind]], today: date
) -> Noted | Misplaced | None:
    """Apply :func:`noted_elsewhere` to the latest message of a form (see :class:`Turn`)."""
    names = ("email", "phone", "city", "postal_code")
    return noted_elsewhere(
        turn.asked, turn.text, kinds, today, entities={name: turn.entity(name) for name in names}
    )


NOTED_RESPONSES = {
    Kind.DATE: "utter_noted_date",
    Kind.EMAIL: "utter_noted_email",
    Kind.PHONE: "utter_noted_phone",
    Kind.NAME: "utter_noted_name",
}
"""The hint that a value was kept for a later question (its text in ``domain.yml``)."""
