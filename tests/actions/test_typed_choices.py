"""Typed answers to offered buttons read as clicks (actions.slots.chosen_text)."""

from __future__ import annotations

import time
from typing import Any

from actions.slots import chosen_text, offered_options
from tests.actions.conftest import action, make_tracker, user


def bot(text: str, *buttons: tuple[str, str]) -> dict[str, Any]:
    """A bot event with (title, payload) buttons."""
    return {
        "event": "bot",
        "timestamp": time.time(),
        "text": text,
        "data": {"buttons": [{"title": t, "payload": p} for t, p in buttons]},
    }


SLOTS = (
    ("Mo 07.12. 08:00", "2026-12-07T08:00"),
    ("Mo 07.12. 10:00", "2026-12-07T10:00"),
    ("Di 08.12. 14:00", "2026-12-08T14:00"),
)


def tracker_after(answer: str, domain: dict[str, Any], *buttons: tuple[str, str]):
    events = [
        action("action_listen"),
        user("Ich brauche einen Termin", "book_appointment"),
        bot("Welcher Termin passt Ihnen?", *buttons),
        action("action_listen"),
        user(answer, "inform"),
    ]
    return make_tracker(domain, events)


def test_the_options_are_the_buttons_of_the_last_answer(domain):
    tracker = tracker_after("der zweite", domain, *SLOTS)
    assert [o.payload for o in offered_options(tracker)] == [p for _, p in SLOTS]


def test_an_ordinal_picks_that_button(domain):
    assert chosen_text(tracker_after("der zweite", domain, *SLOTS)) == "2026-12-07T10:00"


def test_an_hour_picks_the_only_button_at_that_hour(domain):
    assert chosen_text(tracker_after("den um 14 Uhr bitte", domain, *SLOTS)) == "2026-12-08T14:00"


def test_an_ambiguous_answer_stays_the_customers_text(domain):
    text = "am Montag"
    assert chosen_text(tracker_after(text, domain, *SLOTS)) == text


def test_intent_buttons_are_left_to_the_nlu(domain):
    yes_no = (("Ja", "/affirm"), ("Nein", "/deny"))
    assert chosen_text(tracker_after("der erste", domain, *yes_no)) == "der erste"


def test_buttons_of_older_answers_are_not_offered(domain):
    events = [
        bot("Früher", *SLOTS),
        action("action_listen"),
        user("hallo", "greet"),
        bot("Wie kann ich helfen?"),
        action("action_listen"),
        user("der erste", "inform"),
    ]
    tracker = make_tracker(domain, events)
    assert offered_options(tracker) == []
    assert chosen_text(tracker) == "der erste"


def test_the_way_out_is_no_option(domain):
    # the rephrased question (bot/dialogue/loop_breaker.py) adds a human and "Abbrechen"
    buttons = (("Mit einem Menschen sprechen", "/request_human"), ("Abbrechen", "abbrechen"))
    tracker = tracker_after("der erste", domain, *buttons, *SLOTS)
    assert chosen_text(tracker) == "2026-12-07T08:00"
