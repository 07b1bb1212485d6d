"""The analytics tables: stripped events in, one row per conversation out.

Sources (``bot.analytics.sources``) add events; :meth:`AnalyticsStore.rebuild`
recomputes the rows of the senders they touched, joining what Rasa's events
cannot say: the escalation's reason and its wait and handle times (from the
escalations table) and the CSAT rating (from the feedback table).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.analytics.conversations import ConversationRow, conversations_of
from bot.analytics.models import AnalyticsEvent, ConversationStat
from bot.crm.service.base import as_naive_utc
from bot.escalation.models import Escalation
from bot.escalation.reasons import DEFAULT_REASON
from bot.feedback.models import Feedback
from bot.privacy.erasers import pseudonym

ESCALATION_SLACK = timedelta(minutes=5)
"""An escalation created this long after the last event still belongs to the conversation."""


class AnalyticsStore:
    """Reads and writes the analytics tables.

    Args:
        sessions: Session factory of the CRM database.

    """

    def __init__(self, sessions: Any) -> None:
        self._sessions = sessions

    def add_events(self, events: Iterable[tuple[str, str, dict[str, Any]]]) -> set[str]:
        """Store ``(source_key, sender_id, event)`` once each; return the senders touched."""
        batch = list(events)
        if not batch:
            return set()
        touched: set[str] = set()
        with self._sessions() as session, session.begin():
            keys = [key for key, _, _ in batch]
            known = set(
                session.scalars(
                    select(AnalyticsEvent.source_key).where(AnalyticsEvent.source_key.in_(keys))
                )
            )
            for key, sender, event in batch:
                if key in known:
                    continue
                known.add(key)
                session.add(
                    AnalyticsEvent(
                        source_key=key,
                        sender_id=sender[:255],
                        timestamp=float(event["timestamp"]),
                        data=event,
                    )
                )
                touched.add(sender[:255])
        return touched

    def rebuild(self, senders: Iterable[str]) -> int:
        """Recompute the rows of these senders' conversations; return how many were written."""
        written = 0
        with self._sessions() as session, session.begin():
            for sender in sorted(set(senders)):
                events = session.scalars(
                    select(AnalyticsEvent.data)
                    .where(AnalyticsEvent.sender_id == sender)
                    .order_by(AnalyticsEvent.timestamp, AnalyticsEvent.id)
                ).all()
                for row in conversations_of(sender, events):
                    _enrich(session, row)
                    _upsert(session, row)
                    written += 1
        return written

    def rows(self, start: datetime, end: datetime) -> Sequence[ConversationStat]:
        """Return the rows of conversations started in [start, end) (naive UTC)."""
        with self._sessions() as session:
            rows: Sequence[ConversationStat] = session.scalars(
                select(ConversationStat)
                .where(ConversationStat.started_at >= start, ConversationStat.started_at < end)
                .order_by(ConversationStat.started_at)
            ).all()
            return rows

    def ratings(self, start: datetime, end: datetime) -> list[tuple[datetime, int]]:
        """Return (time, score) of the CSAT ratings given in [start, end)."""
        with self._sessions() as session:
            rows = session.execute(
                select(Feedback.created_at, Feedback.score).where(
                    Feedback.kind == "csat",
                    Feedback.score.is_not(None),
                    Feedback.created_at >= start,
                    Feedback.created_at < end,
                )
            ).all()
        return [(created, int(score)) for created, score in rows]


def _enrich(session: Session, row: ConversationRow) -> None:
    started, ended = as_naive_utc(row.started_at), as_naive_utc(row.ended_at)
    escalation = session.scalars(
        select(Escalation)
        .where(
            Escalation.conversation_id == row.sender_id,
            Escalation.created_at >= started - timedelta(seconds=1),
            Escalation.created_at <= ended + ESCALATION_SLACK,
        )
        .order_by(Escalation.id)
    ).first()
    if escalation is not None:
        row.escalated = True
        row.escalation_reason = escalation.reason_code
        if escalation.claimed_at is not None:
            row.wait_seconds = (escalation.claimed_at - escalation.created_at).total_seconds()
            if escalation.resolved_at is not None:
                row.handle_seconds = (
                    escalation.resolved_at - escalation.claimed_at
                ).total_seconds()
    elif row.escalated and row.escalation_reason is None:
        row.escalation_reason = DEFAULT_REASON
    score = session.scalars(
        select(Feedback.score)
        .where(Feedback.conversation_id == row.conversation_id, Feedback.kind == "csat")
        .order_by(Feedback.id.desc())
    ).first()
    if score is not None:
        row.csat = int(score)


def _upsert(session: Session, row: ConversationRow) -> None:
    record = row.as_record()
    record["started_at"] = as_naive_utc(row.started_at)
    record["ended_at"] = as_naive_utc(row.ended_at)
    erased = select(ConversationStat.id).where(
        ConversationStat.conversation_id == pseudonym(row.conversation_id)
    )
    if session.execute(erased).first() is not None:
        return  # erased or past retention: its events may come back from a source, the row not
    existing = session.scalars(
        select(ConversationStat).where(ConversationStat.conversation_id == row.conversation_id)
    ).first()
    if existing is None:
        session.add(ConversationStat(erased=False, **record))
        return
    for name, value in record.items():
        setattr(existing, name, value)
