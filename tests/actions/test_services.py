import pytest

from actions.services import Services, local_today
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


def test_today_is_a_date() -> None:
    assert local_today().year >= 2026
