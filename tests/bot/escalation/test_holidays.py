"""Public holidays close the team (home region) and a customer's workshop region."""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from bot.crm.service import CRMService
from bot.escalation.business_hours import BusinessHours
from bot.escalation.holiday_calendar import DEFAULT_WORKSHOP_REGIONS, HolidayCalendar
from bot.escalation.settings import EscalationSettings
from bot.escalation.wiring import EscalationFeature
from bot.settings import SettingsError
from tests.bot.escalation.conftest import SERVICE_TOKEN, Clock, settings
from tests.bot.escalation.test_service import intake

BERLIN = ZoneInfo("Europe/Berlin")
SCHEDULE = "mo-fr 08:00-18:00; sa 09:00-13:00"
CALENDAR = HolidayCalendar.parse("DE-BE", DEFAULT_WORKSHOP_REGIONS)
HOURS = BusinessHours.parse(SCHEDULE).with_holidays(CALENDAR)


def berlin(*args: int) -> datetime:
    return datetime(*args, tzinfo=BERLIN)


def test_christmas_closes_the_team_until_the_monday_after() -> None:
    christmas = berlin(2026, 12, 25, 10, 0)  # a Friday; the 26th is a holiday too
    assert HOURS.holiday(christmas.date()) == "Erster Weihnachtstag"
    assert not HOURS.is_open(christmas)
    assert HOURS.next_opening(christmas) == berlin(2026, 12, 28, 8, 0)
    assert HOURS.callback_due(christmas, 4) == berlin(2026, 12, 28, 12, 0)
    assert HOURS.is_open(berlin(2026, 12, 28, 8, 0))


def test_a_regional_holiday_closes_only_for_the_workshops_region() -> None:
    epiphany = berlin(2027, 1, 6, 10, 0)  # Bavaria and Austria, not Berlin or Cologne
    assert HOURS.is_open(epiphany)
    assert HOURS.is_open(epiphany, "koeln")
    assert not HOURS.is_open(epiphany, "muenchen-mitte")
    assert not HOURS.is_open(epiphany, "wien")
    assert HOURS.next_opening(epiphany, "wien") == berlin(2027, 1, 7, 8, 0)


def test_around_the_clock_ignores_holidays_and_bad_regions_fail_loudly() -> None:
    always = BusinessHours.parse("always").with_holidays(CALENDAR)
    assert always.is_open(berlin(2026, 12, 25, 3, 0))
    with pytest.raises(SettingsError, match="unknown holiday region 'DE-XX'"):
        EscalationSettings.from_env({"ESCALATION_HOLIDAY_REGION": "DE-XX"})
    with pytest.raises(SettingsError, match="workshop:REGION"):
        EscalationSettings.from_env({"ESCALATION_WORKSHOP_REGIONS": "wien"})
    configured = EscalationSettings.from_env({"ESCALATION_HOLIDAY_REGION": "none"})
    assert configured.business_hours.is_open(berlin(2026, 12, 25, 10, 0))
    assert not EscalationSettings.from_env({}).business_hours.is_open(berlin(2026, 12, 25, 10, 0))


def test_a_customer_on_christmas_day_gets_a_ticket_not_a_queue(
    crm_service_local: CRMService,
) -> None:
    clock = Clock(datetime(2026, 12, 25, 9, 0, tzinfo=timezone.utc))
    feature = EscalationFeature.create(
        settings(SCHEDULE, business_hours=HOURS), crm_service_local, SERVICE_TOKEN, clock
    )
    feature.agents.create_agent("keller", "geheim-genug-1", "Frau Keller")
    feature.agents.authenticate("keller", "geheim-genug-1")  # online, but it is a holiday
    receipt = feature.service.open_escalation(intake())
    assert receipt.mode == "ticket"
    assert receipt.callback_due_text == "Montag, 28.12.2026, 12:00 Uhr"
    clock.now = datetime(2026, 12, 28, 9, 0, tzinfo=timezone.utc)
    feature.agents.authenticate("keller", "geheim-genug-1")
    assert feature.service.open_escalation(intake("conv-2")).mode == "live"
