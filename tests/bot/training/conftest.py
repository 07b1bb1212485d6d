"""Training-inbox fixtures: the real CRM (seeded SQLite copy), the escalation feature, an app."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from bot.escalation.roles import Role
from bot.training.settings import TrainingSettings
from bot.training.wiring import TrainingFeature
from tests.bot.escalation.conftest import clock, feature, rasa  # noqa: F401  (fixtures)


@pytest.fixture
def training(feature, crm_service_local, tmp_path) -> TrainingFeature:  # noqa: F811
    """The training feature over the seeded CRM, without an event source."""
    summary = tmp_path / "summary.json"
    summary.write_text(
        '{"main": {"per_intent_end_to_end": {"greet": {"examples": 20, "accuracy": 0.95}}}}'
    )
    return TrainingFeature.create(
        TrainingSettings(source="off", nlu_summary=summary),
        crm_service_local,
        feature.service,
        trainer=feature.access.with_role(Role.TRAINER),
        agent=feature.access.agent,
    )


@pytest.fixture
def client(feature, training) -> Iterator[TestClient]:  # noqa: F811
    """The escalation and training APIs in process, with a trainer and a plain agent."""
    app = FastAPI()
    feature.install(app)
    app.include_router(training.router)
    feature.agents.create_agent("keller", "geheim-genug-1", "Frau Keller")
    feature.agents.create_agent(
        "lorenz", "geheim-genug-2", "Herr Lorenz", roles=(Role.AGENT, Role.TRAINER)
    )
    with TestClient(app) as client:
        yield client


def bearer(client: TestClient, username: str, password: str) -> dict[str, str]:
    response = client.post("/api/auth/login", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}
