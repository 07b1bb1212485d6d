"""LocalCRMClient: the same protocol without HTTP."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.crm import schemas
from bot.crm.client import CRMClient
from bot.crm.errors import CustomerNotFound
from bot.crm.local_client import LocalCRMClient
from bot.crm.service import CRMService

pytestmark = pytest.mark.parametrize("crm_database_url", ["sqlite"], indirect=True)


async def test_local_client_mirrors_the_service(crm_service: CRMService) -> None:
    crm = LocalCRMClient(crm_service)
    assert isinstance(crm, CRMClient)
    assert (await crm.verify_customer("100005", "10115")).verified
    assert (await crm.get_profile("K-100005")).orders[0].status.value == "cancelled"
    booked = await crm.book_appointment(
        "K-100005",
        schemas.AppointmentBooking(
            workshop_code="berlin", starts_at=datetime(2026, 11, 27, 16), service="Probefahrt"
        ),
    )
    assert booked.workshop.name == "Nordlicht Autohaus Berlin"
    with pytest.raises(CustomerNotFound):
        await crm.get_profile("K-999999")
    await crm.aclose()
