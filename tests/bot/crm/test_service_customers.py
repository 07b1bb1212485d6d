"""Verification, profiles and contact changes on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine

from bot.crm import models, schemas
from bot.crm.errors import CRMValidationError, CustomerNotFound
from bot.crm.service import CRMService


@pytest.mark.parametrize(
    ("number", "postal_code"),
    [("K-100001", "80331"), ("k100001", "80331"), ("100004", "CH-8001"), ("K 100003", " 1010")],
)
def test_verification_accepts_the_postal_code_on_file(
    crm_service: CRMService, number: str, postal_code: str
) -> None:
    result = crm_service.verify_customer(number, postal_code)
    assert result.verified
    assert result.customer_number == f"K-{number[-6:]}"


@pytest.mark.parametrize(
    ("number", "postal_code"),
    [("K-100001", "80332"), ("K-999999", "80331"), ("nonsense", "80331"), ("K-100001", "")],
)
def test_failed_verification_does_not_tell_whether_the_number_exists(
    crm_service: CRMService, number: str, postal_code: str
) -> None:
    assert crm_service.verify_customer(number, postal_code) == schemas.VerificationResult(
        verified=False, customer_number=None
    )


def test_unknown_and_malformed_customers(crm_service: CRMService) -> None:
    with pytest.raises(CustomerNotFound):
        crm_service.get_profile("K-999999")
    with pytest.raises(CRMValidationError):
        crm_service.get_profile("K-12")


def test_lists_match_the_profile(crm_service: CRMService) -> None:
    profile = crm_service.get_profile("K-100002")
    assert crm_service.list_orders("K-100002") == profile.orders
    assert crm_service.list_contracts("K-100002") == profile.contracts
    assert crm_service.list_cases("K-100002") == profile.cases
    assert crm_service.list_invoices("K-100003")[0].invoice_number == "R-20250201"
    assert crm_service.list_appointments("K-100001")[0].appointment_number == "T-5001"
    assert [i.summary for i in crm_service.list_interactions("K-100001", limit=1)] == [
        "Inspektion durchgeführt"
    ]


def test_generated_customers_have_a_history(crm_service: CRMService) -> None:
    profile = crm_service.get_profile("K-200001")
    assert profile.customer.customer_number == "K-200001"
    assert len(profile.recent_interactions) >= 3
    times = [i.occurred_at for i in profile.recent_interactions]
    assert times == sorted(times, reverse=True)


def test_changing_the_email_keeps_the_old_value_in_the_history(
    crm_service: CRMService,
) -> None:
    change = schemas.ContactChange(
        email="anna.schmidt@example.org", channel="chat", conversation_id="conv-1"
    )
    customer = crm_service.update_contact("K-100001", change)
    assert customer.email == "anna.schmidt@example.org"
    assert crm_service.get_profile("K-100001").customer.email == "anna.schmidt@example.org"
    [latest] = crm_service.list_interactions("K-100001", limit=1)
    assert (latest.topic, latest.channel.value, latest.conversation_id) == (
        "contact_change",
        "chat",
        "conv-1",
    )
    assert latest.details == {
        "changes": {"email": {"old": "anna.schmidt@example.de", "new": "anna.schmidt@example.org"}}
    }


def test_moving_abroad_changes_the_whole_address(
    crm_service: CRMService, crm_engine: Engine
) -> None:
    change = schemas.ContactChange(
        street="Landstraße 3", postal_code="4020", city="Linz", country="AT", phone="+43 732 1234"
    )
    customer = crm_service.update_contact("K-100005", change)
    assert (customer.street, customer.postal_code, customer.city, customer.country.value) == (
        "Landstraße 3",
        "4020",
        "Linz",
        "AT",
    )
    [latest] = crm_service.list_interactions("K-100005", limit=1)
    assert latest.details is not None
    assert latest.details["changes"]["postal_code"] == {"old": "10115", "new": "4020"}
    assert latest.details["changes"]["country"] == {"old": "DE", "new": "AT"}
    with crm_engine.connect() as connection:
        stored = connection.execute(
            select(models.Customer.city).where(models.Customer.customer_number == "K-100005")
        ).scalar_one()
    assert stored == "Linz"


def test_postal_code_must_fit_the_country(crm_service: CRMService) -> None:
    change = schemas.ContactChange(street="Hauptstraße 1", postal_code="1234", city="Berlin")
    with pytest.raises(CRMValidationError):
        crm_service.update_contact("K-100005", change)
    assert crm_service.get_profile("K-100005").customer.postal_code == "10115"


def test_an_unchanged_value_records_nothing(crm_service: CRMService) -> None:
    before = crm_service.list_interactions("K-100003")
    crm_service.update_contact("K-100003", schemas.ContactChange(phone="+43 1 5551234"))
    assert crm_service.list_interactions("K-100003") == before


@pytest.mark.parametrize(
    "fields",
    [{"street": "Nur Straße 1"}, {"email": "no-at-sign"}, {"phone": "12"}, {}, {"country": "AT"}],
)
def test_incomplete_or_malformed_contact_changes_are_rejected(fields: dict) -> None:
    with pytest.raises(ValueError):
        schemas.ContactChange(**fields)
