"""Complaints, warranty claims, breakdowns and privacy requests as CRM cases.

Which complaints go to a human at once: those of Gold and Platinum
customers, and a complaint about a topic the customer has complained about
before (K-100004's chassis noise).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from bot.crm.enums import CaseKind, Tier
from bot.crm.schemas import Case, Customer

VIP_TIERS = frozenset({Tier.GOLD, Tier.PLATINUM})
COMPLAINT_VIP = "complaint_vip"
COMPLAINT_REPEATED = "complaint_repeated"
MIN_DESCRIPTION_WORDS = 8
"""A request message this long already says what happened (no need to ask again)."""
SUBJECT_LENGTH = 70

_STOP_WORDS = frozenset(
    [
        "aber",
        "alle",
        "allem",
        "auch",
        "auto",
        "autos",
        "bei",
        "beim",
        "bitte",
        "dann",
        "dass",
        "davon",
        "denn",
        "diese",
        "diesem",
        "dieser",
        "doch",
        "eine",
        "einem",
        "einen",
        "einer",
        "erneut",
        "etwas",
        "fahrzeug",
        "fahrzeuge",
        "habe",
        "haben",
        "hatte",
        "heute",
        "hier",
        "immer",
        "jetzt",
        "kann",
        "keine",
        "komme",
        "kommt",
        "machen",
        "macht",
        "mein",
        "meine",
        "meinem",
        "meinen",
        "meiner",
        "mich",
        "mehr",
        "nach",
        "nicht",
        "noch",
        "nochmal",
        "oder",
        "schon",
        "sehr",
        "seid",
        "seit",
        "sich",
        "sind",
        "unter",
        "vom",
        "von",
        "vorne",
        "wagen",
        "wann",
        "war",
        "warum",
        "was",
        "weil",
        "wenn",
        "werden",
        "wieder",
        "wird",
        "wurde",
        "zum",
        "zur",
        "über",
    ]
)


def topic_keys(text: str) -> set[str]:
    """Return the words that name a complaint's topic, stemmed crudely ("Geräusche" -> "geräus")."""
    tokens = re.findall(r"[a-zäöüß]+", text.lower())
    return {token[:6] for token in tokens if len(token) >= 4 and token not in _STOP_WORDS}


def earlier_complaint_on_topic(description: str, cases: Iterable[Case]) -> Case | None:
    """Return an earlier complaint that shares a topic word with ``description``, if any."""
    keys = topic_keys(description)
    for case in cases:
        if case.kind is CaseKind.COMPLAINT and keys & topic_keys(
            f"{case.subject} {case.description}"
        ):
            return case
    return None


def complaint_handoff_reason(
    customer: Customer, description: str, cases: Sequence[Case]
) -> str | None:
    """Return why a complaint goes to a human at once, or None.

    A repeated complaint is named as such even for a VIP customer: it tells
    the agent more.
    """
    if earlier_complaint_on_topic(description, cases) is not None:
        return COMPLAINT_REPEATED
    if customer.tier in VIP_TIERS:
        return COMPLAINT_VIP
    return None


def subject_from(description: str, prefix: str) -> str:
    """Return a case subject: ``prefix`` and the start of the description (one line)."""
    text = " ".join(description.split())
    if len(text) > SUBJECT_LENGTH:
        text = text[: SUBJECT_LENGTH - 1].rsplit(" ", 1)[0] + "…"
    return f"{prefix}: {text}" if text else prefix


_SINCE = re.compile(r"\bseit\s+(.*)", re.IGNORECASE)
_TIME_WORDS = frozenset({"gestern", "heute", "vorgestern", "kurzem", "langem", "neuestem", "immer"})


def since_phrase(text: str) -> str | None:
    """Return "seit ..." from a description ("seit der Inspektion", "seit zwei Wochen"), or None.

    The phrase ends with its first noun (a capitalised word), date or time
    word, and is at most four words long.
    """
    found = _SINCE.search(text)
    if not found:
        return None
    taken: list[str] = []
    for word in found.group(1).split()[:4]:
        clean = word.strip(",;:!?")
        if not any(c.isdigit() for c in clean):  # "10.11." keeps its dot
            clean = clean.strip(".")
        taken.append(clean)
        if clean[:1].isupper() or any(c.isdigit() for c in clean) or clean.lower() in _TIME_WORDS:
            return "seit " + " ".join(taken)
        if clean != word:  # punctuation ends the phrase
            break
    return None


_BROKEN = re.compile(
    r"\b(kaputt|defekt|ausgefallen|undicht|geht\s+(nicht|kaum)|funktioniert\s+nicht"
    r"|springt\s+nicht|klappert|quietscht|tropft|rostet|leuchtet)",
    re.IGNORECASE,
)
MIN_BROKEN_WORDS = 4
"""A shorter request that names what is broken ("die Klimaanlage ist kaputt") describes it too."""


def describes_what_happened(text: str | None) -> bool:
    """Tell whether a request message already describes the problem.

    It does when it is long enough, or names what is broken in a few words
    ("Garantiefall melden, die Klimaanlage ist kaputt").
    """
    words = len((text or "").split())
    if words >= MIN_DESCRIPTION_WORDS:
        return True
    return words >= MIN_BROKEN_WORDS and bool(_BROKEN.search(text or ""))
