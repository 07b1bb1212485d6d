"""A small German frustration detector: insults and repeated negative turns.

No model and no download: word stems and phrases, matched on a normalised
text (lower case, umlauts folded, so "bloed" and "blöd" are the same). A
single insult is enough; plain negative messages count when they come in a
row (the current one and at least one of the two before it), because one
"das hilft mir nicht" is feedback, three are frustration.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

INSULT_STEMS = (
    "idiot",
    "vollidiot",
    "depp",
    "trottel",
    "scheiss",
    "scheis",
    "arsch",
    "bloed",
    "dummkopf",
    "daemlich",
    "unfaehig",
    "nutzlos",
    "schrott",
    "saftladen",
    "verarsch",
    "kacke",
    "mistding",
    "drecks",
    "witzlos",
    "inkompetent",
    "bescheuert",
)
INSULT_ENDINGS = ("idiot", "depp", "trottel", "arschloch")
INSULT_WORDS = frozenset({"dumm", "dumme", "dummer", "dummes", "dummen", "doof", "doofe", "doofer"})
NEGATIVE_PHRASES = (
    "hilft nicht",
    "hilft mir nicht",
    "hilft ueberhaupt nicht",
    "bringt nichts",
    "bringt mir nichts",
    "verstehst du nicht",
    "verstehen sie nicht",
    "verstehst mich nicht",
    "verstehen mich nicht",
    "schon wieder",
    "immer noch nicht",
    "zum wiederholten mal",
    "zum dritten mal",
    "zum x-ten mal",
    "keine antwort",
    "nicht zufrieden",
    "reicht mir",
    "reicht jetzt",
    "so ein mist",
    "das ist ein witz",
)
NEGATIVE_WORDS = frozenset(
    {
        "nervt",
        "nervig",
        "aergerlich",
        "veraergert",
        "enttaeuscht",
        "enttaeuschend",
        "unzufrieden",
        "sauer",
        "wuetend",
        "frechheit",
        "zumutung",
        "unverschaemt",
        "unverschaemtheit",
        "katastrophe",
        "katastrophal",
        "laecherlich",
        "sinnlos",
        "furchtbar",
        "schrecklich",
        "mist",
        "unmoeglich",
    }
)
_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_WORD = re.compile(r"[a-z0-9-]+")
RECENT_TURNS = 3


@dataclass(frozen=True)
class Verdict:
    """The detector's finding on the latest customer message.

    Attributes:
        frustrated: Hand the conversation over.
        insult: The latest message insults (or swears).
        negative_turns: Negative messages among the recent turns.

    """

    frustrated: bool
    insult: bool
    negative_turns: int


def normalize(text: str) -> str:
    """Lower-case ``text`` and fold umlauts and ß."""
    return text.lower().translate(_FOLD)


def is_insult(text: str) -> bool:
    """Tell whether ``text`` contains an insult or a swear word."""
    words = _WORD.findall(normalize(text))
    return any(
        word in INSULT_WORDS or word.startswith(INSULT_STEMS) or word.endswith(INSULT_ENDINGS)
        for word in words
    )


def is_negative(text: str, intent: str | None = None) -> bool:
    """Tell whether a message is negative (an insult, a complaint about the bot, ...).

    Args:
        text: The customer's message.
        intent: Its intent; ``express_frustration`` is negative by itself.

    """
    if intent == "express_frustration" or is_insult(text):
        return True
    folded = normalize(text)
    if any(phrase in folded for phrase in NEGATIVE_PHRASES):
        return True
    if NEGATIVE_WORDS.intersection(_WORD.findall(folded)):
        return True
    letters = [c for c in text if c.isalpha()]
    shouting = len(letters) >= 8 and sum(c.isupper() for c in letters) / len(letters) > 0.8
    return shouting or "!!!" in text or "???" in text


def assess(turns: Sequence[tuple[str, str | None]]) -> Verdict:
    """Judge the latest customer message in the light of the ones before.

    Args:
        turns: The customer's messages as (text, intent), oldest first.

    Returns:
        Frustrated when the latest message insults, or when it is negative
        and at least one of the two before it was negative too.

    """
    if not turns:
        return Verdict(False, False, 0)
    recent = list(turns)[-RECENT_TURNS:]
    text = recent[-1][0]
    insult = is_insult(text)
    negative = [is_negative(t, i) for t, i in recent]
    count = sum(negative)
    frustrated = insult or (negative[-1] and count >= 2)
    return Verdict(frustrated, insult, count)


def frustrated_recently(turns: Sequence[tuple[str, str | None]]) -> bool:
    """Tell whether the recent turns show frustration, whatever the latest one says.

    Used when the customer asks for a human: an insult or two negative
    messages among the last three make the escalation a frustrated one.
    """
    recent = list(turns)[-RECENT_TURNS:]
    return any(is_insult(text) for text, _ in recent) or (
        sum(is_negative(text, intent) for text, intent in recent) >= 2
    )
