"""Recognise a question about the wait for a human ("Wie lange dauert das denn noch?").

While a conversation waits for an agent, such a question is about the queue,
whatever intent the classifier files it under (often ``appointment_status``:
"wie lange dauert ..." is how customers ask about a car in the workshop). The
NLU component :mod:`bot.nlu.components.wait_question_marker` marks it with the
entity :data:`WAIT_QUESTION`; a rule conditioned on an open escalation sends
it to the escalation, whose action answers with the place in the queue. A
question that names its own subject ("Wie lange dauert die Inspektion?",
"Wann ist mein Werkstatttermin?") is not about the wait and is served as
before.
"""

from __future__ import annotations

import re

from bot.escalation.frustration import normalize

WAIT_QUESTION = "wait_question"
"""The entity that marks a question about the wait."""

_PATTERNS = tuple(
    re.compile(pattern)
    for pattern in (
        # "wie lange dauert das (denn) noch", "wie lang dauerts noch", "dauert es noch lange"
        r"\bwie ?lange?\b.*\bdauert ?(das|es|s)?\b(?!.*\b(inspektion|reparatur|wartung|"
        r"lieferung|service|termin|bestellung)\b)",
        r"\bdauert (das|es) (denn |jetzt |wohl )?noch( lange)?\b",
        # "wie lange (muss ich) noch warten", "wie lange noch?"
        r"\bwie ?lange?\b.*\b(noch )?warten\b",
        r"^\W*(und )?(wie ?lange?|wann) (denn )?noch\W*$",
        # "wann meldet sich (endlich) jemand", "wann kommt ein Mitarbeiter"
        r"\bwann (meldet|kommt|schreibt|antwortet) (sich )?(denn |endlich |jetzt )*"
        r"(jemand|einer|wer|ein mitarbeiter|eine mitarbeiterin|ihr kollege|der kollege)\b",
        r"\b(ist|kommt) (denn |endlich |jetzt )*(schon |noch )?(jemand|wer|einer)\b.*\b(da|dran|"
        r"unterwegs)\b",
        # the queue itself
        r"\b(warteschlange|wartezeit|wartenummer)\b",
        r"\bwelche(r)? (position|platz|stelle)\b",
        r"\bwie viele (sind|leute|kunden|personen) (noch )?vor mir\b",
        r"\bbin ich (jetzt |endlich |bald |schon )*dran\b",
    )
)


def is_wait_question(text: str) -> bool:
    """Tell whether ``text`` asks how long the wait for a human still takes.

    Args:
        text: The customer's message.

    Returns:
        True for "Wie lange dauert das noch?", "Wann meldet sich jemand?",
        "Bin ich bald dran?"; False for questions with a subject of their own
        ("Wie lange dauert die Inspektion?", "Wann ist mein Werkstatttermin?").

    """
    folded = normalize(text[:500]).strip()
    return any(pattern.search(folded) for pattern in _PATTERNS)
