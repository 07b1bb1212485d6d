"""End to end: answers that never fit get a rephrased question, then a human - never a loop.

Every form is walked with answers that fit none of its questions; no bot
message may come three turns in a row (the corpus's loop rule), the third
question is asked differently (an example, the options, a human, stop as
buttons) and after the third miss the conversation goes to a human.
"""

from __future__ import annotations

import pytest

from tests.conversations.corpus import loops
from tests.e2e.chat import Chat, customer_token

pytestmark = [pytest.mark.model, pytest.mark.e2e]

NONSENSE = ("blablub", "asdf qwertz", "xyz 42")

FORMS = {
    # form: (customer or None, the request)
    "test_drive": (None, "Ich möchte eine Probefahrt machen"),
    "dealer": (None, "Wo finde ich eine Werkstatt?"),
    "book_appointment": ("K-200011", "Ich brauche einen Werkstatttermin"),
    "contact_change": ("K-200011", "Ich möchte meine Kontaktdaten ändern"),
}


@pytest.mark.parametrize("form", sorted(FORMS))
def test_nonsense_answers_get_a_rephrased_question_then_a_human(
    rasa_server, crm_server, form: str
) -> None:
    customer, request = FORMS[form]
    metadata = {"customer_token": customer_token(customer)} if customer else None
    chat = Chat(rasa_server, metadata=metadata)
    transcript = [(request, chat.say(request))]
    transcript += [(said, chat.say(said)) for said in NONSENSE]
    texts = [(said, [m.get("text") or "" for m in turn.messages]) for said, turn in transcript]
    assert loops(texts) == []
    rephrased = transcript[2][1]
    assert "/request_human" in rephrased.buttons and "abbrechen" in rephrased.buttons
    assert "nicht weiter" in transcript[3][1].text
    assert chat.slot("escalation_open") is True
