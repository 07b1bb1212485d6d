"""HttpCRMClient against the real API served by uvicorn on a loopback port."""

from __future__ import annotations

import asyncio
import shutil
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
import uvicorn

from bot.crm import schemas
from bot.crm.client import CRMClient
from bot.crm.db import create_crm_engine
from bot.crm.errors import (
    AppointmentNotChangeable,
    CRMAuthError,
    CRMError,
    CRMUnavailable,
    CRMValidationError,
    CustomerNotFound,
    SlotUnavailable,
)
from bot.crm.http_client import HttpCRMClient, crm_client_from_settings
from bot.crm.service import CRMService
from bot.settings import Secret, Settings, SettingsError
from bot.web.app import create_app
from tests.support.processes import free_port

pytestmark = pytest.mark.e2e

TOKEN = "client-test-token"


@pytest.fixture(scope="module")
def crm_url(
    crm_sqlite_template: Path,
    tmp_path_factory: pytest.TempPathFactory,
    crm_clock: Callable[[], datetime],
) -> Iterator[str]:
    path = tmp_path_factory.mktemp("http-client") / "crm.db"
    shutil.copy(crm_sqlite_template, path)
    engine = create_crm_engine(f"sqlite:///{path}")
    app = create_app(
        Settings(crm_api_token=Secret(TOKEN)), crm_service=CRMService(engine, clock=crm_clock)
    )
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", ws="none")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=15)
    engine.dispose()


@asynccontextmanager
async def client(url: str, token: str = TOKEN, **options: object) -> AsyncIterator[HttpCRMClient]:
    async with HttpCRMClient(url, Secret(token), **options) as crm:  # type: ignore[arg-type]
        yield crm


async def test_reads(crm_url: str) -> None:
    async with client(crm_url) as crm:
        assert isinstance(crm, CRMClient)
        verified = await crm.verify_customer("k 100002", "50667")
        assert verified == schemas.VerificationResult(verified=True, customer_number="K-100002")
        assert not (await crm.verify_customer("K-100002", "50668")).verified
        profile = await crm.get_profile("K-100002")
        assert profile.contracts[0].monthly_rate_eur == Decimal("489.00")
        assert [w.code for w in await crm.find_workshops(postal_code="1030")] == ["wien", "zuerich"]
        slots = await crm.free_slots("koeln", date(2026, 11, 28), days=1)
        assert [s.starts_at.hour for s in slots] == [9, 10, 11, 12, 13]
        [recall] = await crm.find_recalls(vin="WNL0AUR0S2019C003")
        assert recall.campaign_code == "RC-2026-07"


async def test_writes(crm_url: str) -> None:
    async with client(crm_url) as crm:
        entry = await crm.record_interaction(
            "K-100003", schemas.InteractionCreate(channel="chat", summary="Frage zum Rückruf")
        )
        assert entry.summary == "Frage zum Rückruf"
        case = await crm.create_case(
            "K-100003", schemas.CaseCreate(kind="invoice_dispute", subject="Mahnung unklar")
        )
        assert case.case_number.startswith("C-2")
        customer = await crm.update_contact(
            "K-100003", schemas.ContactChange(email="sophie@example.at")
        )
        assert customer.email == "sophie@example.at"
        booking = schemas.AppointmentBooking(
            workshop_code="wien", starts_at=datetime(2026, 11, 26, 8), service="Bremsschlauch"
        )
        booked = await crm.book_appointment("K-100003", booking)
        assert booked.vehicle_vin == "WNL0AUR0S2019C003"
        with pytest.raises(SlotUnavailable):
            await crm.book_appointment("K-100001", booking)
        moved = await crm.reschedule_appointment(
            "K-100003",
            booked.appointment_number,
            schemas.AppointmentReschedule(starts_at=datetime(2026, 11, 26, 9)),
        )
        assert moved.starts_at == datetime(2026, 11, 26, 9)
        cancelled = await crm.cancel_appointment(
            "K-100003", booked.appointment_number, schemas.AppointmentCancellation()
        )
        assert cancelled.status.value == "cancelled"
        with pytest.raises(AppointmentNotChangeable):
            await crm.cancel_appointment(
                "K-100003", booked.appointment_number, schemas.AppointmentCancellation()
            )


