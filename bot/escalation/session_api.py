"""Server-side logout: ``POST /api/auth/logout`` ends every session of the agent at once."""

# No "from __future__ import annotations": FastAPI resolves the endpoint annotations at run time.

from typing import Annotated

from fastapi import APIRouter, Depends, Response, status

from bot.escalation import schemas
from bot.escalation.access import AgentAccess
from bot.escalation.agent_admin import AgentAdministration


def logout_router(admin: AgentAdministration, access: AgentAccess) -> APIRouter:
    """Build the logout route (the token, and every other token of the agent, is revoked)."""
    router = APIRouter(prefix="/api/auth", tags=["agent desk"])

    @router.post(
        "/logout",
        summary="Log out: every token of this agent stops working at once",
        status_code=status.HTTP_204_NO_CONTENT,
        response_class=Response,
    )
    def logout(agent: Annotated[schemas.AgentRef, Depends(access.agent)]) -> Response:
        admin.revoke_tokens(agent.id)
        return Response(status_code=status.HTTP_204_NO_CONTENT)

    return router
