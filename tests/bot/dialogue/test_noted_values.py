"""A value meant for another question of the form is kept for it, never read as this answer."""

from __future__ import annotations

from datetime import date

import pytest

from bot.dialogue.form_policy import Turn
from bot.dialogue.noted_values import (
    Kind,
    Misplaced,
    Noted,
    noted_elsewhere,
    noted_in_turn,
    value_kind,
)

TODAY = date(2026, 11, 23)
TEST_DRIVE = {
    "model": frozenset({Kind.CHOICE}),
    "place": frozenset({Kind.PLACE}),
    "date": frozenset({Kind.DATE}),
    "name": frozenset({Kind.NAME}),
    "contact": frozenset({Kind.EMAIL, Kind.PHONE}),
}
NO_ENTITIES: dict[str, str | None] = {}


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("am Samstag", Kind.DATE, "am Samstag"),
        ("nächsten Dienstag um 10", Kind.DATE, "nächsten Dienstag um 10"),
        ("27.11.2026", Kind.DATE, "27.11.2026"),
        ("seit letzter Woche", Kind.DATE, "seit letzter Woche"),
        ("Peter Lustig", Kind.NAME, "Peter Lustig"),
        ("ich heiße Max Muster", Kind.NAME, "Max Muster"),
        ("peter@example.org", Kind.EMAIL, "peter@example.org"),
        ("meine Nummer ist +49 89 123456", Kind.PHONE, "+49 89 123456"),
    ],
)
def test_a_plain_value_has_a_kind(text: str, kind: Kind, value: str) -> None:
    assert value_kind(text, TODAY, entities=NO_ENTITIES) == Noted("", kind, value)


@pytest.mark.parametrize(
    "text",
    [
        "in Hamburg",
        "Hamburg",
        "80331",
        "Bad Homburg",
        "Hagen",  # a town, and a first name
        "ich bin in Hamburg",
        "Strato GT",
        "blablub",
        "Die Bremsen quietschen seit Samstag",
        "anna at example",  # a wrong e-mail address, not a name
    ],
)
def test_a_place_a_choice_or_a_sentence_is_no_plain_value(text: str) -> None:
    assert value_kind(text, TODAY, entities=NO_ENTITIES) is None


def test_a_town_the_nlu_found_is_a_place() -> None:
    assert value_kind("Peter Lustig", TODAY, entities={"city": "Lustig"}) is None


@pytest.mark.parametrize(
    ("text", "slot", "kind"),
    [
        ("am Samstag", "date", Kind.DATE),
        ("Peter Lustig", "name", Kind.NAME),
        ("peter@example.org", "contact", Kind.EMAIL),
    ],
)
def test_the_issues_example_a_value_for_a_later_question_while_the_place_is_asked(
    text: str, slot: str, kind: Kind
) -> None:
    found = noted_elsewhere("place", text, TEST_DRIVE, TODAY, entities=NO_ENTITIES)
    assert found == Noted(slot, kind, found.value if found else "")


def test_the_answer_to_the_open_question_is_left_to_it() -> None:
    assert noted_elsewhere("date", "am Samstag", TEST_DRIVE, TODAY, entities=NO_ENTITIES) is None
    assert (
        noted_elsewhere("contact", "0171 1234567", TEST_DRIVE, TODAY, entities=NO_ENTITIES) is None
    )
    assert noted_elsewhere("place", "in Köln", TEST_DRIVE, TODAY, entities={"city": "Köln"}) is None


def test_since_when_is_kept_while_the_vehicle_is_asked() -> None:
    kinds = {
        "description": frozenset({Kind.TEXT}),
        "vehicle": frozenset({Kind.CHOICE}),
        "since": frozenset({Kind.DATE}),
    }
    found = noted_elsewhere("vehicle", "seit gestern", kinds, TODAY, entities=NO_ENTITIES)
    assert found == Noted("since", Kind.DATE, "seit gestern")


def test_a_question_that_takes_any_text_keeps_its_answer() -> None:
    kinds = {"description": frozenset({Kind.TEXT}), "since": frozenset({Kind.DATE})}
    assert noted_elsewhere("description", "am Samstag", kinds, TODAY, entities=NO_ENTITIES) is None
    assert noted_elsewhere("unknown", "am Samstag", kinds, TODAY, entities=NO_ENTITIES) is None


def test_a_value_no_question_takes_is_misplaced() -> None:
    kinds = {"location": frozenset({Kind.PLACE})}
    found = noted_elsewhere("location", "peter@example.org", kinds, TODAY, entities=NO_ENTITIES)
    assert found == Misplaced(Kind.EMAIL, "peter@example.org")


def test_a_turn_is_read_with_its_entities() -> None:
    turn = Turn(
        intent="inform", text="schreiben Sie mir", entities={"email": ["a@b.de"]}, asked="place"
    )
    assert noted_in_turn(turn, TEST_DRIVE, TODAY) == Noted("contact", Kind.EMAIL, "a@b.de")
