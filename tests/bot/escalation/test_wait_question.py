"""Questions about the wait for a human, told apart from questions with a subject of their own."""

from __future__ import annotations

import pytest

from bot.escalation.wait_question import is_wait_question


@pytest.mark.parametrize(
    "text",
    [
        "Wie lange dauert das denn noch?",
        "wie lange dauerts noch",
        "Dauert es noch lange?",
        "Wie lange muss ich noch warten?",
        "wie lange noch?",
        "Wann meldet sich endlich jemand?",
        "Wann kommt ein Mitarbeiter?",
        "Ist schon jemand dran?",
        "Wie ist die Wartezeit?",
        "Welche Position habe ich?",
        "Wie viele sind noch vor mir?",
        "Bin ich bald dran?",
    ],
)
def test_a_question_about_the_wait(text: str) -> None:
    assert is_wait_question(text)


@pytest.mark.parametrize(
    "text",
    [
        "Wann ist mein Werkstatttermin?",
        "Wie lange dauert die Inspektion?",
        "Wie lange dauert die Reparatur noch?",
        "Wie lange dauert die Lieferung noch?",
        "Wann ist mein Auto fertig?",
        "Wie lange läuft mein Vertrag noch?",
        "Mein Auto macht komische Geräusche beim Bremsen",
        "Ich möchte mit einem Menschen sprechen",
    ],
)
def test_a_question_with_a_subject_of_its_own(text: str) -> None:
    assert not is_wait_question(text)
