"""Relative demo dates: ``today+3d``, ``workday(...)`` and moments, on awkward days."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from bot.crm.seed.relative_dates import (
    RelativeDateError,
    first_workday,
    is_relative,
    resolve_date,
    resolve_moment,
    resolve_tree,
)

FRIDAY = date(2026, 12, 4)


@pytest.mark.parametrize(
    ("expression", "today", "expected"),
    [
        ("today", FRIDAY, FRIDAY),
        ("today+3d", FRIDAY, date(2026, 12, 7)),
        ("today-18d", FRIDAY, date(2026, 11, 16)),
        ("today + 3d", FRIDAY, date(2026, 12, 7)),
        ("workday(today+9d)", FRIDAY, date(2026, 12, 14)),  # a Sunday -> Monday
        ("workday(today+1d)", FRIDAY, date(2026, 12, 7)),  # a Saturday -> Monday
        ("workday(today+3d)", FRIDAY, date(2026, 12, 7)),  # a Monday stays
        ("today+1d", date(2026, 11, 30), date(2026, 12, 1)),  # month end
        ("today+1d", date(2026, 12, 31), date(2027, 1, 1)),  # year end
        ("today-44d", date(2027, 1, 10), date(2026, 11, 27)),  # back across the year
        ("today+1d", date(2028, 2, 28), date(2028, 2, 29)),  # leap day
        ("workday(today+0d)", date(2028, 2, 26), date(2028, 2, 28)),  # Saturday -> Monday
    ],
)
def test_a_relative_date_resolves_against_the_day_of_loading(
    expression: str, today: date, expected: date
) -> None:
    assert resolve_date(expression, today) == expected


def test_a_moment_adds_its_time_of_day() -> None:
    assert resolve_moment("workday(today+9d) 09:00", FRIDAY) == datetime(2026, 12, 14, 9, 0)
    assert resolve_moment("today 08:00", FRIDAY) == datetime(2026, 12, 4, 8, 0)
    assert resolve_moment("today-5dT00:00", FRIDAY) == datetime(2026, 11, 29, 0, 0)
    assert resolve_moment("today+2d", FRIDAY) == date(2026, 12, 6)


@pytest.mark.parametrize(
    "expression",
    ["tomorrow", "today+3", "today+3w", "workday(today+3d", "today 25:00", "2026-12-04"],
)
def test_anything_else_is_refused_with_its_text(expression: str) -> None:
    assert not is_relative(expression) or expression == "today 25:00"
    with pytest.raises(RelativeDateError) as refused:
        resolve_moment(expression, FRIDAY)
    assert expression in str(refused.value)


def test_a_yaml_tree_gets_iso_dates_and_keeps_everything_else() -> None:
    tree = {
        "orders": [{"expected_delivery": "today+3d", "item": "Dachbox", "count": 1}],
        "appointments": [{"starts_at": "workday(today+9d) 09:00"}],
        "customer_since": "2004-03-15",
        "note": "today is a good day",
    }
    with pytest.raises(RelativeDateError):  # "today ..." that is not a date is a typo
        resolve_tree(tree, FRIDAY)
    del tree["note"]
    assert resolve_tree(tree, FRIDAY) == {
        "orders": [{"expected_delivery": "2026-12-07", "item": "Dachbox", "count": 1}],
        "appointments": [{"starts_at": "2026-12-14T09:00"}],
        "customer_since": "2004-03-15",
    }


def test_first_workday_on_every_weekday() -> None:
    monday = date(2026, 11, 30)
    days = [first_workday(date.fromordinal(monday.toordinal() + offset)) for offset in range(7)]
    assert [day.day for day in days] == [30, 1, 2, 3, 4, 7, 7]
