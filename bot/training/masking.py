"""Personal data out of a customer message before the inbox stores it.

Numbers and addresses are found by their shape; names are the ones the CRM
knows (every customer's first and last name, as whole words) and any name
after a salutation. Each is replaced by a fixed stand-in of the same shape
(``K-000000``, ``name@example.com``, ``Name``), not by a marker: the masked
text stays a sentence a customer could have written, so a trainer can label
it and export it as a training example, and the pattern entities of the
NLU (``data/nlu/entities.yml``) still find a customer number in it.

Over-masking is the safe side: a year or a four-digit price may become
``0000``; a real number or name never reaches the table.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Collection, Iterable

from sqlalchemy import select, union
from sqlalchemy.orm import Session

from bot.crm.models import Customer

MAX_TEXT_CHARACTERS = 2000
"""The channels refuse longer messages; anything longer is cut before masking."""

NAME_STAND_IN = "Name"
_DOCUMENT_STAND_INS = {"B": "B-00000000", "R": "R-00000000"}

_RULES: tuple[tuple[str, Callable[[re.Match[str]], str]], ...] = (
    (r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}", lambda m: "name@example.com"),
    (r"\b[A-Fa-f0-9]{32,}\b", lambda m: "xxx"),  # a pasted secret or token
    (r"(?i:\b[A-HJ-NPR-Z0-9]{17}\b)", lambda m: "X" * 17),
    (r"(?i:(?<![\w-])K\s?[-–]?\s?\d{6}(?!\d))", lambda m: "K-000000"),
    (
        r"(?i:\b([BRLTCP])\s?[-–]?\s?\d{4,10}\b)",
        lambda m: _DOCUMENT_STAND_INS.get(m.group(1).upper(), f"{m.group(1).upper()}-0000"),
    ),
    (r"(?<![\w.])(?:\+|00)\d[\d ()/-]{6,}\d", lambda m: "0000 0000000"),
    (r"(?<![\w.:])0\d{2,4}[ /-]?\d{3,}(?:[ -]?\d+)*", lambda m: "0000 0000000"),
    # plates: "M-AB 1234", "HH-XY-99", "W-12345X"
    (
        r"\b[A-ZÄÖÜ]{1,3}[- ][A-Z]{1,2}[- ]?\d{1,4}[EH]?\b|\b[A-Z]{1,2}-\d{3,6}[A-Z]?\b",
        lambda m: "XX-XX 000",
    ),
    (r"\b\d{6}\b", lambda m: "000000"),  # a bare customer number
    (r"\b\d{5}\b", lambda m: "00000"),  # a German postal code
    (r"\b\d{4}\b", lambda m: "0000"),  # Austrian/Swiss postal codes; years too
    (
        r"\b(Herr|Frau|Herrn|Dr\.|Mr\.?|Mrs\.?|Ms\.?)\s+[A-ZÄÖÜ][\w'-]+(?:\s+[A-ZÄÖÜ][\w'-]+)*",
        lambda m: f"{m.group(1)} {NAME_STAND_IN}",
    ),
)
_COMPILED = [(re.compile(pattern), stand_in) for pattern, stand_in in _RULES]
_ANY = re.compile("|".join(f"(?P<r{i}>{pattern})" for i, (pattern, _) in enumerate(_RULES)))
"""One pass over the text: a stand-in is never masked a second time."""


def _stand_in(match: re.Match[str]) -> str:
    index = int(str(match.lastgroup)[1:])
    pattern, stand_in = _COMPILED[index]
    inner = pattern.fullmatch(match.group(0))
    return stand_in(inner) if inner else "xxx"


def mask_message(text: str, names: Collection[str] = ()) -> str:
    """Return ``text`` with personal data replaced by stand-ins of the same shape.

    Args:
        text: What the customer wrote.
        names: Names to mask as whole words (capitalised or not), e.g. the CRM's.

    """
    text = _ANY.sub(_stand_in, text[:MAX_TEXT_CHARACTERS])
    if names:
        text = _WORD.sub(
            lambda m: NAME_STAND_IN if m.group(0).casefold() in names else m.group(0), text
        )
    return text


_WORD = re.compile(r"[^\W\d_][\w'-]*")


class CrmNames:
    """The first and last names of the CRM's customers, folded, re-read every few minutes.

    Args:
        sessions: Session factory of the CRM database.
        refresh_seconds: How long a read stays current.
        common_words: Folded words never treated as names (a name like "Mai"
            or "Winter" is also a word customers use for other things).

    """

    def __init__(
        self,
        sessions: Callable[[], Session],
        refresh_seconds: float = 300.0,
        common_words: Iterable[str] = (),
    ) -> None:
        self._sessions = sessions
        self._refresh = refresh_seconds
        self._common = {word.casefold() for word in common_words}
        self._names: frozenset[str] = frozenset()
        self._read_at = float("-inf")
        self._lock = threading.Lock()

    def __call__(self) -> frozenset[str]:
        """Return the folded names (read again when older than the refresh time)."""
        with self._lock:
            if time.monotonic() - self._read_at > self._refresh:
                with self._sessions() as session:
                    rows = session.execute(
                        union(select(Customer.first_name), select(Customer.last_name))
                    ).scalars()
                    names = {
                        part.casefold()
                        for row in rows
                        if row
                        for part in re.split(r"[\s-]+", row)
                        if len(part) >= 3
                    }
                self._names = frozenset(names - self._common)
                self._read_at = time.monotonic()
            return self._names
