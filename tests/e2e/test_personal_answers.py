"""End to end: the personal greeting names the right facts for each demo customer."""

from __future__ import annotations

from datetime import date

import pytest

from tests.e2e.chat import Chat, customer_token
from tests.support.demo_dates import DemoCalendar

pytestmark = [pytest.mark.model, pytest.mark.e2e]


def greetings(calendar: DemoCalendar) -> dict[str, tuple[list[str], list[str]]]:
    """What each demo customer's greeting says and leaves out, on the day of the seed."""
    return {
        "K-100001": (
            [
                "Guten Tag Frau Schmidt",
                "seit 2004",
                f"{calendar.years_since(date(2004, 3, 15))} Jahre Treue",
                "Dachbox Nordlicht 420 L",
                calendar.shown("today+3d"),
                f"{calendar.shown('workday(today+9d)')} um 09:00 Uhr",
            ],
            ["Rechnung"],
        ),
        "K-100002": (
            [
                "Guten Tag Herr Yilmaz",
                "Ladekabel defekt",
                "C-9001",
                "Vela e Long Range",
                calendar.shown("today+82d"),
            ],
            ["Treue", calendar.shown("today+16d")],
        ),
        "K-100003": (
            [
                "Guten Tag Frau Wagner",
                "seit 2015",
                "RC-2026-07",
                "Austausch Bremsschlauch vorne",
                "R-20250201",
                "1.245,50 €",
                calendar.shown("today-44d"),
            ],
            [calendar.shown("today-53d")],
        ),
        "K-100004": (
            [
                "Guten Tag Herr Meier",
                "Strato GT (ZH 123456)",
                "Nordlicht Werkstatt Zürich",
                "abgeholt",
            ],
            ["Treue", "Geräusch"],
        ),
        "K-100005": (["Guten Tag Frau Becker", "Herzlich willkommen"], ["Fahrradträger", "Treue"]),
    }


@pytest.mark.parametrize("number", ["K-100001", "K-100002", "K-100003", "K-100004", "K-100005"])
def test_the_greeting_names_what_matters_to_this_customer(
    rasa_server, demo_calendar: DemoCalendar, number: str
) -> None:
    present, absent = greetings(demo_calendar)[number]
    chat = Chat(rasa_server, metadata={"customer_token": customer_token(number)})
    greeting = chat.say("Hallo").text
    for fact in present:
        assert fact in greeting, (fact, greeting)
    for fact in absent:
        assert fact not in greeting, (fact, greeting)
    # greeted again in the same conversation: only the short re-greeting
    addressee = present[0].removeprefix("Guten Tag ")
    assert chat.say("Hallo").text == f"Hallo noch einmal, {addressee}! Wobei kann ich Ihnen helfen?"


def test_loyalty_is_mentioned_once_per_conversation(rasa_server) -> None:
    chat = Chat(rasa_server, metadata={"customer_token": customer_token("K-100001")})
    assert "Treue" in chat.say("Hallo").text
    assert "Treue" not in chat.say("Wo ist meine Bestellung?").text
    assert "Treue" not in chat.say("Hallo").text
