"""Server-side logout and administration: a revoked token stops working at the next request."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from bot.escalation.agent_admin import AgentAdministration
from tests.bot.escalation.test_api import login


@pytest.fixture
def client(feature) -> TestClient:
    app = FastAPI()
    feature.install(app)
    feature.agents.create_agent("keller", "geheim-genug-1", "Frau Keller")
    return TestClient(app)


@pytest.fixture
def admin(crm_service_local, clock) -> AgentAdministration:
    return AgentAdministration(crm_service_local.session_factory, clock)


def test_logout_revokes_every_token_of_the_agent_at_once(client) -> None:
    first, second = login(client), login(client)
    assert client.get("/api/auth/me", headers=first).status_code == 200
    assert client.post("/api/auth/logout", headers=first).status_code == 204
    for token in (first, second):
        refused = client.get("/api/escalations", headers=token)
        assert refused.status_code == 401
        assert refused.json()["detail"] == "agent disabled or logged out"
    assert client.post("/api/auth/logout", headers=first).status_code == 401
    fresh = login(client)
    assert client.get("/api/auth/me", headers=fresh).json()["username"] == "keller"


def test_disabling_or_resetting_the_password_ends_running_sessions(client, admin) -> None:
    token = login(client)
    admin.set_active("keller", False)
    assert client.get("/api/auth/me", headers=token).status_code == 401
    assert (
        client.post(
            "/api/auth/login", json={"username": "keller", "password": "geheim-genug-1"}
        ).status_code
        == 401
    )
    admin.set_active("keller", True)
    assert client.get("/api/auth/me", headers=token).status_code == 401  # stays revoked
    token = login(client)
    admin.reset_password("keller", "ganz-neu-2026")
    assert client.get("/api/auth/me", headers=token).status_code == 401
    login(client, "keller", "ganz-neu-2026")
    listed = {a.username: a.active for a in admin.list_agents()}
    assert listed == {"keller": True}
