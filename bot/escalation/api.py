"""The escalation JSON API on the bot service (see docs/escalation-api.md).

Agents log in at ``POST /api/auth/login`` and send ``Authorization: Bearer
<token>`` afterwards; every agent action is audited by the service. The
action server reaches ``/api/internal/...`` with the service token
(CRM_API_TOKEN).
"""

# No "from __future__ import annotations": FastAPI resolves the endpoint
# annotations at run time, and closures refer to local names.

import logging
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response, status
from fastapi.responses import JSONResponse

from bot.crm.api import bearer_auth
from bot.escalation import schemas
from bot.escalation.access import AgentAccess
from bot.escalation.agents import AgentDirectory
from bot.escalation.auth import issue_agent_token
from bot.escalation.errors import EscalationError, LoginThrottled
from bot.escalation.live_chat import LiveChat
from bot.settings import Secret

logger = logging.getLogger(__name__)

_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "Not logged in, or the token expired."},
    404: {"description": "No such escalation."},
    409: {"description": "Claimed by another agent, or not in a state for this action."},
    502: {"description": "The Rasa server did not accept the takeover event."},
}


def escalation_error_response(_request: Request, error: Exception) -> JSONResponse:
    """Answer an escalation exception with its status and ``{"error", "detail"}``."""
    code = error.status_code if isinstance(error, EscalationError) else 500
    headers = (
        {"Retry-After": str(error.retry_after_seconds)}
        if isinstance(error, LoginThrottled)
        else None
    )
    return JSONResponse(
        status_code=code,
        content={"error": type(error).__name__, "detail": str(error)},
        headers=headers,
    )


def escalation_routers(
    live_chat: LiveChat,
    agents: AgentDirectory,
    access: AgentAccess,
    agent_secret: Secret,
    token_ttl_seconds: int,
    service_token: Secret,
) -> list[APIRouter]:
    """Build the agent API and the internal API of the action server.

    Args:
        live_chat: Escalations and the takeover.
        agents: Agent accounts.
        access: The login and role checks.
        agent_secret: Signs agent tokens (AGENT_TOKEN_SECRET).
        token_ttl_seconds: Token lifetime.
        service_token: Bearer token of the action server (CRM_API_TOKEN).

    """
    service = live_chat.service
    Agent = Annotated[schemas.AgentRef, Depends(access.agent)]
    auth = APIRouter(prefix="/api/auth", tags=["agent desk"])

    @auth.post("/login", summary="Log an agent in", response_model=schemas.TokenResponse)
    def login(credentials: schemas.LoginRequest, request: Request) -> schemas.TokenResponse:
        address = request.client.host if request.client else None
        agent = agents.authenticate(credentials.username, credentials.password, address)
        if agent is None:
            raise HTTPException(status.HTTP_401_UNAUTHORIZED, detail="wrong username or password")
        token = issue_agent_token(
            agent.id,
            agent.username,
            agent_secret.reveal(),
            token_ttl_seconds,
            agents.token_generation(agent.id),
        )
        return schemas.TokenResponse(access_token=token, expires_in=token_ttl_seconds)

    @auth.get("/me", summary="The logged-in agent", response_model=schemas.AgentRef)
    def me(agent: Agent) -> schemas.AgentRef:
        return agent

    desk = APIRouter(prefix="/api/escalations", tags=["agent desk"], responses=_ERRORS)

    @desk.get(
        "",
        summary="The queue: most urgent, then oldest first",
        response_model=list[schemas.EscalationItem],
    )
    def list_escalations(
        agent: Agent,
        status_: Annotated[Literal["open", "claimed", "resolved"], Query(alias="status")] = "open",
    ) -> list[schemas.EscalationItem]:
        return service.list_escalations(status_)

    @desk.get(
        "/{escalation_id}",
        summary="The whole context package",
        response_model=schemas.EscalationDetail,
    )
    def get_escalation(escalation_id: int, agent: Agent) -> schemas.EscalationDetail:
        return service.get_escalation(escalation_id)

    @desk.post(
        "/{escalation_id}/claim",
        summary="Claim and take over the live chat",
        response_model=schemas.EscalationDetail,
    )
    def claim(escalation_id: int, agent: Agent) -> schemas.EscalationDetail:
        return live_chat.claim(escalation_id, agent)

    @desk.post(
        "/{escalation_id}/messages",
        summary="Send a message to the customer",
        response_model=schemas.EscalationDetail,
        status_code=status.HTTP_201_CREATED,
    )
    def send(escalation_id: int, body: schemas.TextBody, agent: Agent) -> schemas.EscalationDetail:
        return live_chat.send(escalation_id, agent, body.text)

    @desk.post(
        "/{escalation_id}/notes",
        summary="Add an internal note",
        response_model=schemas.Note,
        status_code=status.HTTP_201_CREATED,
    )
    def add_note(escalation_id: int, body: schemas.TextBody, agent: Agent) -> schemas.Note:
        return service.add_note(escalation_id, agent.id, body.text)

    @desk.post(
        "/{escalation_id}/resolve",
        summary="Resolve (history entry in the CRM)",
        response_model=schemas.EscalationDetail,
    )
    def resolve(
        escalation_id: int, body: schemas.ResolveBody, agent: Agent
    ) -> schemas.EscalationDetail:
        return live_chat.resolve(escalation_id, agent, body)

    @desk.post(
        "/{escalation_id}/handback",
        summary="Hand the chat back to the bot",
        response_model=schemas.EscalationDetail,
    )
    def hand_back(escalation_id: int, agent: Agent) -> schemas.EscalationDetail:
        return live_chat.hand_back(escalation_id, agent)

    internal = APIRouter(
        prefix="/api/internal", tags=["action server"], dependencies=[bearer_auth(service_token)]
    )

    @internal.post(
        "/escalations",
        summary="Open (or find) the escalation of a conversation",
        response_model=schemas.IntakeReceipt,
    )
    def intake(body: schemas.EscalationIntake, response: Response) -> schemas.IntakeReceipt:
        receipt = service.open_escalation(body)
        response.status_code = status.HTTP_201_CREATED if receipt.created else status.HTTP_200_OK
        return receipt

    @internal.post(
        "/takeover-messages",
        summary="A customer message for the agent",
        status_code=status.HTTP_202_ACCEPTED,
    )
    def customer_message(body: schemas.CustomerMessage) -> dict[str, int]:
        return {
            "escalation_id": service.record_customer_message(
                body.conversation_id, body.text, body.timestamp
            )
        }

    @internal.post(
        "/follow-ups",
        summary="What the customer added after the handoff, for the open escalation",
        response_model=schemas.FollowUpReceipt,
        status_code=status.HTTP_202_ACCEPTED,
    )
    def follow_up(body: schemas.CustomerMessage) -> schemas.FollowUpReceipt:
        return service.add_follow_up(body.conversation_id, body.text, body.timestamp)

    return [auth, desk, internal]
