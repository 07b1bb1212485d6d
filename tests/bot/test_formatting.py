from datetime import date, datetime, time
from decimal import Decimal

import pytest

from bot.formatting import format_date, format_money, format_time, format_weekday


def test_dates_are_day_month_year_with_dots() -> None:
    assert format_date(date(2026, 11, 27)) == "27.11.2026"
    assert format_date(date(2027, 1, 5)) == "05.01.2027"
    assert format_date(datetime(2026, 12, 3, 9, 0)) == "03.12.2026"


def test_times_are_24_hours_with_leading_zero() -> None:
    assert format_time(datetime(2026, 12, 3, 9, 0)) == "09:00"
    assert format_time(time(17, 30)) == "17:30"


@pytest.mark.parametrize(
    ("amount", "written"),
    [
        (Decimal("1234.56"), "1.234,56 €"),
        (Decimal("1245.50"), "1.245,50 €"),
        (Decimal("389.00"), "389,00 €"),
        (Decimal("0.5"), "0,50 €"),
        (Decimal("1234567.891"), "1.234.567,89 €"),
        (Decimal("0.005"), "0,01 €"),
        (Decimal("-12.3"), "-12,30 €"),
        (489, "489,00 €"),
        ("1000", "1.000,00 €"),
    ],
)
def test_money_is_written_the_german_way(amount, written: str) -> None:
    assert format_money(amount) == written


def test_money_takes_another_currency_symbol() -> None:
    assert format_money(Decimal("99.9"), "CHF") == "99,90 CHF"


def test_money_refuses_floats() -> None:
    with pytest.raises(TypeError):
        format_money(1.1)


def test_weekdays_are_german_names() -> None:
    assert format_weekday(date(2026, 11, 23)) == "Montag"
    assert format_weekday(datetime(2028, 2, 29, 18, 0)) == "Dienstag"  # leap day
    assert format_weekday(date(2027, 1, 3)) == "Sonntag"
