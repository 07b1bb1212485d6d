"""Throttling by failed attempts, counted in the CRM database.

The count lives in the database shared by every process and channel, not in
a conversation: a new conversation id, another channel or a restarted
server gives an attacker no fresh guesses. A subject is locked once
``max_failures`` failures fall within ``window``; the lock lasts ``lock`` from
the latest of them. While locked, nothing is checked and nothing counted, so
the lock ends on time. A success clears the subject's failures.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.crm.models import FailedAttempt


@dataclass(frozen=True)
class AttemptLimit:
    """How many failures a subject may have before it is locked, and for how long.

    Attributes:
        scope: What is counted (``verification``, ``agent_login``, ``agent_address``).
        max_failures: Failures within ``window`` that lock the subject.
        window: The period the failures are counted in.
        lock: How long the subject stays locked after the last counted failure.

    """

    scope: str
    max_failures: int
    window: timedelta
    lock: timedelta


VERIFICATION_LIMIT = AttemptLimit("verification", 5, timedelta(hours=1), timedelta(hours=1))
"""Chat verification per customer number: 5 failures in an hour lock it for an hour."""
AGENT_LOGIN_LIMIT = AttemptLimit("agent_login", 5, timedelta(minutes=15), timedelta(minutes=15))
"""Agent login per account."""
AGENT_ADDRESS_LIMIT = AttemptLimit(
    "agent_address", 20, timedelta(minutes=15), timedelta(minutes=15)
)
"""Agent login per client address (many accounts tried from one place)."""


def locked_until(
    session: Session, limit: AttemptLimit, subject: str, now: datetime
) -> datetime | None:
    """Return until when ``subject`` is locked (naive UTC), or None when it is not.

    Args:
        session: An open session.
        limit: The limit to apply.
        subject: Who is counted (canonical customer number, username, address).
        now: The current time, naive UTC.

    """
    latest = (
        session.execute(
            select(FailedAttempt.occurred_at)
            .where(
                FailedAttempt.scope == limit.scope,
                FailedAttempt.subject == subject[:100],
                FailedAttempt.occurred_at > now - limit.window - limit.lock,
            )
            .order_by(FailedAttempt.occurred_at.desc())
            .limit(limit.max_failures)
        )
        .scalars()
        .all()
    )
    if len(latest) < limit.max_failures or latest[0] - latest[-1] > limit.window:
        return None
    until: datetime = latest[0] + limit.lock
    return until if until > now else None


def record_failure(session: Session, limit: AttemptLimit, subject: str, now: datetime) -> None:
    """Count one failure of ``subject`` (and forget its failures too old to matter)."""
    session.execute(
        delete(FailedAttempt).where(
            FailedAttempt.scope == limit.scope,
            FailedAttempt.subject == subject[:100],
            FailedAttempt.occurred_at <= now - limit.window - limit.lock,
        )
    )
    session.add(FailedAttempt(scope=limit.scope, subject=subject[:100], occurred_at=now))


def clear_failures(session: Session, limit: AttemptLimit, subject: str) -> None:
    """Forget the failures of ``subject`` (after a success)."""
    session.execute(
        delete(FailedAttempt).where(
            FailedAttempt.scope == limit.scope, FailedAttempt.subject == subject[:100]
        )
    )
