"""The profile is the same as the old ORM reading gave, field by field and byte by byte.

Every seeded customer (the demo customers and the generated ones) is
compared with :func:`reference_profile`, the profile as the CRM built it
before issue #14, also after the history has grown past the profile's window
with contacts that name cases, carry details and share a timestamp.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, datetime, timedelta

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.crm import models, schemas
from bot.crm.enums import Channel, Country, Tier
from bot.crm.service import CRMService
from bot.settings import Secret, Settings
from bot.web.app import create_app
from tests.bot.crm.profile_reference import reference_json, reference_profile

TOKEN = "profile-test-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def all_customer_numbers(engine: Engine) -> list[str]:
    with Session(engine) as session:
        return list(
            session.execute(
                select(models.Customer.customer_number).order_by(models.Customer.id)
            ).scalars()
        )


def assert_same_profiles(engine: Engine, service: CRMService) -> int:
    numbers = all_customer_numbers(engine)
    for number in numbers:
        with Session(engine) as session:
            expected = reference_profile(session, number)
        profile = service.get_profile(number)
        assert profile == expected, number
        assert reference_json(profile) == reference_json(expected), number
    return len(numbers)


def grow_histories(engine: Engine, service: CRMService) -> None:
    """Give the demo customers long histories: cases, details, equal timestamps."""
    case = service.create_case(
        "K-100001",
        schemas.CaseCreate(
            kind="complaint", subject="Kratzer nach der Wäsche", channel=Channel.CHAT
        ),
    )
    service.update_contact(
        "K-100002",
        schemas.ContactChange(email="neu@example.de", channel=Channel.CHAT),
    )
    moment = datetime(2026, 11, 23, 7, 30)
    for index in range(30):
        for number in ("K-100001", "K-100003"):
            service.record_interaction(
                number,
                schemas.InteractionCreate(
                    channel=Channel.CHAT,
                    summary=f"Chat {index}: Frage zum Termin, Grüße aus München",
                    topic="appointment" if index % 2 else None,
                    conversation_id=f"c-{index % 4}",
                    case_number=case.case_number if number == "K-100001" and index % 3 else None,
                    occurred_at=moment + timedelta(minutes=index // 3),  # three share a minute
                ),
            )


def add_bare_customer(engine: Engine) -> None:
    """A customer with no preferred workshop, no vehicles and no records at all."""
    with Session(engine) as session, session.begin():
        session.add(
            models.Customer(
                customer_number="K-999001",
                salutation="",
                first_name="Zoë",
                last_name="Leer",
                email="leer@example.ch",
                phone="+41 44 0000000",
                street="Leerweg 1",
                postal_code="8001",
                city="Zürich",
                country=Country.CH,
                customer_since=date(2026, 1, 2),
                tier=Tier.STANDARD,
            )
        )


def test_every_seeded_customer_has_the_same_profile(
    crm_engine: Engine, crm_service: CRMService
) -> None:
    assert assert_same_profiles(crm_engine, crm_service) >= 25


def test_profiles_stay_the_same_as_the_history_grows(
    crm_engine: Engine, crm_service: CRMService
) -> None:
    grow_histories(crm_engine, crm_service)
    add_bare_customer(crm_engine)
    profile = crm_service.get_profile("K-100001")
    assert len(profile.recent_interactions) == 20
    assert any(i.case_number for i in profile.recent_interactions)
    assert crm_service.get_profile("K-999001").vehicles == []
    assert assert_same_profiles(crm_engine, crm_service) >= 26


@pytest.fixture
async def api(crm_service: CRMService) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(Settings(crm_api_token=Secret(TOKEN)), crm_service=crm_service)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://crm") as client:
        yield client


@pytest.mark.parametrize("crm_database_url", ["sqlite"], indirect=True)
async def test_the_api_sends_the_same_bytes(
    crm_engine: Engine, crm_service: CRMService, api: httpx.AsyncClient
) -> None:
    grow_histories(crm_engine, crm_service)
    for number in all_customer_numbers(crm_engine):
        response = await api.get(f"/api/crm/customers/{number}", headers=AUTH)
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/json"
        with Session(crm_engine) as session:
            assert response.content == reference_json(reference_profile(session, number)), number


@pytest.mark.parametrize("crm_database_url", ["sqlite"], indirect=True)
async def test_verify_and_recorded_contacts_are_sent_as_fastapi_sent_them(
    api: httpx.AsyncClient,
) -> None:
    answers = [
        await api.post(
            "/api/crm/verify",
            json={"customer_number": "K-100001", "postal_code": code},
            headers=AUTH,
        )
        for code in ["80331", *["99999"] * 5]
    ]
    assert [a.json()["verified"] for a in answers] == [True] + [False] * 5
    assert answers[-1].json()["locked_until"] is not None
    recorded = await api.post(
        "/api/crm/customers/K-100003/interactions",
        json={"channel": "phone", "summary": "Rückruf wegen Rechnung – erledigt", "topic": "x"},
        headers=AUTH,
    )
    assert recorded.status_code == 201
    for answer, schema in [(a, schemas.VerificationResult) for a in answers] + [
        (recorded, schemas.Interaction)
    ]:
        assert answer.headers["content-type"] == "application/json"
        assert answer.content == reference_json(schema.parse_raw(answer.content))
