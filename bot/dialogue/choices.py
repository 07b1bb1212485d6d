"""What a customer chose from the options the bot offered, however they typed it.

Wherever the bot offers options (times, workshops, vehicles, appointments,
contracts), the customer may click the button, type its text, an ordinal
("der erste", "den letzten", "die Zweite", "Nummer 3"), a distinguishing
part ("den um 10", "Montag", "den Strato") or, when exactly one option was
offered, "ja". :func:`choose` reads all of these the same way for every form.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


ORDINALS: dict[str, int] = {
    "erst": 1, "zweit": 2, "dritt": 3, "viert": 4, "fünft": 5,
    "sechst": 6, "siebt": 7, "acht": 8, "neunt": 9, "zehnt": 10,
    "first": 1, "second": 2, "third": 3,
}  # fmt: skip
"""Ordinal stems ("erst" matches erste, ersten, erster, erstes)."""

_LAST = {"letzt", "last"}
_SECOND_LAST = {"vorletzt"}
_ORDINAL = re.compile(
    r"\b(vorletzt|letzt|erst|zweit|dritt|viert|fünft|sechst|siebt|acht|neunt|zehnt)"
    r"(?:e|en|er|es|em)\b|\b(first|second|third|last)\b"
)
_NUMBERED = re.compile(
    r"\b(?:nummer|nr|option|variante|no)\.?\s*(\d{1,2})\b|^\s*(\d{1,2})\s*\.?\s*$"
)
_TOKEN = re.compile(r"\d{1,2}\.\d{1,2}\.(?:\d{2,4})?|\d{1,2}:\d{2}|[\w\-]+")
_DOTTED_ORDINAL = re.compile(r"^\s*(?:den|die|das|der)?\s*(\d{1,2})\.\s*(?:bitte|passt)?\s*$")

YES_WORDS = _word_set(
    """
    ja jo jap jep jawohl gern gerne genau passt ok okay klar sicher richtig
    einverstanden perfekt super prima gut yes yep passt's
    """
)
"""Words that accept the single option offered."""

WEEKDAY_NAMES = {
    "mo": "montag", "di": "dienstag", "mi": "mittwoch", "do": "donnerstag",
    "fr": "freitag", "sa": "samstag", "so": "sonntag",
}  # fmt: skip

NO_WORDS = _word_set(
    """
    nein nee ne nö nicht keiner keine keinen no
    """
)

FILLER_WORDS = _word_set(
    """
    der die das den dem des ein eine einen einem ich nehme nehm möchte will hätte hätt
    gerne gern bitte passt mir am um im in an auf beim bei zum zur für uhr termin
    termine wäre wär wäre's ist doch lieber dann also mal so ja the one option nummer nr
    es geht gehen klingt gut würde mich ok okay aber eher besser nehmen vielleicht wenn
    möglich
    """
)
"""Words that carry no choice ("den um 10 bitte" chooses by "10")."""


@dataclass(frozen=True)
class Option:
    """One offered option.

    Attributes:
        value: What the form stores when it is chosen (a slot start, a code).
        title: What the button shows.
        payload: What the button sends (often a ``/intent{...}`` string).
        keys: More words that name it: a weekday, "10", a plate, a model.

    """

    value: str
    title: str
    payload: str = ""
    keys: tuple[str, ...] = ()

    def words(self) -> set[str]:
        """Return the normalised words that name this option ("Sa." also names "Samstag")."""
        found = set(_words(self.title))
        for key in self.keys:
            found.update(_words(key))
        found.update(WEEKDAY_NAMES[w] for w in list(found) if w in WEEKDAY_NAMES)
        return found


@dataclass(frozen=True)
class Choice:
    """The result of :func:`choose`.

    ``option`` is set when the text picks exactly one option; ``candidates``
    holds the options it could mean when it fits several (ask which one).
    """

    option: Option | None = None
    candidates: tuple[Option, ...] = field(default_factory=tuple)
    how: str = ""

    @property
    def chosen(self) -> bool:
        """Whether exactly one option was chosen."""
        return self.option is not None

    @property
    def ambiguous(self) -> bool:
        """Whether the text fits several options (ask which one)."""
        return self.option is None and len(self.candidates) > 1


def choose(text: str | None, options: Sequence[Option]) -> Choice:
    """Return which of ``options`` the customer's ``text`` picks, if any.

    Tried in order: the button's payload or title, an ordinal or number, "ja"
    with a single option, then distinguishing words (all content words of the
    text must name the option, and only that one).
    """
    if not text or not options:
        return Choice()
    raw = text.strip()
    for option in options:
        if (option.payload and raw == option.payload) or raw == option.value:
            return Choice(option, how="payload")
    normal = _normal(raw)
    for option in options:
        if normal == _normal(option.title):
            return Choice(option, how="title")
    position = ordinal_position(normal, len(options))
    if position is not None:
        return Choice(options[position], how="ordinal")
    if _ORDINAL.search(normal) or _NUMBERED.search(normal):
        return Choice(how="no such position")
    content = [w for w in _words(normal) if w not in FILLER_WORDS]
    if len(options) == 1 and _is_plain_yes(normal):
        return Choice(options[0], how="yes")
    if not content or all(w in NO_WORDS for w in content):
        return Choice()
    matching = [o for o in options if all(_names(w, o.words()) for w in content)]
    if len(matching) == 1:
        return Choice(matching[0], how="words")
    if len(matching) > 1:
        return Choice(candidates=tuple(matching), how="words")
    return Choice()


def ordinal_position(text: str, count: int) -> int | None:
    """Return the 0-based position an ordinal or number in ``text`` names, if valid."""
    normal = _normal(text)
    found: int | None = None
    match = _ORDINAL.search(normal)
    if match:
        stem = match.group(1) or match.group(2)
        if stem in _LAST:
            found = count
        elif stem in _SECOND_LAST:
            found = count - 1
        else:
            found = ORDINALS[stem]
    else:
        numbered = _NUMBERED.search(normal) or _DOTTED_ORDINAL.search(normal)
        if numbered:
            found = int(next(g for g in numbered.groups() if g))
    if found is None or not 1 <= found <= count:
        return None
    return found - 1


def _is_plain_yes(normal: str) -> bool:
    words = _words(normal)
    return bool(words) and words[0] in YES_WORDS and not any(w in NO_WORDS for w in words)


def _names(word: str, option_words: set[str]) -> bool:
    """Whether ``word`` names the option: equal, a prefix of 3+ letters, or the same hour."""
    if word in option_words:
        return True
    if word.isdigit():
        return str(int(word)) in option_words
    return len(word) >= 3 and any(w.startswith(word) for w in option_words if not w.isdigit())


def _normal(text: str) -> str:
    text = unicodedata.normalize("NFC", text).casefold()
    return re.sub(r"\s+", " ", text).strip()


def _words(text: str) -> list[str]:
    """Return lower-case words; "09:00" gives "9" and "9:00", "Sa." gives "sa"."""
    words: list[str] = []
    for token in re.findall(r"\d{1,2}:\d{2}|[\w\-]+", _normal(text)):
        if ":" in token:
            hour, minute = token.split(":")
            words.append(str(int(hour)))
            if minute != "00":
                words.append(f"{int(hour)}:{minute}")
            continue
        words.append(token.lstrip("0") or token if token.isdigit() else token)
    return words
