"""Choices by button, text, ordinal, distinguishing words and "ja"."""

from __future__ import annotations

import pytest

from bot.dialogue.choices import Option, choose, ordinal_position

TIMES = [
    Option("2026-12-05T09:00", "Sa., 05.12.2026, 09:00 Uhr", '/inform{"time":"a"}'),
    Option("2026-12-05T10:00", "Sa., 05.12.2026, 10:00 Uhr", '/inform{"time":"b"}'),
    Option("2026-12-07T09:00", "Mo., 07.12.2026, 09:00 Uhr", '/inform{"time":"c"}'),
]
VEHICLES = [
    Option("V1", "Strato GT (M-NL 4711)", keys=("M-NL 4711",)),
    Option("V2", "Vela e (B-AB 123)"),
]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ('/inform{"time":"b"}', "2026-12-05T10:00"),
        ("Sa., 05.12.2026, 10:00 Uhr", "2026-12-05T10:00"),
        ("der erste passt", "2026-12-05T09:00"),
        ("den zweiten", "2026-12-05T10:00"),
        ("Die Zweite bitte", "2026-12-05T10:00"),
        ("den letzten", "2026-12-07T09:00"),
        ("das vorletzte", "2026-12-05T10:00"),
        ("Nummer 3", "2026-12-07T09:00"),
        ("Nr. 2", "2026-12-05T10:00"),
        ("3", "2026-12-07T09:00"),
        ("den um 10", "2026-12-05T10:00"),
        ("um 10 Uhr passt mir", "2026-12-05T10:00"),
        ("Montag", "2026-12-07T09:00"),
        ("lieber am Montag", "2026-12-07T09:00"),
    ],
)
def test_an_offered_time_is_chosen_however_it_is_typed(text: str, value: str) -> None:
    choice = choose(text, TIMES)
    assert choice.option is not None, text
    assert choice.option.value == value


def test_words_that_fit_several_options_are_ambiguous() -> None:
    choice = choose("Samstag", TIMES)
    assert choice.option is None and choice.ambiguous
    assert [o.value for o in choice.candidates] == ["2026-12-05T09:00", "2026-12-05T10:00"]
    assert choose("um 9", TIMES).ambiguous


@pytest.mark.parametrize("text", ["ja", "Ja, passt", "gerne", "ok"])
def test_yes_takes_the_only_option_offered(text: str) -> None:
    assert choose(text, TIMES[:1]).option == TIMES[0]


@pytest.mark.parametrize(
    "text", ["ja", "nein", "der fünfte", "Nummer 7", "blablub", "", "am Dienstag"]
)
def test_no_choice_without_a_unique_fit(text: str) -> None:
    choice = choose(text, TIMES)
    assert choice.option is None and not choice.ambiguous, text


def test_no_and_nonsense_never_take_a_single_option() -> None:
    assert choose("nein", TIMES[:1]).option is None
    assert choose("nein, keiner", TIMES[:1]).option is None
    assert choose("asdf", TIMES[:1]).option is None


@pytest.mark.parametrize(
    ("text", "value"),
    [("den Strato", "V1"), ("der Vela", "V2"), ("M-NL 4711", "V1"), ("den zweiten", "V2")],
)
def test_vehicles_by_model_plate_or_position(text: str, value: str) -> None:
    choice = choose(text, VEHICLES)
    assert choice.option is not None and choice.option.value == value


def test_ordinal_positions_are_checked_against_the_number_offered() -> None:
    assert ordinal_position("der erste", 3) == 0
    assert ordinal_position("den letzten", 2) == 1
    assert ordinal_position("die vierte", 3) is None
    assert ordinal_position("Nummer 0", 3) is None
    assert ordinal_position("am 4.12. um 10", 3) is None