async def test_errors_come_back_as_our_exceptions(crm_url: str) -> None:
    async with client(crm_url) as crm:
        with pytest.raises(CustomerNotFound):
            await crm.get_profile("K-999999")
        with pytest.raises(CRMValidationError):
            await crm.get_profile("K-12")
        with pytest.raises(CRMValidationError):
            await crm.find_recalls()
    async with client(crm_url, token="wrong") as crm:
        with pytest.raises(CRMAuthError):
            await crm.get_profile("K-100001")


@pytest.mark.parametrize("call", ["get_profile", "record_interaction"])
async def test_stopped_crm_fails_fast_with_unavailable(call: str) -> None:
    url = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    started = time.monotonic()
    async with client(url) as crm:
        with pytest.raises(CRMUnavailable):
            if call == "get_profile":
                await crm.get_profile("K-100001")
            else:
                await crm.record_interaction("K-100001", schemas.InteractionCreate(summary="x"))
    assert time.monotonic() - started < 3


async def test_hanging_crm_is_given_up_well_before_three_seconds() -> None:
    connections: list[asyncio.StreamWriter] = []

    async def never_answer(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections.append(writer)

    server = await asyncio.start_server(never_answer, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        async with client(f"http://127.0.0.1:{port}") as crm:
            started = time.monotonic()
            with pytest.raises(CRMUnavailable, match="timed out"):
                await crm.get_profile("K-100001")  # a read: tried twice
            elapsed = time.monotonic() - started
    finally:
        for writer in connections:
            writer.close()
        server.close()
        await server.wait_closed()
    assert 2.0 < elapsed < 2.8
    assert len(connections) == 2


def counting_transport(status: int, body: object) -> tuple[httpx.MockTransport, list[str]]:
    seen: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(f"{request.method} {request.url.path}")
        return httpx.Response(status, json=body)

    return httpx.MockTransport(answer), seen


async def test_only_idempotent_reads_are_retried() -> None:
    transport, seen = counting_transport(503, {"error": "CRMUnavailable", "detail": "down"})
    async with client("http://crm", transport=transport) as crm:
        with pytest.raises(CRMUnavailable):
            await crm.get_profile("K-100001")
        with pytest.raises(CRMUnavailable):
            await crm.verify_customer("K-100001", "80331")
        with pytest.raises(CRMUnavailable):
            await crm.create_case("K-100001", schemas.CaseCreate(kind="general", subject="x"))
    assert seen == [
        "GET /api/crm/customers/K-100001",
        "GET /api/crm/customers/K-100001",
        "POST /api/crm/verify",
        "POST /api/crm/verify",
        "POST /api/crm/customers/K-100001/cases",
    ]


@pytest.mark.parametrize(
    ("status", "body", "error"),
    [(200, {"unexpected": True}, CRMError), (418, "teapot", CRMError), (500, {}, CRMUnavailable)],
)
async def test_unexpected_answers_become_crm_errors(
    status: int, body: object, error: type[Exception]
) -> None:
    transport, _ = counting_transport(status, body)
    async with client("http://crm", transport=transport) as crm:
        with pytest.raises(error):
            await crm.get_profile("K-100001")


def test_client_from_settings_needs_the_token() -> None:
    with pytest.raises(SettingsError, match="CRM_API_TOKEN"):
        crm_client_from_settings(Settings())
    crm = crm_client_from_settings(
        Settings(crm_api_url="http://crm:8000", crm_api_token=Secret("t"), crm_timeout_seconds=0.5)
    )
    assert isinstance(crm, CRMClient)
