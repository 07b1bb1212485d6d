"""Canned answers over HTTP: every agent reads them, users with role ``lead`` manage them."""

# No "from __future__ import annotations": FastAPI resolves the endpoint annotations at run time.

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Response, status

from bot.escalation import schemas
from bot.escalation.canned import Canned, CannedInput, CannedResponses, FilledCanned
from bot.escalation.service import EscalationService

AgentDependency = Callable[..., schemas.AgentRef]
CannedId = Annotated[int, Path(ge=1, le=2**31 - 1)]


def canned_router(
    canned: CannedResponses,
    service: EscalationService,
    agent: AgentDependency,
    lead: AgentDependency,
) -> APIRouter:
    """Build ``/api/canned-responses`` and ``/api/escalations/{id}/canned-responses``.

    Args:
        canned: The stored canned answers.
        service: The escalations (for the placeholder values).
        agent: Dependency: the logged-in agent (else 401).
        lead: Dependency: the logged-in agent with role ``lead`` (else 401/403).

    """
    router = APIRouter(tags=["agent desk"])
    Agent = Annotated[schemas.AgentRef, Depends(agent)]
    Lead = Annotated[schemas.AgentRef, Depends(lead)]

    @router.get("/api/canned-responses", summary="Every canned answer", response_model=list[Canned])
    def list_canned(_agent: Agent) -> list[Canned]:
        return canned.all()

    @router.get(
        "/api/escalations/{escalation_id}/canned-responses",
        summary="Every canned answer, placeholders filled for this escalation",
        response_model=list[FilledCanned],
    )
    def filled(escalation_id: CannedId, _agent: Agent) -> list[FilledCanned]:
        return canned.filled_for(service.get_escalation(escalation_id))

    @router.post(
        "/api/canned-responses",
        summary="Add a canned answer (role lead)",
        response_model=Canned,
        status_code=status.HTTP_201_CREATED,
    )
    def create(body: CannedInput, _lead: Lead) -> Canned:
        return canned.create(body)

    @router.put(
        "/api/canned-responses/{canned_id}",
        summary="Change a canned answer (role lead)",
        response_model=Canned,
    )
    def update(canned_id: CannedId, body: CannedInput, _lead: Lead) -> Canned:
        return canned.update(canned_id, body)

    @router.delete(
        "/api/canned-responses/{canned_id}",
        summary="Delete a canned answer (role lead)",
        status_code=status.HTTP_204_NO_CONTENT,
        response_class=Response,
    )
    def delete(canned_id: CannedId, _lead: Lead) -> Response:
        canned.delete(canned_id)
        return Response(status_code=status.HTTP_204_NO_CONTENT)

    return router
