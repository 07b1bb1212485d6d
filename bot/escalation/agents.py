"""Agent accounts: creation, login and presence (who is online)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock, system_clock
from bot.crm.db import create_session_factory
from bot.crm.service.attempts import (
    AGENT_ADDRESS_LIMIT,
    AGENT_LOGIN_LIMIT,
    clear_failures,
    locked_until,
    record_failure,
)
from bot.crm.service.base import as_naive_utc
from bot.escalation import schemas, views
from bot.escalation.auth import (
    check_password_rules,
    hash_password,
    needs_rehash,
    verify_password,
)
from bot.escalation.errors import AgentExists, LoginThrottled
from bot.escalation.models import Agent, AuditEntry
from bot.escalation.roles import DEFAULT_ROLES, Role, stored_roles

SEEN_RESOLUTION = timedelta(seconds=30)
"""Presence is written at most this often per agent."""


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """Return a hash to check unknown usernames against, so they take as long as known ones."""
    return hash_password("timing-equaliser")


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
        self,
        username: str,
        password: str,
        display_name: str | None = None,
        roles: Iterable[Role] = DEFAULT_ROLES,
    ) -> schemas.AgentRef:
        """Create an agent with a hashed password and their roles.

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
                    roles=stored_roles(roles),
                    active=True,
                    created_at=as_naive_utc(self._clock()),
                )
                session.add(agent)
                session.flush()
                session.add(
                    AuditEntry(
                        occurred_at=agent.created_at,
                        agent_id=agent.id,
                        action="agent_created",
                        details={"roles": agent.roles},
                    )
                )
                return views.agent_ref(agent)
        except IntegrityError:
            raise AgentExists(f"an agent named {name!r} exists already") from None

    def authenticate(
        self, username: str, password: str, client_address: str | None = None
    ) -> schemas.AgentRef | None:
        """Return the agent if the credentials are right (and audit the attempt).

        Failures count per account and per client address in the database
        (:data:`AGENT_LOGIN_LIMIT`, :data:`AGENT_ADDRESS_LIMIT`); while either
        is locked, no password is checked. A hash made with weaker
        parameters than today's is replaced on a successful login.

        Raises:
            LoginThrottled: Too many recent failures for the account or the address.

        """
        name = username.strip()[:60]
        limits = [(AGENT_LOGIN_LIMIT, name.lower())]
        if client_address:
            limits.append((AGENT_ADDRESS_LIMIT, client_address))
        with self._writing() as session:
            now = as_naive_utc(self._clock())
            until = max(
                (u for lim, who in limits if (u := locked_until(session, lim, who, now))),
                default=None,
            )
            if until is not None:
                session.add(
                    AuditEntry(
                        occurred_at=now, action="login_throttled", details={"username": name}
                    )
                )
        if until is not None:  # raised after the commit, so the audit entry stays
            raise LoginThrottled(max(1, int((until - now).total_seconds()) + 1))
        with self._writing() as session:
            agent = session.execute(
                select(Agent).where(Agent.username == name)
            ).scalar_one_or_none()
            ok = verify_password(password, agent.password_hash if agent else _dummy_hash())
            ok = ok and agent is not None and agent.active
            session.add(
                AuditEntry(
                    occurred_at=now,
                    agent_id=agent.id if agent else None,
                    action="login" if ok else "login_failed",
                    details=None if ok else {"username": name},
                )
            )
            if not ok or agent is None:
                for limit, who in limits:
                    record_failure(session, limit, who, now)
                return None
            clear_failures(session, AGENT_LOGIN_LIMIT, name.lower())
            if needs_rehash(agent.password_hash):
                agent.password_hash = hash_password(password)
            agent.last_seen_at = now
            return views.agent_ref(agent)

    def seen(self, agent_id: int, generation: int | None = None) -> schemas.AgentRef | None:
        """Record that the agent is active now; return them.

        Returns:
            The agent; None if unknown, disabled, or ``generation`` (the token's)
            is not the account's current token generation (the token was revoked).

        """
        now = as_naive_utc(self._clock())
        with self._writing() as session:
            agent = session.get(Agent, agent_id)
            if agent is None or not agent.active:
                return None
            if generation is not None and generation != (agent.token_generation or 0):
                return None
            if agent.last_seen_at is None or now - agent.last_seen_at >= SEEN_RESOLUTION:
                agent.last_seen_at = now
            return views.agent_ref(agent)

    def token_generation(self, agent_id: int) -> int:
        """Return the token generation that new tokens of the agent carry."""
        with self._sessions() as session:
            agent = session.get(Agent, agent_id)
            return int(agent.token_generation or 0) if agent else 0

    @contextmanager
    def _writing(self) -> Iterator[Session]:
        with self._sessions() as session, session.begin():
            yield session
