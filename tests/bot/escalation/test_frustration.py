"""The German frustration detector: insults at once, negative turns when repeated."""

from __future__ import annotations

import pytest

from bot.escalation.frustration import assess, is_insult, is_negative


@pytest.mark.parametrize(
    "text",
    [
        "Du Vollidiot",
        "was für ein Scheißladen",
        "du bist so dumm",
        "Ihr Saftladen!",
        "wie BLÖD ist das denn",
        "bescheuerter Bot",
    ],
)
def test_insults_are_recognised(text: str) -> None:
    assert is_insult(text)


@pytest.mark.parametrize(
    "text",
    [
        "Ich möchte einen Termin",
        "Der Dummy-Text im Formular",
        "Marsch durch die Stadt",
        "Meine Bestellung B-20250001",
    ],
)
def test_ordinary_messages_are_not_insults(text: str) -> None:
    assert not is_insult(text)
    assert not is_negative(text)


@pytest.mark.parametrize(
    "text",
    [
        "Das hilft mir nicht",
        "schon wieder die falsche Antwort",
        "Ich bin total enttäuscht",
        "WARUM GEHT DAS NICHT",
        "Hallo???",
        "Das ist eine Frechheit",
    ],
)
def test_negative_messages(text: str) -> None:
    assert is_negative(text)


def test_express_frustration_counts_as_negative() -> None:
    assert is_negative("hm", "express_frustration")


def test_one_insult_is_enough() -> None:
    verdict = assess([("Hallo", "greet"), ("Du Idiot", "express_frustration")])
    assert verdict.frustrated and verdict.insult


def test_a_single_negative_turn_is_not_frustration() -> None:
    assert not assess(
        [("Wo ist meine Bestellung?", "order_status"), ("Das hilft mir nicht", "deny")]
    ).frustrated


def test_repeated_negative_turns_are_frustration() -> None:
    turns = [
        ("Das hilft mir nicht", "deny"),
        ("Wo ist mein Auto", "order_status"),
        ("schon wieder falsch", "nlu_fallback"),
    ]
    verdict = assess(turns)
    assert verdict.frustrated and not verdict.insult and verdict.negative_turns == 2


def test_old_negative_turns_do_not_count_once_the_customer_calmed_down() -> None:
    turns = [
        ("Das hilft mir nicht", "deny"),
        ("ok", "affirm"),
        ("danke", "thank"),
        ("Termin bitte", "book_appointment"),
    ]
    assert not assess(turns).frustrated
    assert not assess([]).frustrated


def test_recent_frustration_counts_even_when_the_latest_message_is_calm() -> None:
    from bot.escalation.frustration import frustrated_recently

    assert frustrated_recently(
        [("du Idiot", "express_frustration"), ("Mitarbeiter bitte", "request_human")]
    )
    assert frustrated_recently(
        [
            ("das hilft nicht", "deny"),
            ("schon wieder!!!", "nlu_fallback"),
            ("Mensch bitte", "request_human"),
        ]
    )
    assert not frustrated_recently([("das hilft nicht", "deny"), ("Mensch bitte", "request_human")])
