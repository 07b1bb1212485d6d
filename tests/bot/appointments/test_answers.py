"""The appointment form's decisions on an answer (bot.appointments.answers), without Rasa."""

from __future__ import annotations

from datetime import datetime

from bot.appointments import answers
from bot.appointments.offers import slot_key
from bot.dialogue import slots as names
from tests.bot.appointments.test_offers import TODAY, slots, workshop

BERLIN = workshop("berlin-mitte", "Berlin", "Nordlicht Werkstatt Berlin-Mitte")
SPANDAU = workshop("berlin-spandau", "Berlin", "Nordlicht Werkstatt Berlin-Spandau")
KOELN = workshop("koeln", "Köln", "Nordlicht Werkstatt Köln")
TUESDAY_TEN = datetime(2026, 11, 24, 10)


def test_answers_to_which_workshop_are_told_apart() -> None:
    assert answers.workshop_answer(answers.USUAL) is answers.WorkshopAnswer.USUAL
    assert answers.workshop_answer(answers.OTHER) is answers.WorkshopAnswer.OTHER
    assert answers.workshop_answer("10115") is answers.WorkshopAnswer.POSTAL_CODE
    assert answers.workshop_answer("Köln") is answers.WorkshopAnswer.NAME


def test_one_match_is_chosen_several_are_offered_none_is_said() -> None:
    assert answers.workshop_by_name("Köln", [BERLIN, KOELN]) == "koeln"
    several = answers.workshop_by_name("Berlin", [BERLIN, SPANDAU, KOELN])
    assert isinstance(several, answers.Decision) and several.reply is not None
    assert several.reply.response == "utter_appointment_choose_workshop"
    assert [b.payload for b in several.reply.buttons] == [BERLIN.name, SPANDAU.name]
    none = answers.workshop_by_name("Atlantis", [BERLIN, KOELN])
    assert isinstance(none, answers.Decision) and none.reply is not None
    assert none.reply.values == {"place": "Atlantis"}


def test_another_workshop_drops_the_time_and_checks_an_exact_wish_there() -> None:
    same = answers.workshop_chosen("berlin", "berlin", None)
    assert same.values == {names.APPOINTMENT_WORKSHOP: "berlin"} and same.check_at is None
    wish = answers.start_as_wish(answers.start_wish(slot_key(TUESDAY_TEN), TODAY))
    moved = answers.workshop_chosen("koeln", "berlin", wish.values[names.APPOINTMENT_PREFERENCE])
    assert moved.values[names.APPOINTMENT_START] is None and moved.check_at == TUESDAY_TEN
    taken = answers.wished_time_at(moved, slots(TUESDAY_TEN))
    assert taken[names.APPOINTMENT_START] == slot_key(TUESDAY_TEN)
    assert taken[names.APPOINTMENT_PREFERENCE] is None
    not_free = answers.wished_time_at(moved, slots(datetime(2026, 11, 24, 11)))
    assert not_free[names.APPOINTMENT_START] is None


def test_a_free_exact_time_is_taken_a_taken_one_is_said_with_its_day_offered() -> None:
    free = answers.start_at(TUESDAY_TEN, slots(TUESDAY_TEN))
    assert free.values == {
        names.APPOINTMENT_START: slot_key(TUESDAY_TEN),
        names.APPOINTMENT_PREFERENCE: None,
    }
    assert free.reply is None
    taken = answers.start_at(TUESDAY_TEN, slots(datetime(2026, 11, 24, 14)))
    assert taken.reply is not None and taken.reply.response == "utter_appointment_slot_taken"
    assert taken.reply.values == {"date": "24.11.2026", "time": "10:00"}
    assert taken.values[names.APPOINTMENT_PREFERENCE]


def test_an_answer_without_a_time_is_unreadable() -> None:
    assert answers.start_wish("keine Ahnung", TODAY).empty
    assert answers.unreadable_start().reply is not None


def test_the_usual_workshop_named_in_passing_is_recognised() -> None:
    for text in ("gern in der Werkstatt wo ich immer bin", "jo, die übliche", "wie immer bitte"):
        assert answers.names_usual_workshop(text), text
    for text in ("in Köln", "nein, eine andere Werkstatt", "den zweiten"):
        assert not answers.names_usual_workshop(text), text
