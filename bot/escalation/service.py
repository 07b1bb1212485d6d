"""The escalation service: intention-revealing operations on escalations.

Every write is one transaction; the context package (customer, reason,
priority, intents, slots, actions, transcript, summary) is stored together
with its audit entry or not at all. ``open_key`` (unique) makes the creation
idempotent even when two requests race: one unresolved escalation per
conversation.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock, system_clock
from bot.crm.db import create_session_factory
from bot.crm.service.base import as_naive_utc
from bot.escalation import schemas, views
from bot.escalation.business_hours import german_moment
from bot.escalation.conversation import read_conversation
from bot.escalation.customer_context import ProfileLoader, customer_context
from bot.escalation.errors import (
    EscalationConflict,
    EscalationNotFound,
    EscalationStoreUnavailable,
)
from bot.escalation.history import (
    ResolvedPage,
    ResolvedSearch,
    previous_escalations,
    search_resolved,
)
from bot.escalation.models import Agent, AuditEntry, Escalation, EscalationMessage, EscalationNote
from bot.escalation.past_conversations import PastConversations
from bot.escalation.reasons import known_reason, priority_of, reason_text
from bot.escalation.settings import EscalationSettings
from bot.escalation.summary import summarize

COVER_SECONDS = 5.0
"""An escalation created this long before a handoff request still covers it."""


class EscalationService:
    """Escalations, their queue and the agents' actions on them.

    Args:
        engine_or_sessions: Engine or session factory of the CRM database.
        settings: Business hours, wait estimates.
        load_profile: Reads a verified customer's CRM profile (None: no profile).
        clock: Current time, timezone-aware (injected in tests).
        past: Reads the customer's earlier conversations from Rasa's tracker
            store (None: only earlier escalations are shown).

    """

    def __init__(
        self,
        engine_or_sessions: Engine | sessionmaker,
        settings: EscalationSettings,
        load_profile: ProfileLoader | None = None,
        clock: Clock = system_clock,
        past: PastConversations | None = None,
    ) -> None:
        if isinstance(engine_or_sessions, Engine):
            engine_or_sessions = create_session_factory(engine_or_sessions)
        self._sessions: Callable[[], Session] = engine_or_sessions
        self.settings = settings
        self._load_profile = load_profile
        self._clock = clock
        self.past = past

    # --- creation ------------------------------------------------------------

    def open_escalation(
        self, intake: schemas.EscalationIntake, source: str = "action"
    ) -> schemas.IntakeReceipt:
        """Create the escalation of a conversation, or return its open one.

        A repeated request adds the new transcript lines to the open
        escalation (and raises its priority if the new reason is more urgent).
        """
        facts = read_conversation(intake.events, intake.slots)
        reason = known_reason(intake.reason)
        existing = self._add_to_open(intake.conversation_id, facts.transcript, reason)
        if existing is not None:
            return existing
        claimed = intake.claimed_customer_number or next(
            (str(e["value"]) for e in reversed(facts.entities) if e["entity"] == "customer_number"),
            None,
        )
        customer = customer_context(intake.verified_customer_number, claimed, self._load_profile)
        text = reason_text(reason)
        now = self._clock()
        workshop = customer.get("workshop_code")
        live = self._agents_can_answer(now, workshop)
        priority = priority_of(reason)
        row = Escalation(
            conversation_id=intake.conversation_id,
            open_key=intake.conversation_id,
            channel=_channel(intake.channel or facts.channel),
            status="open",
            mode="live" if live else "ticket",
            reason_code=reason,
            reason_text=text,
            priority=priority.value,
            priority_rank=priority.rank,
            topic=facts.topic_intent(),
            summary=summarize(facts, text, case_number=intake.case_number, customer=customer),
            customer=customer,
            customer_number=(customer.get("customer_number") or "")[:30] or None,
            intents=facts.intents,
            slots={"values": facts.slots, "entities": facts.entities},
            bot_actions=facts.bot_actions,
            case_number=intake.case_number,
            trigger_timestamp=facts.last_user_timestamp,
            source=source,
            created_at=as_naive_utc(now),
            callback_due_at=None
            if live
            else as_naive_utc(
                self.settings.business_hours.callback_due(
                    now, self.settings.ticket_response_hours, workshop
                )
            ),
            takeover_active=False,
        )
        row.messages = [
            EscalationMessage(
                role=line.role, text=line.text, sent_at=line.timestamp, source_key=line.source_key
            )
            for line in facts.transcript
        ]
        try:
            with self._writing() as session:
                session.add(row)
                session.flush()
                self._audit(
                    session,
                    "escalation_created",
                    row.id,
                    None,
                    {"reason": reason, "source": source},
                )
                escalation_id = row.id
        except IntegrityError:
            existing = self._add_to_open(intake.conversation_id, facts.transcript, reason)
            if existing is None:
                raise
            return existing
        return self.receipt(escalation_id, created=True)

    def _add_to_open(
        self, conversation_id: str, transcript: list[Any], reason: str
    ) -> schemas.IntakeReceipt | None:
        with self._writing() as session:
            row = session.execute(
                select(Escalation)
                .where(Escalation.open_key == conversation_id)
                .with_for_update(of=Escalation)
            ).scalar_one_or_none()
            if row is None:
                return None
            known = {m.source_key for m in row.messages}
            for line in transcript:
                if line.source_key not in known:
                    row.messages.append(
                        EscalationMessage(
                            role=line.role,
                            text=line.text,
                            sent_at=line.timestamp,
                            source_key=line.source_key,
                        )
                    )
            priority = priority_of(reason)
            if priority.rank < row.priority_rank:
                row.priority, row.priority_rank = priority.value, priority.rank
                row.reason_code, row.reason_text = reason, reason_text(reason)
            self._audit(session, "escalation_requested_again", row.id, None, {"reason": reason})
            escalation_id = row.id
        return self.receipt(escalation_id, created=False)

    def receipt(self, escalation_id: int, *, created: bool) -> schemas.IntakeReceipt:
        """Return what the bot tells the customer about an escalation."""
        with self._reading() as session:
            row = self._get(session, escalation_id)
            position, wait = self._queue_place(session, row)
            due = row.callback_due_at.replace(tzinfo=timezone.utc) if row.callback_due_at else None
            return schemas.IntakeReceipt(
                escalation_id=row.id,
                created=created,
                mode=row.mode,
                queue_position=position,
                wait_minutes=wait,
                callback_due_at=due,
                callback_due_text=german_moment(due, self.settings.business_hours.zone)
                if due
                else None,
                ticket_number=views.ticket_number(row.id),
            )

    def covers_request(self, conversation_id: str, requested_at: float) -> bool:
        """Tell whether a handoff request at ``requested_at`` (Unix time) is recorded."""
        moment = datetime.fromtimestamp(requested_at, tz=timezone.utc).replace(tzinfo=None)
        with self._reading() as session:
            found = session.execute(
                select(Escalation.id).where(
                    Escalation.conversation_id == conversation_id,
                    or_(
                        Escalation.resolved_at.is_(None),
                        Escalation.resolved_at >= moment,
                        Escalation.created_at >= moment - timedelta(seconds=COVER_SECONDS),
                    ),
                )
            ).first()
        return found is not None

    # --- reading -------------------------------------------------------------

    def list_escalations(self, status: str = "open") -> list[schemas.EscalationItem]:
        """Return escalations of one status, most urgent first, then oldest first."""
        with self._reading() as session:
            rows = (
                session.execute(
                    select(Escalation)
                    .where(Escalation.status == status)
                    .order_by(Escalation.priority_rank, Escalation.created_at, Escalation.id)
                )
                .scalars()
                .all()
            )
            online = self._online_agents(session)
            return (
                [views.item(row, *self._place_in(rows, row, online)) for row in rows]
                if status == "open"
                else [views.item(row, None, None) for row in rows]
            )

    def get_escalation(self, escalation_id: int) -> schemas.EscalationDetail:
        """Return the whole context package.

        Raises:
            EscalationNotFound: No such escalation.

        """
        with self._reading() as session:
            row = self._get(session, escalation_id)
            past = previous_escalations(session, row)
            detail = views.detail(row, *self._queue_place(session, row), past)
        customer = row.customer or {}
        if self.past is not None and customer.get("verified"):
            earlier = self.past.for_customer(
                customer.get("recent_interactions") or [], row.conversation_id
            )
            return detail.copy(update={"previous_conversations": earlier})
        return detail

    def search_resolved(self, query: ResolvedSearch) -> ResolvedPage:
        """Return one page of the resolved escalations that match ``query``, newest first."""
        with self._reading() as session:
            return search_resolved(session, query, self.settings.business_hours.zone)

    def takeover_conversation(self, conversation_id: str) -> schemas.EscalationItem | None:
        """Return the escalation whose agent has taken over ``conversation_id``, if any."""
        with self._reading() as session:
            row = session.execute(
                select(Escalation).where(
                    Escalation.open_key == conversation_id, Escalation.takeover_active.is_(True)
                )
            ).scalar_one_or_none()
            return views.item(row, None, None) if row else None

    def now(self) -> datetime:
        """Return the service's current time (timezone-aware)."""
        return self._clock()

    # --- agents' actions -----------------------------------------------------

    def claim(self, escalation_id: int, agent_id: int) -> schemas.EscalationDetail:
        """Assign an open escalation to the agent; only one agent can win.

        Raises:
            EscalationNotFound: No such escalation.
            EscalationConflict: It is claimed or resolved already.

        """
        now = as_naive_utc(self._clock())
        with self._writing() as session:
            self._get(session, escalation_id)
            claimed = session.execute(
                update(Escalation)
                .where(Escalation.id == escalation_id, Escalation.status == "open")
                .values(status="claimed", claimed_by_id=agent_id, claimed_at=now)
                .execution_options(synchronize_session=False)
            ).rowcount
            if claimed != 1:
                raise EscalationConflict("the escalation is already claimed or resolved")
            self._audit(session, "claim", escalation_id, agent_id, None)
        return self.get_escalation(escalation_id)

    def owned_by(self, escalation_id: int, agent_id: int) -> schemas.EscalationItem:
        """Return the escalation if the agent has claimed it.

        Raises:
            EscalationNotFound: No such escalation.
            EscalationConflict: Another agent has it, or it is not claimed.

        """
        with self._reading() as session:
            return views.item(self._owned(session, escalation_id, agent_id), None, None)

    def set_takeover(self, escalation_id: int, agent_id: int, active: bool) -> None:
        """Record that the agent took over the live chat (or handed it back)."""
        with self._writing() as session:
            row = self._owned(session, escalation_id, agent_id)
            row.takeover_active = active
            self._audit(
                session, "takeover" if active else "handback", escalation_id, agent_id, None
            )

    def add_agent_message(self, escalation_id: int, agent_id: int, text: str) -> None:
        """Add a message the agent sent to the customer to the transcript."""
        with self._writing() as session:
            row = self._owned(session, escalation_id, agent_id)
            row.messages.append(
                EscalationMessage(
                    role="agent", text=text, sent_at=as_naive_utc(self._clock()), agent_id=agent_id
                )
            )
            self._audit(session, "message", escalation_id, agent_id, {"length": len(text)})

    def add_system_line(self, escalation_id: int, text: str) -> None:
        """Add a notice (takeover, hand-back) to the transcript."""
        with self._writing() as session:
            row = self._get(session, escalation_id)
            row.messages.append(
                EscalationMessage(role="system", text=text, sent_at=as_naive_utc(self._clock()))
            )

    def add_note(self, escalation_id: int, agent_id: int, text: str) -> schemas.Note:
        """Add an internal note (any logged-in agent may)."""
        with self._writing() as session:
            self._get(session, escalation_id)
            note = EscalationNote(
                escalation_id=escalation_id,
                agent_id=agent_id,
                text=text,
                created_at=as_naive_utc(self._clock()),
            )
            session.add(note)
            session.flush()
            self._audit(session, "note", escalation_id, agent_id, {"note_id": note.id})
            session.refresh(note)
            return views.note(note)

    def record_customer_message(
        self, conversation_id: str, text: str, timestamp: float | None
    ) -> int:
        """Add a customer message sent during a takeover; return the escalation id.

        Raises:
            EscalationNotFound: No agent has taken over this conversation.

        """
        sent = (
            datetime.fromtimestamp(timestamp, tz=timezone.utc).replace(tzinfo=None)
            if timestamp
            else as_naive_utc(self._clock())
        )
        with self._writing() as session:
            row = session.execute(
                select(Escalation).where(
                    Escalation.open_key == conversation_id, Escalation.takeover_active.is_(True)
                )
            ).scalar_one_or_none()
            if row is None:
                raise EscalationNotFound("no agent has taken over this conversation")
            key = f"{timestamp:.6f}:live" if timestamp else None
            if key is None or key not in {m.source_key for m in row.messages}:
                row.messages.append(
                    EscalationMessage(role="customer", text=text, sent_at=sent, source_key=key)
                )
            return int(row.id)

    def add_follow_up(
        self, conversation_id: str, text: str, timestamp: float | None
    ) -> schemas.FollowUpReceipt:
        """Add what the customer wrote after the handoff to their open escalation.

        The message joins the transcript and the summary gets a "Nachtrag", so
        the agent who claims it reads everything; the same message (by its
        timestamp) is added once. The receipt carries the escalation's place
        in the queue, for a customer who asked how long the wait still takes.

        Raises:
            EscalationNotFound: The conversation has no open escalation.

        """
        sent = (
            datetime.fromtimestamp(timestamp, tz=timezone.utc).replace(tzinfo=None)
            if timestamp
            else as_naive_utc(self._clock())
        )
        with self._writing() as session:
            row = session.execute(
                select(Escalation).where(Escalation.open_key == conversation_id)
            ).scalar_one_or_none()
            if row is None:
                raise EscalationNotFound("this conversation has no open escalation")
            key = f"{timestamp:.6f}:follow-up" if timestamp else None
            if key is None or key not in {m.source_key for m in row.messages}:
                row.messages.append(
                    EscalationMessage(role="customer", text=text, sent_at=sent, source_key=key)
                )
                row.summary = f"{row.summary}\nNachtrag des Kunden: {text[:300]}"
            escalation_id = int(row.id)
        return schemas.FollowUpReceipt(
            escalation_id=escalation_id,
            ticket_number=views.ticket_number(escalation_id),
            queue=self.receipt(escalation_id, created=False),
        )

    def resolve(
        self, escalation_id: int, agent_id: int, resolution: str, note: str | None
    ) -> schemas.EscalationDetail:
        """Close the escalation (the conversation id may escalate again afterwards).

        Raises:
            EscalationConflict: Not claimed by this agent, or resolved already.

        """
        with self._writing() as session:
            row = self._owned(session, escalation_id, agent_id)
            now = as_naive_utc(self._clock())
            row.status, row.resolved_at, row.resolution = "resolved", now, resolution
            row.open_key = None
            row.takeover_active = False
            if note:
                session.add(
                    EscalationNote(
                        escalation_id=row.id, agent_id=agent_id, text=note, created_at=now
                    )
                )
            self._audit(session, "resolve", escalation_id, agent_id, {"resolution": resolution})
        return self.get_escalation(escalation_id)

    def audit_trail(self, escalation_id: int) -> list[dict[str, Any]]:
        """Return the audit entries of an escalation, oldest first."""
        with self._reading() as session:
            rows = session.execute(
                select(AuditEntry)
                .where(AuditEntry.escalation_id == escalation_id)
                .order_by(AuditEntry.id)
            ).scalars()
            return [
                {
                    "action": r.action,
                    "agent_id": r.agent_id,
                    "occurred_at": r.occurred_at,
                    "details": r.details,
                }
                for r in rows
            ]

    # --- queue ---------------------------------------------------------------

    def _agents_can_answer(self, now: datetime, workshop: str | None = None) -> bool:
        if not self.settings.business_hours.is_open(now, workshop):
            return False
        with self._reading() as session:
            return self._online_agents(session) > 0

    def _online_agents(self, session: Session) -> int:
        since = as_naive_utc(self._clock()) - timedelta(minutes=self.settings.agent_online_minutes)
        return int(
            session.execute(
                select(func.count(Agent.id)).where(
                    Agent.active.is_(True), Agent.last_seen_at >= since
                )
            ).scalar_one()
        )

    def _queue_place(self, session: Session, row: Escalation) -> tuple[int | None, int | None]:
        if row.status != "open":
            return None, None
        ahead = session.execute(
            select(func.count(Escalation.id)).where(
                Escalation.status == "open",
                or_(
                    Escalation.priority_rank < row.priority_rank,
                    (Escalation.priority_rank == row.priority_rank)
                    & (
                        (Escalation.created_at < row.created_at)
                        | ((Escalation.created_at == row.created_at) & (Escalation.id < row.id))
                    ),
                ),
            )
        ).scalar_one()
        position = int(ahead) + 1
        return position, self._wait(position, self._online_agents(session))

    def _place_in(self, ordered: list[Escalation], row: Escalation, online: int) -> tuple[int, int]:
        position = ordered.index(row) + 1
        return position, self._wait(position, online)

    def _wait(self, position: int, online: int) -> int:
        return math.ceil(position * self.settings.minutes_per_escalation / max(online, 1))

    # --- plumbing ------------------------------------------------------------

    @contextmanager
    def _reading(self) -> Iterator[Session]:
        """Open a session; database failures become :class:`EscalationStoreUnavailable`.

        A unique-key conflict stays an ``IntegrityError``: :meth:`open_escalation`
        resolves it (two intakes for one conversation at once).
        """
        try:
            with self._sessions() as session:
                yield session
        except IntegrityError:
            raise
        except DBAPIError as error:
            raise EscalationStoreUnavailable(
                f"escalation database failed: {type(error.orig).__name__}"
            ) from error

    @contextmanager
    def _writing(self) -> Iterator[Session]:
        with self._reading() as session, session.begin():
            yield session

    @staticmethod
    def _get(session: Session, escalation_id: int) -> Escalation:
        row = session.get(Escalation, escalation_id)
        if row is None:
            raise EscalationNotFound(f"no escalation {escalation_id}")
        return row

    def _owned(self, session: Session, escalation_id: int, agent_id: int) -> Escalation:
        row = self._get(session, escalation_id)
        if row.status != "claimed" or row.claimed_by_id != agent_id:
            raise EscalationConflict("only the agent who claimed the open escalation may do this")
        return row

    def _audit(
        self,
        session: Session,
        action: str,
        escalation_id: int | None,
        agent_id: int | None,
        details: dict[str, Any] | None,
    ) -> None:
        session.add(
            AuditEntry(
                occurred_at=as_naive_utc(self._clock()),
                agent_id=agent_id,
                escalation_id=escalation_id,
                action=action,
                details=details,
            )
        )


def _channel(input_channel: str | None) -> str:
    name = (input_channel or "").lower()
    if name in ("facebook", "messenger"):
        return "messenger"
    if name in ("socketio", "website"):
        return "website"
    return name or "unknown"
