"""Test-drive leads: the service, the HTTP API and the HTTP client, on a real seeded CRM."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from pydantic import ValidationError

from bot.crm.errors import CustomerNotFound, WorkshopNotFound
from bot.crm.http_client import HttpCRMClient
from bot.crm.schemas import LeadCreate
from bot.crm.service import CRMService
from bot.settings import Secret, Settings
from bot.web.app import create_app

pytestmark = pytest.mark.parametrize("crm_database_url", ["sqlite"], indirect=True)

TOKEN = "api-test-token"


def prospect(**changes) -> LeadCreate:
    values = {
        "name": "Max Muster",
        "email": "max@example.de",
        "model": "Vela e",
        "workshop_code": "koeln",
        "preferred_date": "Samstag vormittag",
        "conversation_id": "conv-9",
    }
    return LeadCreate(**{**values, **changes})


def test_a_prospect_needs_no_customer_record(crm_service: CRMService) -> None:
    first = crm_service.create_lead(prospect())
    second = crm_service.create_lead(prospect(email=None, phone="+49 171 1234567"))
    assert first.lead_number == "P-2000001" and second.lead_number == "P-2000002"
    row = crm_service.get_lead(first.lead_number)
    assert (row.name, row.model, row.customer_id, row.status) == (
        "Max Muster",
        "Vela e",
        None,
        "new",
    )


def test_a_customers_lead_is_noted_in_the_history(crm_service: CRMService) -> None:
    created = crm_service.create_lead(prospect(customer_number="k100001"))
    entry = crm_service.list_interactions("K-100001")[0]
    assert entry.topic == "test_drive" and created.lead_number in entry.summary
    assert entry.conversation_id == "conv-9"


def test_unknown_references_and_unreachable_prospects_are_refused(crm_service: CRMService) -> None:
    with pytest.raises(CustomerNotFound):
        crm_service.create_lead(prospect(customer_number="K-999999"))
    with pytest.raises(WorkshopNotFound):
        crm_service.create_lead(prospect(workshop_code="atlantis"))
    with pytest.raises(ValidationError):
        prospect(email=None)
    with pytest.raises(ValidationError):
        prospect(email="max@")


@pytest.fixture
async def client(crm_service: CRMService) -> AsyncIterator[HttpCRMClient]:
    app = create_app(Settings(crm_api_token=Secret(TOKEN)), crm_service=crm_service)
    transport = httpx.ASGITransport(app=app)
    crm = HttpCRMClient("http://crm", Secret(TOKEN), transport=transport)
    yield crm
    await crm.aclose()


async def test_over_http(client: HttpCRMClient, crm_service: CRMService) -> None:
    created = await client.create_lead(prospect(workshop_code="wien"))
    assert crm_service.get_lead(created.lead_number).model == "Vela e"
    with pytest.raises(WorkshopNotFound):
        await client.create_lead(prospect(workshop_code="atlantis"))
