"""Transfer and release: an agent gives a claimed escalation to a colleague or back to the queue.

The database change (owner, note, audit entry, transcript line) is one
transaction and decides; the customer is told afterwards, best effort like
the takeover notice, that someone else takes over and that nothing needs to
be repeated. A released escalation stays in the live takeover while it
waits, so the customer's messages keep reaching the desk, and the next
agent's claim announces them by name.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import cast

from pydantic import Field, validator
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.clock import Clock, system_clock
from bot.crm.schemas.base import Command
from bot.crm.service.base import as_naive_utc
from bot.escalation import schemas
from bot.escalation.errors import EscalationConflict, EscalationNotFound, TakeoverFailed
from bot.escalation.models import Agent, AuditEntry, Escalation, EscalationMessage, EscalationNote
from bot.escalation.rasa_conversations import RasaConversations

logger = logging.getLogger(__name__)

TO_COLLEAGUE_NOTICE = (
    "{agent} aus unserem Kundenservice übernimmt jetzt Ihr Anliegen. "
    "Der bisherige Chat liegt vor, Sie müssen nichts wiederholen."
)
TO_QUEUE_NOTICE = (
    "Eine Kollegin oder ein Kollege aus unserem Kundenservice übernimmt gleich Ihr Anliegen. "
    "Der bisherige Chat liegt vor, Sie müssen nichts wiederholen."
)


class TransferBody(Command):
    """Where the escalation goes: a colleague (``to_agent``) or, without one, the queue."""

    to_agent: str | None = Field(None, max_length=60, description="Username; null: the queue.")
    note: str | None = Field(None, max_length=4000, description="Internal hand-over note.")

    @validator("note")
    def _strip(cls, value: str | None) -> str | None:
        return value.strip() or None if value else None


class Transfers:
    """Moves claimed escalations between agents and the queue.

    Args:
        sessions: Session factory of the CRM database.
        rasa: The Rasa conversations API (the customer's notice).
        clock: Current time (injected in tests).

    """

    def __init__(
        self,
        sessions: Callable[[], Session],
        rasa: Callable[[], RasaConversations],
        clock: Clock = system_clock,
    ) -> None:
        self._sessions = sessions
        self._rasa = rasa
        self._clock = clock

    def transfer(self, escalation_id: int, agent: schemas.AgentRef, body: TransferBody) -> None:
        """Give the agent's claimed escalation to a colleague or back to the queue.

        Raises:
            EscalationNotFound: No such escalation, or no active agent of that name.
            EscalationConflict: Not claimed by ``agent``, or the colleague is ``agent``.

        """
        now = as_naive_utc(self._clock())
        with self._writing() as session:
            row = session.get(Escalation, escalation_id)
            if row is None:
                raise EscalationNotFound(f"no escalation {escalation_id}")
            if row.status != "claimed" or row.claimed_by_id != agent.id:
                raise EscalationConflict("only the agent who claimed the escalation may pass it on")
            target = self._colleague(session, body.to_agent, agent) if body.to_agent else None
            if target is None:
                row.status, row.claimed_by_id, row.claimed_at = "open", None, None
                notice, heading = TO_QUEUE_NOTICE, "Zurück in die Warteschlange"
            else:
                row.claimed_by_id, row.claimed_at = target.id, now
                notice = TO_COLLEAGUE_NOTICE.format(agent=target.display_name)
                heading = f"Übergeben an {target.display_name}"
            session.add(
                EscalationNote(
                    escalation_id=row.id,
                    agent_id=agent.id,
                    text=f"{heading}: {body.note}" if body.note else heading,
                    created_at=now,
                )
            )
            row.messages.append(EscalationMessage(role="system", text=notice, sent_at=now))
            session.add(
                AuditEntry(
                    occurred_at=now,
                    agent_id=agent.id,
                    escalation_id=row.id,
                    action="transfer",
                    details={"to": target.username if target else "queue"},
                )
            )
            live, conversation = bool(row.takeover_active), row.conversation_id
            new_name = target.display_name if target else None
        if live:
            try:
                self._rasa().announce(conversation, notice, new_name)
            except TakeoverFailed as error:
                logger.warning("Escalation %s transferred, notice failed: %s", escalation_id, error)

    @staticmethod
    def _colleague(session: Session, username: str, agent: schemas.AgentRef) -> Agent:
        target = session.execute(
            select(Agent).where(Agent.username == username.strip(), Agent.active.is_(True))
        ).scalar_one_or_none()
        if target is None:
            raise EscalationNotFound(f"no active agent named {username.strip()!r}")
        if target.id == agent.id:
            raise EscalationConflict("the escalation is yours already")
        return cast(Agent, target)

    @contextmanager
    def _writing(self) -> Iterator[Session]:
        with self._sessions() as session, session.begin():
            yield session
