"""Agent administration: list, disable, enable, reset passwords, revoke tokens.

Every change that should end existing sessions raises the account's token
generation (``agents.token_generation``); agent tokens carry the generation
they were issued with, and :meth:`AgentDirectory.seen` refuses any other, so
a logout, a password reset or a disabled account takes effect with the next
request, not when the token expires.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import cast

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock, system_clock
from bot.crm.db import create_session_factory
from bot.crm.schemas.base import Schema
from bot.crm.service.base import as_naive_utc
from bot.escalation.auth import check_password_rules, hash_password
from bot.escalation.errors import EscalationNotFound
from bot.escalation.models import Agent, AuditEntry
from bot.escalation.roles import loaded_roles


class UnknownAgent(EscalationNotFound):
    """No agent has this username."""


class AgentAccount(Schema):
    """An agent account as administrators see it."""

    id: int
    username: str
    display_name: str
    active: bool
    roles: list[str]
    created_at: datetime
    last_seen_at: datetime | None


class AgentAdministration:
    """Administrative changes to agent accounts, each audited.

    Args:
        engine_or_sessions: Engine or session factory of the CRM database.
        clock: Current time (injected in tests).

    """

    def __init__(
        self, engine_or_sessions: Engine | sessionmaker, clock: Clock = system_clock
    ) -> None:
        if isinstance(engine_or_sessions, Engine):
            engine_or_sessions = create_session_factory(engine_or_sessions)
        self._sessions: Callable[[], Session] = engine_or_sessions
        self._clock = clock

    def list_agents(self) -> list[AgentAccount]:
        """Return every account, by username."""
        with self._sessions() as session:
            rows = session.execute(select(Agent).order_by(Agent.username)).scalars()
            return [
                AgentAccount(
                    id=row.id,
                    username=row.username,
                    display_name=row.display_name,
                    active=bool(row.active),
                    roles=loaded_roles(row.roles),
                    created_at=row.created_at,
                    last_seen_at=row.last_seen_at,
                )
                for row in rows
            ]

    def set_active(self, username: str, active: bool) -> None:
        """Enable or disable an account; disabling ends its sessions at once.

        Raises:
            UnknownAgent: No such username.

        """
        with self._writing() as session:
            agent = self._named(session, username)
            agent.active = active
            if not active:
                agent.token_generation = (agent.token_generation or 0) + 1
            self._audit(session, agent, "agent_enabled" if active else "agent_disabled")

    def reset_password(self, username: str, password: str) -> None:
        """Set a new password and end every session of the account.

        Raises:
            UnknownAgent: No such username.
            ValueError: The password breaks a rule.

        """
        check_password_rules(password)
        with self._writing() as session:
            agent = self._named(session, username)
            agent.password_hash = hash_password(password)
            agent.token_generation = (agent.token_generation or 0) + 1
            self._audit(session, agent, "password_reset")

    def revoke_tokens(self, agent_id: int) -> None:
        """End every session of the agent (server-side logout)."""
        with self._writing() as session:
            agent = session.get(Agent, agent_id)
            if agent is None:
                return
            agent.token_generation = (agent.token_generation or 0) + 1
            self._audit(session, agent, "logout")

    def _named(self, session: Session, username: str) -> Agent:
        agent = session.execute(
            select(Agent).where(Agent.username == username.strip())
        ).scalar_one_or_none()
        if agent is None:
            raise UnknownAgent(f"no agent named {username.strip()!r}")
        return cast(Agent, agent)

    def _audit(self, session: Session, agent: Agent, action: str) -> None:
        session.add(
            AuditEntry(occurred_at=as_naive_utc(self._clock()), agent_id=agent.id, action=action)
        )

    @contextmanager
    def _writing(self) -> Iterator[Session]:
        with self._sessions() as session, session.begin():
            yield session
