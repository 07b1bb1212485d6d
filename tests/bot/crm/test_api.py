"""The CRM HTTP API in process (httpx ASGI transport) over a seeded SQLite file."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

from bot.crm.service import CRMService
from bot.settings import Secret, Settings
from bot.web.app import create_app

pytestmark = pytest.mark.parametrize("crm_database_url", ["sqlite"], indirect=True)

TOKEN = "api-test-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def app(crm_service: CRMService) -> FastAPI:
    return create_app(Settings(crm_api_token=Secret(TOKEN)), crm_service=crm_service)


@pytest.fixture
async def api(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://crm") as client:
        yield client


@pytest.mark.parametrize(
    "headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {TOKEN}"}]
)
async def test_requests_without_the_token_get_401(api: httpx.AsyncClient, headers: dict) -> None:
    response = await api.get("/api/crm/customers/K-100001", headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert "Anna" not in response.text


async def test_healthz_needs_no_token(api: httpx.AsyncClient) -> None:
    response = await api.get("/healthz")
    assert (response.status_code, response.json()) == (200, {"status": "ok", "database": "ok"})


async def test_verify(api: httpx.AsyncClient) -> None:
    ok = await api.post(
        "/api/crm/verify", headers=AUTH, json={"customer_number": "k100001", "postal_code": "80331"}
    )
    wrong = await api.post(
        "/api/crm/verify",
        headers=AUTH,
        json={"customer_number": "K-999999", "postal_code": "80331"},
    )
    assert ok.json() == {"verified": True, "customer_number": "K-100001", "locked_until": None}
    assert wrong.json() == {"verified": False, "customer_number": None, "locked_until": None}


async def test_profile_and_record_lists(api: httpx.AsyncClient) -> None:
    profile = (await api.get("/api/crm/customers/K-100003", headers=AUTH)).json()
    assert profile["customer"]["last_name"] == "Wagner"
    assert profile["invoices"][0]["amount_eur"] == "1245.50"  # money travels as a string
    assert profile["recalls"][0]["campaign_code"] == "RC-2026-07"
    for kind, first_number in [
        ("orders", ("order_number", "B-20250002")),
        ("contracts", ("contract_number", "L-77001")),
        ("cases", ("case_number", "C-9001")),
    ]:
        response = await api.get(f"/api/crm/customers/K-100002/{kind}", headers=AUTH)
        assert response.status_code == 200
        assert response.json()[0][first_number[0]] == first_number[1]
    invoices = await api.get("/api/crm/customers/K-100001/invoices", headers=AUTH)
    assert invoices.json()[0]["invoice_number"] == "R-20250100"
    appointments = await api.get("/api/crm/customers/K-100004/appointments", headers=AUTH)
    assert appointments.json()[0]["status"] == "ready_for_pickup"
    history = await api.get("/api/crm/customers/K-100001/interactions?limit=2", headers=AUTH)
    assert [entry["summary"] for entry in history.json()] == [
        "Inspektion durchgeführt",
        "Kauf Aurora Touring",
    ]


async def test_writes(api: httpx.AsyncClient) -> None:
    base = "/api/crm/customers/K-100001"
    interaction = await api.post(
        f"{base}/interactions", headers=AUTH, json={"channel": "chat", "summary": "Hallo"}
    )
    assert (interaction.status_code, interaction.json()["summary"]) == (201, "Hallo")
    case = await api.post(
        f"{base}/cases", headers=AUTH, json={"kind": "complaint", "subject": "Kratzer"}
    )
    assert (case.status_code, case.json()) == (201, {"case_number": "C-2000001"})
    contact = await api.patch(f"{base}/contact", headers=AUTH, json={"phone": "+49 89 7654321"})
    assert (contact.status_code, contact.json()["phone"]) == (200, "+49 89 7654321")
    booked = await api.post(
        f"{base}/appointments",
        headers=AUTH,
        json={
            "workshop_code": "wien",
            "starts_at": "2026-11-24T10:00:00",
            "service": "Inspektion",
        },
    )
    assert booked.status_code == 201
    number = booked.json()["appointment_number"]
    moved = await api.post(
        f"{base}/appointments/{number}/reschedule",
        headers=AUTH,
        json={"starts_at": "2026-11-24T11:00:00"},
    )
    assert moved.json()["starts_at"] == "2026-11-24T11:00:00"
    cancelled = await api.post(f"{base}/appointments/{number}/cancel", headers=AUTH, json={})
    assert cancelled.json()["status"] == "cancelled"


async def test_workshops_slots_and_recalls(api: httpx.AsyncClient) -> None:
    found = await api.get("/api/crm/workshops", params={"city": "Köln"}, headers=AUTH)
    assert [w["code"] for w in found.json()] == ["koeln"]
    slots = await api.get(
        "/api/crm/workshops/zuerich/slots",
        params={"from_date": "2026-11-28", "days": 1},
        headers=AUTH,
    )
    assert [s["starts_at"][11:16] for s in slots.json()] == ["08:00", "09:00", "10:00", "11:00"]
    recalls = await api.get("/api/crm/recalls", params={"plate": "W-12345A"}, headers=AUTH)
    assert recalls.json()[0]["vin"] == "WNL0AUR0S2019C003"


@pytest.mark.parametrize(
    ("path", "error"),
    [
        ("/api/crm/customers/K-999999", "CustomerNotFound"),
        ("/api/crm/customers/K-999999/orders", "CustomerNotFound"),
        ("/api/crm/workshops/hamburg/slots?from_date=2026-11-24", "WorkshopNotFound"),
    ],
)
async def test_unknown_records_give_404(api: httpx.AsyncClient, path: str, error: str) -> None:
    response = await api.get(path, headers=AUTH)
    assert response.status_code == 404
    assert response.json()["error"] == error


async def test_taken_slot_gives_409(api: httpx.AsyncClient) -> None:
    body = {"workshop_code": "muenchen-mitte", "starts_at": "2026-12-02T09:00:00", "service": "x"}
    response = await api.post("/api/crm/customers/K-100002/appointments", headers=AUTH, json=body)
    assert (response.status_code, response.json()["error"]) == (409, "SlotUnavailable")


@pytest.mark.parametrize(
    ("method", "path", "body", "message"),
    [
        ("post", "/api/crm/verify", {"customer_number": "K-100001"}, "field required"),
        ("post", "/api/crm/verify", {"customer_number": "x", "postal_code": "1", "x": 1}, "extra"),
        ("get", "/api/crm/customers/K-12", None, "customer_number must look like K-100001"),
        ("patch", "/api/crm/customers/K-100001/contact", {"email": "nope"}, "valid e-mail"),
        ("patch", "/api/crm/customers/K-100001/contact", {"street": "A 1"}, "street, postal_code"),
        ("post", "/api/crm/customers/K-100001/cases", {"kind": "other", "subject": "x"}, "kind"),
        ("get", "/api/crm/workshops/berlin/slots", None, "from_date"),
        ("get", "/api/crm/workshops/berlin/slots?from_date=2026-11-24&days=99", None, "days"),
        ("get", "/api/crm/recalls", None, "give a vin or a plate"),
        ("get", "/api/crm/customers/K-100001/interactions?limit=0", None, "limit"),
    ],
)
async def test_invalid_input_gives_422_with_a_clear_message(
    api: httpx.AsyncClient, method: str, path: str, body: dict | None, message: str
) -> None:
    response = await api.request(method.upper(), path, headers=AUTH, json=body)
    assert response.status_code == 422
    assert message in response.text


async def test_openapi_documents_every_operation(api: httpx.AsyncClient) -> None:
    spec = (await api.get("/openapi.json")).json()
    operations = [
        (path, method, operation)
        for path, methods in spec["paths"].items()
        for method, operation in methods.items()
        if path.startswith("/api/crm")
    ]
    assert len(operations) == 18  # 17 + POST /leads (test drives)
    for path, method, operation in operations:
        assert operation.get("summary"), f"{method} {path} has no summary"
        success = next(code for code in operation["responses"] if code.startswith("2"))
        assert "schema" in operation["responses"][success]["content"]["application/json"]
        assert "401" in operation["responses"]
    assert "HTTPBearer" in spec["components"]["securitySchemes"]
