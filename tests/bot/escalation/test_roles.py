"""Roles of desk accounts: stored, shown, parsed, and enforced by ``AgentAccess.with_role``."""

# No "from __future__ import annotations": FastAPI resolves the route annotations at run time.

from typing import Annotated

import pytest
from fastapi import Depends, FastAPI
from fastapi.testclient import TestClient

from bot.escalation import schemas
from bot.escalation.roles import Role, loaded_roles, parse_roles, stored_roles


def test_role_names_are_parsed_once_each_and_default_to_agent() -> None:
    assert parse_roles([]) == (Role.AGENT,)
    assert parse_roles(["Trainer", "lead", "trainer"]) == (Role.TRAINER, Role.LEAD)
    with pytest.raises(ValueError, match="unknown role 'admin'"):
        parse_roles(["admin"])
    assert stored_roles((Role.AGENT, Role.PRIVACY)) == "agent,privacy"
    assert loaded_roles("agent,privacy,unknown") == ["agent", "privacy"]
    assert loaded_roles("") == ["agent"]


@pytest.fixture
def client(feature) -> TestClient:
    app = FastAPI()
    feature.install(app)

    @app.get("/lead-only")
    def lead_only(
        lead: Annotated[schemas.AgentRef, Depends(feature.access.with_role(Role.LEAD))],
    ) -> dict[str, str]:
        return {"hello": lead.username}

    feature.agents.create_agent("keller", "geheim-genug-1", "Frau Keller")
    feature.agents.create_agent(
        "berg", "geheim-genug-2", "Frau Berg", roles=(Role.AGENT, Role.LEAD)
    )
    return TestClient(app)


def bearer(client: TestClient, username: str, password: str) -> dict[str, str]:
    response = client.post("/api/auth/login", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def test_a_route_with_a_role_admits_holders_and_refuses_others_with_403(client) -> None:
    assert client.get("/lead-only").status_code == 401
    plain = client.get("/lead-only", headers=bearer(client, "keller", "geheim-genug-1"))
    assert plain.status_code == 403
    assert plain.json()["detail"] == "needs role lead"
    lead = client.get("/lead-only", headers=bearer(client, "berg", "geheim-genug-2"))
    assert lead.status_code == 200 and lead.json() == {"hello": "berg"}


def test_me_shows_the_roles(client) -> None:
    me = client.get("/api/auth/me", headers=bearer(client, "berg", "geheim-genug-2")).json()
    assert me["roles"] == ["agent", "lead"]
    plain = client.get("/api/auth/me", headers=bearer(client, "keller", "geheim-genug-1")).json()
    assert plain["roles"] == ["agent"]
