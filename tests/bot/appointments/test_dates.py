"""German dates and times as customers type them, relative to Monday 23.11.2026."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from bot.appointments.dates import When, parse_when, when_from_text

TODAY = date(2026, 11, 23)  # a Monday
MORNING = (time(6), time(12))
AFTERNOON = (time(12), time(18))


def day(d: int, m: int = 11, y: int = 2026) -> date:
    return date(y, m, d)


@pytest.mark.parametrize(
    ("text", "first", "last", "at", "window"),
    [
        # the examples
        ("nächsten Dienstag vormittag", day(24), day(24), None, MORNING),
        ("am 4.12. um 10", day(4, 12), day(4, 12), time(10), None),
        ("morgen 14 Uhr", day(24), day(24), time(14), None),
        # relative days
        ("heute", day(23), day(23), None, None),
        ("übermorgen um halb 3", day(25), day(25), time(14, 30), None),
        ("uebermorgen", day(25), day(25), None, None),
        ("in 3 Tagen", day(26), day(26), None, None),
        ("morgen früh", day(24), day(24), None, (time(6), time(10))),
        ("heute abend", day(23), day(23), None, (time(17), time(22))),
        # weekdays: the next such day after today
        ("Montag", day(30), day(30), None, None),
        ("am Freitag nachmittags", day(27), day(27), None, AFTERNOON),
        ("übernächsten Montag", day(7, 12), day(7, 12), None, None),
        ("Samstag 9.00 Uhr", day(28), day(28), time(9), None),
        ("naechsten Mittwoch", day(25), day(25), None, None),
        # weeks
        ("nächste Woche", day(30), day(6, 12), None, None),
        ("diese Woche", day(23), day(29), None, None),
        # dates
        ("am 4.12 um 10", day(4, 12), day(4, 12), time(10), None),
        ("4.12. 10 Uhr", day(4, 12), day(4, 12), time(10), None),
        ("04.12.2026 10:00", day(4, 12), day(4, 12), time(10), None),
        ("4.12.26", day(4, 12), day(4, 12), None, None),
        ("4. Dezember 2026 10:30", day(4, 12), day(4, 12), time(10, 30), None),
        ("am 12. Dezember", day(12, 12), day(12, 12), None, None),
        ("am 1.1.", day(1, 1, 2027), day(1, 1, 2027), None, None),  # passed: next year
        ("2026-11-24T10:00", day(24), day(24), time(10), None),
        # times without a day
        ("um 2", None, None, time(14), None),  # workshops are closed at 2 at night
        ("um 11", None, None, time(11), None),
        ("morgens", None, None, None, (time(6), time(10))),
    ],
)
def test_german_phrases_are_understood(text, first, last, at, window) -> None:
    assert parse_when(text, TODAY) == When(first_day=first, last_day=last, at=at, window=window)


@pytest.mark.parametrize("text", ["", "blabla", "Inspektion bitte", "80331", "K-100001", "32.13."])
def test_text_without_a_date_or_time_says_nothing(text: str) -> None:
    assert parse_when(text, TODAY).empty


def test_an_exact_moment_needs_one_day_and_a_clock_time() -> None:
    assert parse_when("am 4.12. um 10", TODAY).exact == datetime(2026, 12, 4, 10)
    assert parse_when("nächste Woche um 10", TODAY).exact is None
    assert parse_when("Dienstag vormittag", TODAY).exact is None


def test_fits_checks_days_time_and_window() -> None:
    wish = parse_when("Dienstag vormittag", TODAY)
    assert wish.fits(datetime(2026, 11, 24, 8))
    assert not wish.fits(datetime(2026, 11, 24, 12))  # the window ends before noon
    assert not wish.fits(datetime(2026, 11, 25, 8))
    assert parse_when("um 14 Uhr", TODAY).fits(datetime(2026, 12, 1, 14))


@pytest.mark.parametrize(
    "text", ["nächsten Dienstag vormittag", "am 4.12. um 10", "nächste Woche", "um 2"]
)
def test_a_wish_survives_a_round_trip_through_a_slot(text: str) -> None:
    when = parse_when(text, TODAY)
    assert when_from_text(when.to_text()) == when


@pytest.mark.parametrize("value", [None, "", "Dienstag", "x|y|z|w", "2026-13-01|||"])
def test_anything_else_in_the_slot_reads_as_no_wish(value) -> None:
    assert when_from_text(value) is None
