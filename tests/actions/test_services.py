from datetime import date, datetime, timezone

import pytest

from actions.services import Services
from bot.crm.errors import CRMUnavailable
from bot.settings import SettingsError


def test_the_crm_client_is_created_once_on_first_use(local_crm) -> None:
    created = []

    def factory():
        created.append(1)
        return local_crm

    services = Services(crm_factory=factory)
    assert created == []
    assert services.crm is services.crm is local_crm
    assert services.conversation_log is services.conversation_log
    assert created == [1]


def test_a_missing_crm_token_makes_the_crm_unavailable() -> None:
    def factory():
        raise SettingsError("CRM_API_TOKEN is not set")

    with pytest.raises(CRMUnavailable):
        _ = Services(crm_factory=factory).crm


def test_today_and_now_come_from_the_injected_clock_in_the_customers_time_zone(local_crm) -> None:
    late = Services(
        crm_factory=lambda: local_crm,
        clock=lambda: datetime(2026, 12, 31, 23, 30, tzinfo=timezone.utc),
    )
    assert late.today() == date(2027, 1, 1)  # 00:30 in Munich
    assert late.now() == datetime(2027, 1, 1, 0, 30)
    assert late.for_turn().today() == date(2027, 1, 1)
