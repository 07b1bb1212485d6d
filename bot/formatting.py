"""How dates, times and amounts are written for German-speaking customers.

The one place for it: every date a customer reads is ``27.11.2026``, every
weekday ``Montag``, every time ``09:00`` and every amount ``1.234,56 €``,
whatever the channel.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal

WEEKDAY_NAMES = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")
"""German weekday names, Monday first (``date.weekday()``)."""


def format_date(value: date) -> str:
    """Return a date as customers read it: ``27.11.2026``.

    Args:
        value: A date (or a datetime, whose date part is used).

    Returns:
        Day and month with two digits, the year with four.

    """
    return f"{value.day:02d}.{value.month:02d}.{value.year:04d}"


def format_weekday(value: date) -> str:
    """Return the German name of a date's weekday: ``Montag``."""
    return WEEKDAY_NAMES[value.weekday()]


def format_time(value: time | datetime) -> str:
    """Return a clock time as customers read it: ``09:00`` (24 hours)."""
    return f"{value.hour:02d}:{value.minute:02d}"


WEEKDAY_SHORT = ("Mo.", "Di.", "Mi.", "Do.", "Fr.", "Sa.", "So.")
"""German weekday abbreviations, Monday first."""


def format_moment_short(value: datetime) -> str:
    """Return a date and time as a button shows it: ``Di., 24.11.2026, 10:00 Uhr``."""
    short = WEEKDAY_SHORT[value.weekday()]
    return f"{short}, {format_date(value)}, {format_time(value)} Uhr"


def format_money(amount: Decimal | int | str, currency: str = "€") -> str:
    """Return an amount the German way: ``1.234,56 €``.

    Args:
        amount: The exact amount (a float would already be inexact, so it is refused).
        currency: The symbol written after the amount.

    Returns:
        Thousands separated by dots, two decimals after a comma, a space and
        the currency; negative amounts start with a minus sign.

    Raises:
        TypeError: ``amount`` is a float.

    """
    if isinstance(amount, float):
        raise TypeError("money must be a Decimal, an int or a string, never a float")
    cents = Decimal(amount).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = "-" if cents < 0 else ""
    whole, fraction = f"{abs(cents):.2f}".split(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return f"{sign}{grouped},{fraction} {currency}"
