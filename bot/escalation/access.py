"""Who may call the desk's APIs: a logged-in account, and for some routes a role.

Routers of other features (training, analytics, privacy) take their
dependencies from the one :class:`AgentAccess` that
``bot.escalation.wiring.EscalationFeature`` builds::

    @router.get("/api/training/inbox")
    def inbox(trainer: Annotated[AgentRef, Depends(access.with_role(Role.TRAINER))]): ...
"""

# No "from __future__ import annotations": FastAPI resolves the dependency
# annotations at run time.

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, HTTPException, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from bot.escalation import schemas
from bot.escalation.agents import AgentDirectory
from bot.escalation.auth import InvalidToken, read_agent_token
from bot.escalation.roles import Role
from bot.settings import Secret


def authenticate_agent(
    credentials: HTTPAuthorizationCredentials | None, secret: Secret, agents: AgentDirectory
) -> schemas.AgentRef:
    """Return the agent a bearer token names (the agent API's and the desk's check).

    Raises:
        HTTPException: 401 for a missing, forged, expired or revoked token, or a disabled agent.

    """
    try:
        if credentials is None:
            raise InvalidToken("missing")
        claims = read_agent_token(credentials.credentials, secret.reveal())
    except InvalidToken:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            detail="missing, invalid or expired agent token",
            headers={"WWW-Authenticate": "Bearer"},
        ) from None
    agent = agents.seen(claims.agent_id, claims.generation)
    if agent is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            detail="agent disabled or logged out",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return agent


class AgentAccess:
    """FastAPI dependencies for logged-in accounts and their roles.

    Args:
        agents: The account directory.
        secret: Signs agent tokens (AGENT_TOKEN_SECRET).

    """

    def __init__(self, agents: AgentDirectory, secret: Secret) -> None:
        self._agents = agents
        self._secret = secret
        self._bearer = HTTPBearer(
            auto_error=False, description="Agent token from POST /api/auth/login"
        )
        self.agent = self._agent_dependency()

    def _agent_dependency(self) -> Callable[..., schemas.AgentRef]:
        bearer = self._bearer

        def logged_in_agent(
            credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
        ) -> schemas.AgentRef:
            return authenticate_agent(credentials, self._secret, self._agents)

        return logged_in_agent

    def with_role(self, *roles: Role) -> Callable[..., schemas.AgentRef]:
        """Return a dependency: the logged-in account if it holds one of ``roles``.

        Raises (from the dependency):
            HTTPException: 401 when not logged in, 403 without the role.

        """
        wanted = {role.value for role in roles}
        needed = " or ".join(sorted(wanted))

        def agent_with_role(
            agent: Annotated[schemas.AgentRef, Depends(self.agent)],
        ) -> schemas.AgentRef:
            if not wanted.intersection(agent.roles):
                raise HTTPException(status.HTTP_403_FORBIDDEN, detail=f"needs role {needed}")
            return agent

        return agent_with_role
