"""End to end: answers that never fit get an example, other words, then a human - never a loop.

Every form of the domain is walked with answers that fit none of its
questions; no bot message may come three turns in a row (the corpus's loop
rule), the question asked a second time explains with an example (never the
same words again), the third time it is asked differently (the options, a
human, stop as buttons) and after the third miss the conversation goes to a
human.
"""

from __future__ import annotations

import pytest
import yaml

from tests.conversations.corpus import loops
from tests.conversations.customers import CustomerPicker
from tests.e2e.chat import Chat, customer_token
from tests.support.processes import PROJECT_ROOT

pytestmark = [pytest.mark.model, pytest.mark.e2e]

NONSENSE = ("blablub", "asdf qwertz", "xyz 42")

FORMS: dict[str, tuple[str | list[str] | None, list[str]]] = {
    # form: (customer number, or what the customer needs, or None; the turns before the nonsense)
    "verification_form": (None, ["Wo ist meine Bestellung?"]),
    "test_drive_form": (None, ["Ich möchte eine Probefahrt machen"]),
    "dealer_form": (None, ["Wo finde ich eine Werkstatt?"]),
    "book_appointment_form": ("K-200011", ["Ich brauche einen Werkstatttermin"]),
    "reschedule_appointment_form": (
        ["one_appointment_ahead"],
        ["Ich möchte meinen Termin verschieben"],
    ),
    "cancel_appointment_form": (["one_appointment_ahead"], ["Ich möchte meinen Termin absagen"]),
    "contact_change_form": ("K-200011", ["Ich möchte meine Kontaktdaten ändern"]),
    "case_form": (
        ["several_vehicles"],
        ["Ich möchte mich beschweren, die Klimaanlage kühlt seit der Reparatur nicht mehr"],
    ),
    "breakdown_form": (
        ["several_vehicles"],
        ["Ich habe eine Panne", "A7 Richtung Hamburg, km 123"],  # then: which vehicle?
    ),
}

EXPLAINED = ("zum beispiel", "„", "ja oder nein")
"""What an explanation with an example says (a quoted example answer, or how to say yes)."""


def test_every_form_of_the_domain_is_walked() -> None:
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
    assert set(FORMS) == set(domain["forms"])


def _customer(crm_server, wanted: str | list[str] | None) -> str | None:
    if not isinstance(wanted, list):
        return wanted
    picker = CustomerPicker(crm_server.database)
    try:
        return picker.pick(wanted).number
    finally:
        picker.close()


@pytest.mark.parametrize("form", sorted(FORMS))
def test_nonsense_answers_get_an_example_a_rephrased_question_then_a_human(
    rasa_server, crm_server, form: str
) -> None:
    wanted, before = FORMS[form]
    customer = _customer(crm_server, wanted)
    metadata = {"customer_token": customer_token(customer)} if customer else None
    chat = Chat(rasa_server, metadata=metadata)
    transcript = [(said, chat.say(said)) for said in [*before, *NONSENSE]]
    texts = [(said, [m.get("text") or "" for m in turn.messages]) for said, turn in transcript]
    assert loops(texts) == []
    asked, first, second, third = (turn for _, turn in transcript[len(before) - 1 :])
    # asked a second time: explained with an example, not in the same words
    assert any(marker in first.text.lower() for marker in EXPLAINED), first.text
    assert first.messages[-1].get("text") != asked.messages[-1].get("text")
    # asked a third time: differently, with a human (and stopping) as buttons
    assert "/request_human" in second.buttons, second.text
    assert second.messages[-1].get("text") != first.messages[-1].get("text")
    # a third miss: a human takes over
    assert "nicht weiter" in third.text
    assert chat.slot("escalation_open") is True
    assert chat.tracker()["active_loop"] == {}  # the form ended
