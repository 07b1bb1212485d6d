"""Cases, interactions and recalls on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from bot.crm import schemas
from bot.crm.errors import CRMNotFound, CRMValidationError, CustomerNotFound
from bot.crm.service import CRMService


def test_cases_get_consecutive_numbers_and_a_history_entry(
    crm_service: CRMService, crm_now: datetime
) -> None:
    first = crm_service.create_case(
        "K-100002",
        schemas.CaseCreate(
            kind="complaint", subject="Ladekabel immer noch defekt", conversation_id="c-7"
        ),
    )
    second = crm_service.create_case(
        "K-100001", schemas.CaseCreate(kind="breakdown", subject="Panne A9", priority="urgent")
    )
    assert (first.case_number, second.case_number) == ("C-2000001", "C-2000002")
    case = crm_service.list_cases("K-100002")[0]
    assert (case.case_number, case.kind.value, case.status.value, case.priority.value) == (
        "C-2000001",
        "complaint",
        "open",
        "normal",
    )
    assert case.opened_at == crm_now.replace(tzinfo=None)
    [entry] = crm_service.list_interactions("K-100002", limit=1)
    assert (entry.case_number, entry.topic, entry.conversation_id) == (
        "C-2000001",
        "case_opened",
        "c-7",
    )


def test_recording_an_interaction(crm_service: CRMService, crm_now: datetime) -> None:
    stored = crm_service.record_interaction(
        "K-100002",
        schemas.InteractionCreate(
            channel="messenger",
            summary="Nachfrage zum Fall",
            topic="warranty_claim",
            case_number="c9001",
            conversation_id="fb-123",
        ),
    )
    assert stored.case_number == "C-9001"
    assert stored.occurred_at == crm_now.replace(tzinfo=None)
    assert crm_service.list_interactions("K-100002", limit=1) == [stored]


def test_interaction_time_is_stored_in_utc(crm_service: CRMService) -> None:
    local = datetime(2026, 11, 20, 15, 30, tzinfo=timezone.utc).astimezone()
    stored = crm_service.record_interaction(
        "K-100003", schemas.InteractionCreate(channel="phone", summary="Rückruf", occurred_at=local)
    )
    assert stored.occurred_at == datetime(2026, 11, 20, 15, 30)


def test_interactions_refuse_foreign_cases_and_unknown_customers(
    crm_service: CRMService,
) -> None:
    with pytest.raises(CRMNotFound):
        crm_service.record_interaction(
            "K-100001", schemas.InteractionCreate(summary="x", case_number="C-9001")
        )
    with pytest.raises(CustomerNotFound):
        crm_service.record_interaction("K-999998", schemas.InteractionCreate(summary="x"))


@pytest.mark.parametrize(
    "query", [{"vin": "WNL0AUR0S2019C003"}, {"vin": "wnl0aur0s2019c003"}, {"plate": "w 12345 a"}]
)
def test_recall_found_by_vin_or_plate(crm_service: CRMService, query: dict) -> None:
    [notice] = crm_service.find_recalls(**query)
    assert (notice.campaign_code, notice.vin, notice.model, notice.plate) == (
        "RC-2026-07",
        "WNL0AUR0S2019C003",
        "Aurora Limousine",
        "W-12345A",
    )


def test_no_recall_for_other_vehicles(crm_service: CRMService) -> None:
    assert crm_service.find_recalls(vin="WNL0AUR0T2021A001") == []
    assert crm_service.find_recalls(plate="M-AS 2004") == []
    assert crm_service.find_recalls(vin="WVWZZZ1JZXW000001") == []
    with pytest.raises(CRMValidationError):
        crm_service.find_recalls(vin="too-short")
    with pytest.raises(CRMValidationError):
        crm_service.find_recalls()
