"""Store ratings, comments and free-text feedback, attributed to who served the customer.

A conversation is rated once: a second rating of the same conversation is
refused (the dialogue asks once; this guards the API). Texts are masked
before they are stored (``bot.log_privacy.mask``: customer numbers, e-mail,
phone, VINs, names after a salutation) and cut to 1,000 characters.
Attribution: ``bot+agent`` with the agent when an agent claimed an
escalation of this conversation, else ``bot``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from bot.clock import Clock, system_clock
from bot.crm.service.base import as_naive_utc
from bot.escalation.models import Escalation
from bot.feedback.models import Feedback
from bot.log_privacy import mask
from bot.privacy.erasers import sender_of

MAX_TEXT = 1000
CSAT, COMMENT, FREE_TEXT = "csat", "comment", "feedback"


class AlreadyRated(Exception):
    """The conversation has a rating already."""


@dataclass(frozen=True)
class Attribution:
    """Who served the customer: ``bot``, or ``bot+agent`` and the agent's id."""

    served_by: str
    agent_id: int | None = None


class FeedbackStore:
    """Writes the ``feedback`` table.

    Args:
        sessions: Session factory of the CRM database.
        clock: The product's clock.

    """

    def __init__(self, sessions: Any, clock: Clock = system_clock) -> None:
        self._sessions = sessions
        self._clock = clock

    def attribution(self, conversation_id: str) -> Attribution:
        """Return who served the conversation (the last agent who claimed it, if any)."""
        sender = sender_of(conversation_id) or conversation_id
        with self._sessions() as session:
            agent_id = session.scalars(
                select(Escalation.claimed_by_id)
                .where(Escalation.conversation_id == sender, Escalation.claimed_by_id.is_not(None))
                .order_by(Escalation.id.desc())
            ).first()
        return Attribution("bot+agent", agent_id) if agent_id else Attribution("bot")

    def rate(
        self, conversation_id: str, channel: str, score: int, customer_number: str | None = None
    ) -> Attribution:
        """Store the conversation's rating (1-5) and return its attribution.

        Raises:
            ValueError: The score is not 1 to 5.
            AlreadyRated: The conversation was rated before.

        """
        if not 1 <= int(score) <= 5:
            raise ValueError("a rating is 1 to 5")
        attribution = self.attribution(conversation_id)
        with self._sessions() as session, session.begin():
            known = select(Feedback.id).where(
                Feedback.conversation_id == conversation_id, Feedback.kind == CSAT
            )
            if session.execute(known).first() is not None:
                raise AlreadyRated(conversation_id)
            session.add(
                self._row(
                    conversation_id, channel, CSAT, attribution, customer_number, score=int(score)
                )
            )
        return attribution

    def comment(
        self, conversation_id: str, channel: str, text: str, customer_number: str | None = None
    ) -> None:
        """Store the comment to a rating (masked)."""
        self._text(conversation_id, channel, COMMENT, text, customer_number)

    def feedback(
        self, conversation_id: str, channel: str, text: str, customer_number: str | None = None
    ) -> None:
        """Store free-text feedback given any time (masked)."""
        self._text(conversation_id, channel, FREE_TEXT, text, customer_number)

    def entries(self, conversation_id: str) -> list[dict[str, Any]]:
        """Return the conversation's feedback, oldest first (tests, the desk)."""
        with self._sessions() as session:
            rows = session.scalars(
                select(Feedback)
                .where(Feedback.conversation_id == conversation_id)
                .order_by(Feedback.id)
            ).all()
            return [
                {
                    "kind": row.kind,
                    "score": row.score,
                    "comment": row.comment,
                    "served_by": row.served_by,
                    "agent_id": row.agent_id,
                    "customer_number": row.customer_number,
                    "channel": row.channel,
                }
                for row in rows
            ]

    def _text(
        self, conversation_id: str, channel: str, kind: str, text: str, customer_number: str | None
    ) -> None:
        cleaned = mask((text or "").strip())[:MAX_TEXT]
        if not cleaned:
            raise ValueError("empty feedback")
        attribution = self.attribution(conversation_id)
        with self._sessions() as session, session.begin():
            session.add(
                self._row(
                    conversation_id, channel, kind, attribution, customer_number, comment=cleaned
                )
            )

    def _row(
        self,
        conversation_id: str,
        channel: str,
        kind: str,
        attribution: Attribution,
        customer_number: str | None,
        **values: Any,
    ) -> Feedback:
        return Feedback(
            conversation_id=conversation_id[:255],
            channel=(channel or "unknown")[:20],
            kind=kind,
            customer_number=customer_number,
            served_by=attribution.served_by,
            agent_id=attribution.agent_id,
            created_at=as_naive_utc(self._clock()),
            **values,
        )
