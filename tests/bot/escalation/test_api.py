"""The escalation API in process: login, authorisation, the queue, the agent's actions, audit."""

from __future__ import annotations

import json

import jwt
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from bot.escalation.auth import issue_agent_token
from tests.bot.escalation.conftest import (
    AGENT_SECRET,
    RASA_JWT_SECRET,
    SERVICE_TOKEN,
    invoice_conversation,
    user,
)

SERVICE = {"Authorization": f"Bearer {SERVICE_TOKEN.reveal()}"}


@pytest.fixture
def client(feature) -> TestClient:
    app = FastAPI()
    feature.install(app)
    feature.agents.create_agent("keller", "geheim-genug-1", "Frau Keller")
    feature.agents.create_agent("meier", "geheim-genug-2", "Herr Meier")
    return TestClient(app)


def login(
    client: TestClient, username: str = "keller", password: str = "geheim-genug-1"
) -> dict[str, str]:
    response = client.post("/api/auth/login", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"] == "bearer"
    return {"Authorization": f"Bearer {body['access_token']}"}


def intake(client: TestClient, conversation: str = "conv-1", **extra) -> dict:
    body = {
        "conversation_id": conversation,
        "verified_customer_number": "K-100001",
        "channel": "socketio",
        "events": invoice_conversation(),
        **extra,
    }
    response = client.post("/api/internal/escalations", json=body, headers=SERVICE)
    assert response.status_code in (200, 201), response.text
    return response.json()


def test_wrong_credentials_and_missing_tokens_get_401(client) -> None:
    assert (
        client.post(
            "/api/auth/login", json={"username": "keller", "password": "falsch-falsch"}
        ).status_code
        == 401
    )
    assert (
        client.post(
            "/api/auth/login", json={"username": "niemand", "password": "falsch-falsch"}
        ).status_code
        == 401
    )
    assert client.get("/api/escalations").status_code == 401
    expired = issue_agent_token(1, "keller", AGENT_SECRET.reveal(), -10)
    assert (
        client.get("/api/escalations", headers={"Authorization": f"Bearer {expired}"}).status_code
        == 401
    )
    assert (
        client.post("/api/escalations/1/claim", headers={"Authorization": "Bearer x"}).status_code
        == 401
    )


def test_the_internal_intake_needs_the_service_token(client) -> None:
    body = {"conversation_id": "c", "events": []}
    assert client.post("/api/internal/escalations", json=body).status_code == 401
    agent = login(client)
    assert client.post("/api/internal/escalations", json=body, headers=agent).status_code == 401


def test_intake_is_idempotent_over_http(client) -> None:
    first = intake(client)
    again = intake(client, events=[*invoice_conversation(), user("Hallo??", "greet", at=50)])
    assert (first["created"], again["created"]) == (True, False)
    assert first["escalation_id"] == again["escalation_id"]


def test_a_full_agent_round(client, feature, rasa) -> None:
    escalation = intake(client)["escalation_id"]
    keller, meier = login(client), login(client, "meier", "geheim-genug-2")
    queue = client.get("/api/escalations", params={"status": "open"}, headers=keller).json()
    assert [(e["id"], e["queue_position"], e["customer"]["customer_number"]) for e in queue] == [
        (escalation, 1, "K-100001")
    ]

    claimed = client.post(f"/api/escalations/{escalation}/claim", headers=keller)
    assert claimed.status_code == 200 and claimed.json()["takeover_active"] is True
    conflict = client.post(f"/api/escalations/{escalation}/claim", headers=meier)
    assert conflict.status_code == 409 and conflict.json()["error"] == "EscalationConflict"
    assert (
        client.post(
            f"/api/escalations/{escalation}/messages", json={"text": "Hallo"}, headers=meier
        ).status_code
        == 409
    )

    sent = client.post(
        f"/api/escalations/{escalation}/messages",
        json={"text": "Guten Tag, Frau Keller hier."},
        headers=keller,
    )
    assert sent.status_code == 201
    assert sent.json()["transcript"][-1]["role"] == "agent"
    forwarded = client.post(
        "/api/internal/takeover-messages",
        json={
            "conversation_id": "conv-1",
            "text": "Danke, die Rechnung ist zu hoch",
        },
        headers=SERVICE,
    )
    assert forwarded.status_code == 202
    note = client.post(
        f"/api/escalations/{escalation}/notes", json={"text": "Kulanz prüfen"}, headers=meier
    )
    assert note.status_code == 201 and note.json()["agent"]["username"] == "meier"
    assert (
        client.post(f"/api/escalations/{escalation}/handback", headers=keller).json()[
            "takeover_active"
        ]
        is False
    )
    resolved = client.post(
        f"/api/escalations/{escalation}/resolve",
        json={"resolution": "Rechnung korrigiert", "note": "Gutschrift 50 €"},
        headers=keller,
    )
    assert resolved.status_code == 200 and resolved.json()["status"] == "resolved"
    assert [
        e["id"] for e in client.get("/api/escalations?status=resolved", headers=keller).json()
    ] == [escalation]

    detail = client.get(f"/api/escalations/{escalation}", headers=keller).json()
    assert [t["role"] for t in detail["transcript"]][-4:] == [
        "system",
        "agent",
        "customer",
        "system",
    ]
    # Rasa got the takeover, the message for the customer's channel, and the hand-back
    bodies = [events for _path, _params, events in rasa.calls]
    assert bodies[0][1] == {"event": "slot", "name": "agent_takeover", "value": True}
    assert bodies[1] == [
        {
            "event": "bot",
            "text": "Guten Tag, Frau Keller hier.",
            "metadata": {"sender": "agent", "agent_name": "Frau Keller"},
        }
    ]
    assert bodies[2][0] == {"event": "slot", "name": "agent_takeover", "value": False}
    # after the hand-back, the assistant asks for the rating
    assert (rasa.calls[3][0], bodies[3]) == (
        f"/conversations/{detail['conversation_id']}/execute",
        {"name": "action_ask_csat"},
    )
    assert bodies[4] == [{"event": "action", "name": "action_listen"}]
    assert all(
        params == {"output_channel": "latest", "execute_side_effects": "true"}
        for _p, params, _e in rasa.calls
    )
    # the token travels in the header: an admin JWT signed with RASA_JWT_SECRET
    for authorization in rasa.authorizations:
        scheme, token = (authorization or "").split(" ", 1)
        claims = jwt.decode(token, RASA_JWT_SECRET, algorithms=["HS256"])
        assert (scheme, claims["user"]) == (
            "Bearer",
            {"username": "nordlicht-bot", "role": "admin"},
        )
    # the resolution is in the customer's CRM history
    history = feature.live_chat.crm.list_interactions("K-100001", 1)[0]
    assert (
        history.summary
        == "Kundenservice (Frau Keller): Rechnung korrigiert – Notiz: Gutschrift 50 €"
    )
    assert history.topic == "escalation_resolved"
    # and everything the agents did is audited
    actions = [entry["action"] for entry in feature.service.audit_trail(escalation)]
    assert actions == [
        "escalation_created",
        "claim",
        "takeover",
        "message",
        "note",
        "handback",
        "resolve",
    ]


def test_resolving_a_taken_over_chat_hands_it_back_first(client, feature, rasa) -> None:
    escalation = intake(client)["escalation_id"]
    keller = login(client)
    assert client.post(f"/api/escalations/{escalation}/claim", headers=keller).status_code == 200
    resolved = client.post(
        f"/api/escalations/{escalation}/resolve",
        json={"resolution": "Rechnung erklärt"},
        headers=keller,
    ).json()
    assert (resolved["status"], resolved["takeover_active"]) == ("resolved", False)
    assert resolved["transcript"][-1]["role"] == "system"
    assert rasa.calls[-3][2][0] == {"event": "slot", "name": "agent_takeover", "value": False}
    assert rasa.calls[-2][2] == {"name": "action_ask_csat"}
    assert rasa.calls[-1][2] == [{"event": "action", "name": "action_listen"}]
    actions = [entry["action"] for entry in feature.service.audit_trail(escalation)]
    assert actions[-2:] == ["handback", "resolve"]


def test_a_message_rasa_refuses_is_not_recorded(client, rasa) -> None:
    escalation = intake(client)["escalation_id"]
    keller = login(client)
    rasa.status = 500
    claimed = client.post(f"/api/escalations/{escalation}/claim", headers=keller).json()
    assert claimed["status"] == "claimed" and claimed["takeover_active"] is False
    response = client.post(
        f"/api/escalations/{escalation}/messages", json={"text": "Hallo"}, headers=keller
    )
    assert response.status_code == 502
    transcript = client.get(f"/api/escalations/{escalation}", headers=keller).json()["transcript"]
    assert "agent" not in [t["role"] for t in transcript]


def test_customer_messages_without_a_takeover_get_404(client) -> None:
    body = {"conversation_id": "nobody", "text": "Hallo"}
    assert (
        client.post("/api/internal/takeover-messages", json=body, headers=SERVICE).status_code
        == 404
    )


def test_bad_input_gets_422(client) -> None:
    keller = login(client)
    escalation = intake(client)["escalation_id"]
    client.post(f"/api/escalations/{escalation}/claim", headers=keller)
    assert (
        client.post(
            f"/api/escalations/{escalation}/messages", json={"text": "   "}, headers=keller
        ).status_code
        == 422
    )
    assert client.get("/api/escalations?status=whatever", headers=keller).status_code == 422
    assert client.get("/api/escalations/99999", headers=keller).status_code == 404
    assert json.loads(client.get("/openapi.json").text)["paths"][
        "/api/escalations/{escalation_id}/claim"
    ]
