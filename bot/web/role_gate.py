"""Interim role check until ``bot.escalation.access`` (agent roles) lands on main."""

# No "from __future__ import annotations": FastAPI resolves the dependency annotations at run time.

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from bot.escalation.api import authenticate_agent
from bot.escalation.schemas import AgentRef
from bot.escalation.wiring import EscalationFeature

_bearer = HTTPBearer(auto_error=False, description="Agent token from POST /api/auth/login")


def with_role(escalations: EscalationFeature, *roles: str) -> Callable[..., AgentRef]:
    """Return a dependency: the logged-in agent if they hold one of ``roles``, else 401/403."""

    def check(
        _request: Request,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    ) -> AgentRef:
        secret = escalations.settings.agent_token_secret
        assert secret is not None  # EscalationFeature.create always sets one
        agent = authenticate_agent(credentials, secret, escalations.agents)
        held = set(getattr(agent, "roles", None) or ())
        if not held & set(roles):
            raise HTTPException(
                status.HTTP_403_FORBIDDEN, detail=f"needs role {' or '.join(roles)}"
            )
        return agent

    return check
