"""Business hours: default schedule in Berlin, ticket promises, configuration errors."""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from bot.escalation.business_hours import BusinessHours, ScheduleError, german_moment
from bot.escalation.settings import EscalationSettings
from bot.settings import SettingsError

BERLIN = ZoneInfo("Europe/Berlin")
DEFAULT = BusinessHours.parse("mo-fr 08:00-18:00; sa 09:00-13:00")


def berlin(*args: int) -> datetime:
    return datetime(*args, tzinfo=BERLIN)


@pytest.mark.parametrize(
    ("moment", "is_open"),
    [
        (berlin(2026, 11, 23, 8, 0), True),  # Monday opening
        (berlin(2026, 11, 23, 7, 59), False),
        (berlin(2026, 11, 27, 17, 59), True),  # Friday
        (berlin(2026, 11, 27, 18, 0), False),
        (berlin(2026, 11, 28, 12, 59), True),  # Saturday
        (berlin(2026, 11, 28, 13, 0), False),
        (berlin(2026, 11, 29, 11, 0), False),  # Sunday
        (datetime(2026, 11, 23, 7, 30, tzinfo=timezone.utc), True),  # 08:30 in Berlin
    ],
)
def test_default_hours(moment: datetime, is_open: bool) -> None:
    assert DEFAULT.is_open(moment) is is_open


def test_the_next_opening_after_friday_evening_is_saturday_morning() -> None:
    assert DEFAULT.next_opening(berlin(2026, 11, 27, 19, 0)) == berlin(2026, 11, 28, 9, 0)
    assert DEFAULT.next_opening(berlin(2026, 11, 28, 14, 0)) == berlin(2026, 11, 30, 8, 0)


def test_a_ticket_is_promised_hours_after_the_next_opening() -> None:
    due = DEFAULT.callback_due(berlin(2026, 11, 28, 22, 0), response_hours=4)
    assert due == berlin(2026, 11, 30, 12, 0)
    assert german_moment(due, BERLIN) == "Montag, 30.11.2026, 12:00 Uhr"
    during = DEFAULT.callback_due(berlin(2026, 11, 23, 10, 0), response_hours=2)
    assert during == berlin(2026, 11, 23, 12, 0)


def test_always_and_closed() -> None:
    moment = berlin(2026, 11, 29, 3, 0)
    assert BusinessHours.parse("always").is_open(moment)
    closed = BusinessHours.parse("closed")
    assert not closed.is_open(moment) and closed.next_opening(moment) is None
    assert closed.callback_due(moment, 4) == berlin(2026, 11, 30, 7, 0)


@pytest.mark.parametrize(
    "schedule", ["mo-fr 18:00-08:00", "xx 08:00-10:00", "mo 8-10", "mo 24:00-24:00"]
)
def test_malformed_schedules_are_rejected(schedule: str) -> None:
    with pytest.raises(ScheduleError):
        BusinessHours.parse(schedule)


def test_settings_read_hours_and_time_zone_from_the_environment() -> None:
    settings = EscalationSettings.from_env(
        {"ESCALATION_BUSINESS_HOURS": "mo-so 00:00-24:00", "ESCALATION_TIMEZONE": "Europe/Vienna"}
    )
    assert settings.business_hours.is_open(berlin(2026, 11, 29, 3, 0))
    with pytest.raises(SettingsError, match="ESCALATION_BUSINESS_HOURS"):
        EscalationSettings.from_env({"ESCALATION_BUSINESS_HOURS": "sometimes"})
    with pytest.raises(SettingsError, match="AGENT_TOKEN_SECRET"):
        EscalationSettings.from_env({"AGENT_TOKEN_SECRET": "short"}).require_agent_token_secret()
    assert "supersecret" not in repr(
        EscalationSettings.from_env({"AGENT_TOKEN_SECRET": "supersecret" * 4})
    )
