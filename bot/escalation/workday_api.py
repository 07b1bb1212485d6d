"""The desk's working-day routes: colleagues, transfer and release, search in the resolved.

* ``GET /api/agents``: active colleagues (for the transfer), who is online.
* ``POST /api/escalations/{id}/transfer``: to a colleague or back to the queue.
* ``GET /api/history/escalations``: resolved escalations, filtered and paginated.
"""

# No "from __future__ import annotations": FastAPI resolves the endpoint annotations at run time.

from collections.abc import Callable
from datetime import date, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from bot.clock import Clock
from bot.crm.schemas.base import Schema
from bot.crm.service.base import as_naive_utc
from bot.escalation import schemas
from bot.escalation.agent_admin import AgentAdministration
from bot.escalation.history import MAX_PAGE_SIZE, ResolvedPage, ResolvedSearch
from bot.escalation.service import EscalationService
from bot.escalation.transfer import TransferBody, Transfers

EscalationId = Annotated[int, Path(ge=1, le=2**31 - 1)]


class Colleague(Schema):
    """An active agent another agent can pass an escalation to."""

    id: int
    username: str
    display_name: str
    online: bool


def workday_router(
    service: EscalationService,
    transfers: Transfers,
    admin: AgentAdministration,
    agent: Callable[..., schemas.AgentRef],
    clock: Clock,
) -> APIRouter:
    """Build the routes (every one needs a logged-in agent).

    Args:
        service: The escalations.
        transfers: Transfer and release.
        admin: The agent accounts.
        agent: Dependency: the logged-in agent (else 401).
        clock: Current time (who is online).

    """
    router = APIRouter(tags=["agent desk"])
    Agent = Annotated[schemas.AgentRef, Depends(agent)]

    @router.get("/api/agents", summary="Active colleagues", response_model=list[Colleague])
    def colleagues(_agent: Agent) -> list[Colleague]:
        since = as_naive_utc(clock()) - timedelta(minutes=service.settings.agent_online_minutes)
        return [
            Colleague(
                id=a.id,
                username=a.username,
                display_name=a.display_name,
                online=bool(a.last_seen_at and a.last_seen_at >= since),
            )
            for a in admin.list_agents()
            if a.active
        ]

    @router.post(
        "/api/escalations/{escalation_id}/transfer",
        summary="Give a claimed escalation to a colleague or back to the queue",
        response_model=schemas.EscalationDetail,
    )
    def transfer(
        escalation_id: EscalationId, body: TransferBody, me: Agent
    ) -> schemas.EscalationDetail:
        transfers.transfer(escalation_id, me, body)
        return service.get_escalation(escalation_id)

    @router.get(
        "/api/history/escalations",
        summary="Resolved escalations, newest first, filtered and paginated",
        response_model=ResolvedPage,
    )
    def search(
        _agent: Agent,
        customer_number: Annotated[str | None, Query(max_length=30)] = None,
        case_number: Annotated[str | None, Query(max_length=16)] = None,
        reason: Annotated[str | None, Query(max_length=60)] = None,
        agent_username: Annotated[str | None, Query(alias="agent", max_length=60)] = None,
        resolved_from: Annotated[date | None, Query(alias="from")] = None,
        resolved_to: Annotated[date | None, Query(alias="to")] = None,
        page: Annotated[int, Query(ge=1, le=10_000)] = 1,
        per_page: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 20,
    ) -> ResolvedPage:
        return service.search_resolved(
            ResolvedSearch(
                customer_number=customer_number or None,
                case_number=case_number or None,
                reason=reason or None,
                agent=agent_username or None,
                resolved_from=resolved_from,
                resolved_to=resolved_to,
                page=page,
                per_page=per_page,
            )
        )

    return router
