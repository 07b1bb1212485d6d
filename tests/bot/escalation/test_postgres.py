"""On PostgreSQL too: one open escalation per conversation, one winner per claim."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from bot.crm.db import create_crm_engine
from bot.crm.service import CRMService
from bot.escalation.errors import EscalationConflict
from bot.escalation.schemas import EscalationIntake
from bot.escalation.wiring import EscalationFeature
from tests.bot.crm.conftest import seed_small
from tests.bot.escalation.conftest import SERVICE_TOKEN, Clock, invoice_conversation, settings
from tests.support.postgres import postgres_server

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def postgres_feature() -> Iterator[EscalationFeature]:
    server = postgres_server(prefix="escalation_test")
    name = server.create("escalations")
    engine = create_crm_engine(server.url(name))
    seed_small(engine)
    clock = Clock()
    feature = EscalationFeature.create(
        settings(), CRMService(engine, clock=clock), SERVICE_TOKEN, clock
    )
    yield feature
    engine.dispose()
    server.close()


def test_racing_requests_give_one_escalation_on_postgres(postgres_feature) -> None:
    def request(_: int) -> int:
        intake = EscalationIntake(
            conversation_id="pg-race",
            verified_customer_number="K-100001",
            events=invoice_conversation(),
        )
        return postgres_feature.service.open_escalation(intake).escalation_id

    with ThreadPoolExecutor(max_workers=6) as pool:
        ids = set(pool.map(request, range(6)))
    assert len(ids) == 1
    assert postgres_feature.service.get_escalation(ids.pop()).customer.name == "Frau Anna Schmidt"


def test_concurrent_claims_have_one_winner_on_postgres(postgres_feature) -> None:
    intake = EscalationIntake(conversation_id="pg-claim", events=invoice_conversation())
    escalation = postgres_feature.service.open_escalation(intake).escalation_id
    agents = [postgres_feature.agents.create_agent(f"pg{i}", "geheim-genug-1").id for i in range(6)]

    def claim(agent_id: int) -> bool:
        try:
            postgres_feature.service.claim(escalation, agent_id)
            return True
        except EscalationConflict:
            return False

    with ThreadPoolExecutor(max_workers=6) as pool:
        assert sorted(pool.map(claim, agents)) == [False] * 5 + [True]
    assert postgres_feature.service.get_escalation(escalation).claimed_by.id in agents
