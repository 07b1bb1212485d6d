"""Server-side logout, and the logged-in-agent dependency of the desk's newer routers.

``POST /api/auth/logout`` ends every session of the agent at once.
"""

# No "from __future__ import annotations": FastAPI resolves the endpoint annotations at run time.

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Response, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from bot.escalation import schemas
from bot.escalation.agent_admin import AgentAdministration
from bot.escalation.agents import AgentDirectory
from bot.escalation.api import authenticate_agent
from bot.settings import Secret


def logout_router(agents: AgentDirectory, admin: AgentAdministration, secret: Secret) -> APIRouter:
    """Build the logout route (the token, and every other token of the agent, is revoked)."""
    bearer = HTTPBearer(auto_error=False, description="Agent token from POST /api/auth/login")
    router = APIRouter(prefix="/api/auth", tags=["agent desk"])

    @router.post(
        "/logout",
        summary="Log out: every token of this agent stops working at once",
        status_code=status.HTTP_204_NO_CONTENT,
        response_class=Response,
    )
    def logout(
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    ) -> Response:
        agent = authenticate_agent(credentials, secret, agents)
        admin.revoke_tokens(agent.id)
        return Response(status_code=status.HTTP_204_NO_CONTENT)

    return router


def agent_dependency(agents: AgentDirectory, secret: Secret) -> Callable[..., schemas.AgentRef]:
    """Return a FastAPI dependency: the agent the bearer token names (else 401)."""
    bearer = HTTPBearer(auto_error=False, description="Agent token from POST /api/auth/login")

    def current_agent(
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    ) -> schemas.AgentRef:
        return authenticate_agent(credentials, secret, agents)

    return current_agent
