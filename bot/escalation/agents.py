"""Agent accounts: creation, login and presence (who is online)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.crm.db import create_session_factory
from bot.crm.service.base import Clock, as_naive_utc, system_clock
from bot.escalation import schemas, views
from bot.escalation.auth import check_password_rules, hash_password, verify_password
from bot.escalation.errors import AgentExists
from bot.escalation.models import Agent, AuditEntry

SEEN_RESOLUTION = timedelta(seconds=30)
"""Presence is written at most this often per agent."""
_DUMMY_HASH = hash_password("timing-equaliser")


class AgentDirectory:
    """Agent accounts over the CRM database.

    Args:
        engine_or_sessions: Engine or session factory.
        clock: Current time (injected in tests).

    """

    def __init__(
        self, engine_or_sessions: Engine | sessionmaker, clock: Clock = system_clock
    ) -> None:
        if isinstance(engine_or_sessions, Engine):
            engine_or_sessions = create_session_factory(engine_or_sessions)
        self._sessions: Callable[[], Session] = engine_or_sessions
        self._clock = clock

    def create_agent(
        self, username: str, password: str, display_name: str | None = None
    ) -> schemas.AgentRef:
        """Create an agent with a hashed password.

        Raises:
            ValueError: The username or password breaks a rule.
            AgentExists: The username is taken.

        """
        name = username.strip()
        if not name or len(name) > 60 or any(c.isspace() for c in name):
            raise ValueError("the username needs 1-60 characters without spaces")
        check_password_rules(password)
        try:
            with self._writing() as session:
                agent = Agent(
                    username=name,
                    display_name=(display_name or name).strip()[:120],
                    password_hash=hash_password(password),
                    active=True,
                    created_at=as_naive_utc(self._clock()),
                )
                session.add(agent)
                session.flush()
                session.add(
                    AuditEntry(
                        occurred_at=agent.created_at, agent_id=agent.id, action="agent_created"
                    )
                )
                return views.agent_ref(agent)
        except IntegrityError:
            raise AgentExists(f"an agent named {name!r} exists already") from None

    def authenticate(self, username: str, password: str) -> schemas.AgentRef | None:
        """Return the agent if the credentials are right (and audit the attempt)."""
        with self._writing() as session:
            agent = session.execute(
                select(Agent).where(Agent.username == username.strip())
            ).scalar_one_or_none()
            ok = verify_password(password, agent.password_hash if agent else _DUMMY_HASH)
            ok = ok and agent is not None and agent.active
            now = as_naive_utc(self._clock())
            session.add(
                AuditEntry(
                    occurred_at=now,
                    agent_id=agent.id if agent else None,
                    action="login" if ok else "login_failed",
                    details=None if ok else {"username": username[:60]},
                )
            )
            if not ok or agent is None:
                return None
            agent.last_seen_at = now
            return views.agent_ref(agent)

    def seen(self, agent_id: int) -> schemas.AgentRef | None:
        """Record that the agent is active now; return them (None: unknown or disabled)."""
        now = as_naive_utc(self._clock())
        with self._writing() as session:
            agent = session.get(Agent, agent_id)
            if agent is None or not agent.active:
                return None
            if agent.last_seen_at is None or now - agent.last_seen_at >= SEEN_RESOLUTION:
                agent.last_seen_at = now
            return views.agent_ref(agent)

    @contextmanager
    def _writing(self) -> Iterator[Session]:
        with self._sessions() as session, session.begin():
            yield session
