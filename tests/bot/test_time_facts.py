"""What is true about a date at a fixed moment: pick-up times, passed dates, overdue invoices.

Every test fixes the moment; the calendar days cover a weekday before
opening and after closing, a Saturday, a Sunday, a month end, a year end
and a leap day.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

import pytest

from bot.crm.enums import Country, InvoiceStatus
from bot.crm.schemas import Invoice, OpeningHours, Workshop
from bot.time_facts import has_passed, invoice_is_overdue, is_ahead, next_pickup


def workshop(*hours: tuple[int, str, str]) -> Workshop:
    return Workshop(
        code="muenchen-mitte",
        name="Nordlicht Werkstatt München-Mitte",
        street="Landsberger Straße 120",
        postal_code="80339",
        city="München",
        country=Country.DE,
        phone="+49 89 1",
        hours_display="Mo-Fr 07:30-18:00, Sa 08:00-13:00",
        opening_hours=[
            OpeningHours(
                weekday=day,
                opens=time.fromisoformat(opens),
                closes=time.fromisoformat(closes),
            )
            for day, opens, closes in hours
        ],
    )


MUNICH = workshop(*((day, "07:30", "18:00") for day in range(5)), (5, "08:00", "13:00"))
"""Monday to Friday 07:30-18:00, Saturday 08:00-13:00, closed on Sunday."""
WEEKDAYS_ONLY = workshop(*((day, "07:00", "17:00") for day in range(5)))


@pytest.mark.parametrize(
    ("now", "day", "hours", "today", "weekday"),
    [
        # Monday 23.11.2026 before opening, while open, at and after closing time
        (datetime(2026, 11, 23, 6, 45), date(2026, 11, 23), "07:30–18:00", True, "Montag"),
        (datetime(2026, 11, 23, 17, 59), date(2026, 11, 23), "07:30–18:00", True, "Montag"),
        (datetime(2026, 11, 23, 18, 0), date(2026, 11, 24), "07:30–18:00", False, "Dienstag"),
        (datetime(2026, 11, 23, 22, 15), date(2026, 11, 24), "07:30–18:00", False, "Dienstag"),
        # Saturday 28.11.2026: shorter hours, then Monday
        (datetime(2026, 11, 28, 10, 0), date(2026, 11, 28), "08:00–13:00", True, "Samstag"),
        (datetime(2026, 11, 28, 13, 30), date(2026, 11, 30), "07:30–18:00", False, "Montag"),
        # Sunday 29.11.2026: closed all day
        (datetime(2026, 11, 29, 0, 5), date(2026, 11, 30), "07:30–18:00", False, "Montag"),
        (datetime(2026, 11, 29, 11, 0), date(2026, 11, 30), "07:30–18:00", False, "Montag"),
        # month end: Monday 30.11. after closing -> Tuesday 01.12.;
        # Saturday 31.10. after closing -> Monday 02.11.
        (datetime(2026, 11, 30, 19, 0), date(2026, 12, 1), "07:30–18:00", False, "Dienstag"),
        (datetime(2026, 10, 31, 15, 0), date(2026, 11, 2), "07:30–18:00", False, "Montag"),
        # year end: Thursday 31.12.2026 after closing -> Friday 01.01.2027
        (datetime(2026, 12, 31, 20, 0), date(2027, 1, 1), "07:30–18:00", False, "Freitag"),
        # leap day: Monday 28.02.2028 after closing -> Tuesday 29.02.2028 -> Wednesday 01.03.
        (datetime(2028, 2, 28, 18, 30), date(2028, 2, 29), "07:30–18:00", False, "Dienstag"),
        (datetime(2028, 2, 29, 7, 0), date(2028, 2, 29), "07:30–18:00", True, "Dienstag"),
        (datetime(2028, 2, 29, 18, 1), date(2028, 3, 1), "07:30–18:00", False, "Mittwoch"),
    ],
)
def test_a_finished_car_can_be_picked_up_today_or_on_the_next_opening_day(
    now: datetime, day: date, hours: str, today: bool, weekday: str
) -> None:
    pickup = next_pickup(MUNICH, now)
    assert pickup is not None
    assert (pickup.day, pickup.hours, pickup.today, pickup.weekday) == (day, hours, today, weekday)


def test_a_workshop_closed_at_the_weekend_hands_over_on_monday() -> None:
    friday_evening = next_pickup(WEEKDAYS_ONLY, datetime(2027, 1, 1, 17, 0))  # Friday, 01.01.
    saturday = next_pickup(WEEKDAYS_ONLY, datetime(2027, 1, 2, 9, 0))
    assert friday_evening is not None and saturday is not None
    assert friday_evening.day == saturday.day == date(2027, 1, 4)
    assert not friday_evening.today


def test_a_workshop_open_only_on_the_same_weekday_is_a_week_ahead_and_none_has_no_hours() -> None:
    mondays = workshop((0, "09:00", "12:00"))
    pickup = next_pickup(mondays, datetime(2026, 11, 23, 12, 0))
    assert pickup is not None and pickup.day == date(2026, 11, 30)
    assert next_pickup(workshop(), datetime(2026, 11, 23, 9, 0)) is None


def test_two_opening_windows_on_one_day_hand_over_in_the_second() -> None:
    with_lunch = workshop((0, "08:00", "12:00"), (0, "13:00", "17:00"))
    pickup = next_pickup(with_lunch, datetime(2026, 11, 23, 12, 30))
    assert pickup is not None and pickup.today and pickup.hours == "13:00–17:00"


@pytest.mark.parametrize(
    ("day", "today", "passed"),
    [
        (date(2026, 11, 22), date(2026, 11, 23), True),
        (date(2026, 11, 23), date(2026, 11, 23), False),  # today has not passed
        (date(2026, 11, 30), date(2026, 12, 1), True),  # month end
        (date(2026, 12, 31), date(2027, 1, 1), True),  # year end
        (date(2026, 12, 31), date(2026, 12, 31), False),
        (date(2028, 2, 29), date(2028, 3, 1), True),  # leap day
        (date(2028, 2, 29), date(2028, 2, 28), False),
    ],
)
def test_a_date_has_passed_from_the_next_day_on(day: date, today: date, passed: bool) -> None:
    assert has_passed(day, today) is passed


def test_an_appointment_is_ahead_until_it_begins() -> None:
    starts = datetime(2026, 11, 23, 10, 0)
    assert is_ahead(starts, datetime(2026, 11, 23, 9, 59))
    assert not is_ahead(starts, datetime(2026, 11, 23, 10, 0))
    assert not is_ahead(starts, datetime(2026, 11, 23, 16, 0))


def invoice(status: InvoiceStatus, due: date) -> Invoice:
    return Invoice(
        invoice_number="R-20260001",
        amount_eur=Decimal("1234.56"),
        status=status,
        issued_on=date(2026, 11, 1),
        due_on=due,
        reminder_sent_on=None,
        subject="Inspektion",
    )


@pytest.mark.parametrize(
    ("status", "due", "today", "overdue"),
    [
        (InvoiceStatus.OPEN, date(2026, 12, 31), date(2026, 12, 31), False),
        (InvoiceStatus.OPEN, date(2026, 12, 31), date(2027, 1, 1), True),  # year end
        (InvoiceStatus.OPEN, date(2028, 2, 29), date(2028, 3, 1), True),  # leap day
        (InvoiceStatus.OPEN, date(2026, 11, 30), date(2026, 11, 30), False),  # month end
        (InvoiceStatus.OVERDUE, date(2026, 10, 10), date(2026, 11, 23), True),
        (InvoiceStatus.PAID, date(2026, 10, 10), date(2026, 11, 23), False),
        (InvoiceStatus.DISPUTED, date(2026, 10, 10), date(2026, 11, 23), False),
    ],
)
def test_an_open_invoice_is_overdue_from_the_day_after_its_due_date(
    status: InvoiceStatus, due: date, today: date, overdue: bool
) -> None:
    assert invoice_is_overdue(invoice(status, due), today) is overdue
