"""The bot service in process: analytics API, CSV and page, /metrics, the erasure API, roles."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine

from bot.escalation.roles import Role
from bot.escalation.tracker_sweeper import EVENTS
from bot.settings import Secret, Settings
from bot.web.app import create_app
from tests.bot.analytics.conversations import (
    HOUR,
    booking,
    ended_in_fallback,
    escalated_invoice,
    served_order_status,
)
from tests.bot.escalation.conftest import settings as escalation_settings

TOKEN = "crm-token-0123456789abcdef0123456789abcdef"
SERVICE = {"Authorization": f"Bearer {TOKEN}"}
PERIOD = {"from": "2026-11-23", "to": "2026-11-24"}


def write_tracker_store(url: str, conversations: dict) -> None:
    engine = create_engine(url)
    EVENTS.metadata.create_all(engine)
    with engine.begin() as connection:
        for sender, events in conversations.items():
            connection.execute(
                EVENTS.insert(),
                [
                    {"sender_id": sender, "type_name": e["event"], "timestamp": e["timestamp"],
                     "intent_name": None, "action_name": None, "data": json.dumps(e)}
                    for e in events
                ],
            )  # fmt: skip
    engine.dispose()


@pytest.fixture
def client(crm_service_local, tmp_path) -> Iterator[TestClient]:
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    write_tracker_store(
        url,
        {
            "served": served_order_status(0),
            "handoff": escalated_invoice(HOUR),
            "lost": ended_in_fallback(2 * HOUR),
            "booked": booking(3 * HOUR),
        },
    )
    settings = Settings(crm_api_token=Secret(TOKEN))
    app = create_app(
        settings,
        crm_service=crm_service_local,
        escalation_settings=escalation_settings(
            tracker_store_url=url, rasa_url="http://127.0.0.1:9"
        ),
    )
    agents = app.state.escalations.agents
    for name, roles in (
        ("lead", (Role.AGENT, Role.LEAD)),
        ("trainer", (Role.TRAINER,)),
        ("agent", (Role.AGENT,)),
        ("dpo", (Role.PRIVACY,)),
    ):
        agents.create_agent(name, "geheim-genug-1", name, roles=roles)
    assert app.state.analytics.refresh() == 4
    yield TestClient(app)


def login(client: TestClient, name: str) -> dict[str, str]:
    answer = client.post("/api/auth/login", json={"username": name, "password": "geheim-genug-1"})
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def test_the_summary_for_a_lead_and_a_trainer(client) -> None:
    for who in ("lead", "trainer"):
        answer = client.get("/api/analytics/summary", params=PERIOD, headers=login(client, who))
        assert answer.status_code == 200, answer.text
    summary = answer.json()
    assert {k: summary[k] for k in ("conversations", "contained", "escalated")} == {
        "conversations": 4,
        "contained": 2,
        "escalated": 1,
    }
    assert summary["containment_rate"] == 0.5 and summary["fallback_rate"] == 0.25
    assert summary["escalations_by_reason"] == {"customer_request": 1}
    assert summary["journeys"]["book_appointment"] == {"started": 1, "completed": 1}
    assert set(summary) >= {
        "csat_average", "csat_count", "median_wait_seconds", "median_handle_seconds",
        "escalation_rate",
    }  # fmt: skip


def test_roles_and_inputs_are_checked(client) -> None:
    assert client.get("/api/analytics/summary", params=PERIOD).status_code == 401
    refused = client.get("/api/analytics/summary", params=PERIOD, headers=login(client, "agent"))
    assert refused.status_code == 403 and "needs role" in refused.json()["detail"]
    lead = login(client, "lead")
    reversed_period = {"from": "2026-11-24", "to": "2026-11-23"}
    assert (
        client.get("/api/analytics/summary", params=reversed_period, headers=lead).status_code
        == 422
    )
    assert (
        client.get(
            "/api/analytics/summary", params={"from": "x", "to": "y"}, headers=lead
        ).status_code
        == 422
    )
    erasure = client.post(
        "/api/privacy/erasure", json={"customer_number": "K-100005"}, headers=lead
    )
    assert erasure.status_code == 403


def test_the_csv_has_one_line_per_day(client) -> None:
    answer = client.get("/api/analytics/daily.csv", params=PERIOD, headers=login(client, "lead"))
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
    lines = list(csv.DictReader(io.StringIO(answer.text)))
    assert [(line["date"], line["conversations"], line["contained"]) for line in lines] == [
        ("2026-11-23", "4", "2"),
        ("2026-11-24", "0", "0"),
    ]


def test_the_page_is_served_with_a_strict_policy_and_no_cdn(client) -> None:
    page = client.get("/desk/analytics")
    assert page.status_code == 200
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert "https://" not in page.text and "/desk/static/analytics.js" in page.text
    script = client.get("/desk/static/analytics.js")
    assert script.status_code == 200 and "https://" not in script.text


def test_metrics_in_prometheus_text_format(client) -> None:
    client.get("/api/crm/customers/K-100001", headers=SERVICE)
    text = client.get("/metrics").text
    assert "nordlicht_conversations_total 4.0" in text
    assert "nordlicht_turns_total 9.0" in text
    assert "nordlicht_fallbacks_total 2.0" in text
    assert 'nordlicht_crm_request_seconds_count{method="GET"} 1.0' in text
    assert "nordlicht_queue_length 0.0" in text
    assert "nordlicht_rasa_metrics_up 0" in text  # no Rasa server on port 9


def test_a_data_protection_officer_erases_a_customer(client) -> None:
    dpo = login(client, "dpo")
    first = client.post("/api/privacy/erasure", json={"customer_number": "K-100001"}, headers=dpo)
    assert first.status_code == 200, first.text
    receipt = first.json()
    assert receipt["erased"]["tracker_store"] == {"conversations": 1, "events": 7}
    assert receipt["erased"]["analytics"]["conversation_rows"] == 1
    again = client.post("/api/privacy/erasure", json={"customer_number": "K-100001"}, headers=dpo)
    assert again.json()["repeat"] is True
    unknown = client.post("/api/privacy/erasure", json={"customer_number": "K-999999"}, headers=dpo)
    assert unknown.status_code == 404
    summary = client.get("/api/analytics/summary", params=PERIOD, headers=login(client, "lead"))
    assert summary.json()["conversations"] == 4  # counts survive the erasure
