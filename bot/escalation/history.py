"""The customer's past and the search over resolved escalations.

Earlier escalations are only shown for a *verified* customer, and only the
earlier escalations in which the same number was verified too: a number a
customer merely typed must never open someone else's history.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import Field
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from bot.crm.schemas.base import Command, Schema
from bot.escalation import schemas, views
from bot.escalation.models import Agent, Escalation

PREVIOUS_LIMIT = 10
"""Earlier escalations shown with an escalation (newest first)."""

MAX_PAGE_SIZE = 50


def previous_escalations(
    session: Session, row: Escalation, limit: int = PREVIOUS_LIMIT
) -> list[schemas.PreviousEscalation]:
    """Return the verified customer's escalations before ``row``, newest first."""
    if not (row.customer or {}).get("verified") or not row.customer_number:
        return []
    earlier = session.execute(
        select(Escalation)
        .where(Escalation.customer_number == row.customer_number, Escalation.id < row.id)
        .order_by(Escalation.id.desc())
        .limit(limit * 3)
    ).scalars()
    verified = [e for e in earlier if (e.customer or {}).get("verified")][:limit]
    return [
        schemas.PreviousEscalation(
            id=e.id,
            channel=e.channel,
            reason_text=e.reason_text,
            status=e.status,
            created_at=views.utc_at(e.created_at),
            resolved_at=views.utc(e.resolved_at),
            resolution=e.resolution,
            case_number=e.case_number,
            agent=views.agent_ref(e.claimed_by) if e.claimed_by else None,
            transcript=views.transcript(e),
        )
        for e in verified
    ]


class ResolvedSearch(Command):
    """Filters of the search over resolved escalations (all optional, combined with AND)."""

    customer_number: str | None = Field(None, max_length=30)
    case_number: str | None = Field(None, max_length=16)
    reason: str | None = Field(None, max_length=60, description="Code or words of the reason.")
    agent: str | None = Field(None, max_length=60, description="Username of the agent.")
    resolved_from: date | None = None
    resolved_to: date | None = None
    page: int = Field(1, ge=1, le=10_000)
    per_page: int = Field(20, ge=1, le=MAX_PAGE_SIZE)


class ResolvedPage(Schema):
    """One page of resolved escalations, newest first."""

    items: list[schemas.EscalationItem]
    total: int
    page: int
    per_page: int
    pages: int


def search_resolved(session: Session, query: ResolvedSearch, zone: ZoneInfo) -> ResolvedPage:
    """Return one page of the resolved escalations that match ``query``.

    Args:
        session: A database session.
        query: The filters and the page.
        zone: The team's time zone: the dates are days there.

    """
    conditions: list[Any] = [Escalation.status == "resolved"]
    if query.customer_number:
        conditions.append(Escalation.customer_number == query.customer_number.strip().upper())
    if query.case_number:
        conditions.append(Escalation.case_number == query.case_number.strip().upper())
    if query.reason:
        words = f"%{_escape_like(query.reason.strip().lower())}%"
        conditions.append(
            or_(
                func.lower(Escalation.reason_code).like(words, escape="\\"),
                func.lower(Escalation.reason_text).like(words, escape="\\"),
            )
        )
    if query.agent:
        conditions.append(
            Escalation.claimed_by_id.in_(
                select(Agent.id).where(func.lower(Agent.username) == query.agent.strip().lower())
            )
        )
    if query.resolved_from:
        conditions.append(Escalation.resolved_at >= _day_start(query.resolved_from, zone))
    if query.resolved_to:
        conditions.append(
            Escalation.resolved_at < _day_start(query.resolved_to + timedelta(days=1), zone)
        )
    total = int(session.execute(select(func.count(Escalation.id)).where(*conditions)).scalar_one())
    rows = session.execute(
        select(Escalation)
        .where(*conditions)
        .order_by(Escalation.resolved_at.desc(), Escalation.id.desc())
        .offset((query.page - 1) * query.per_page)
        .limit(query.per_page)
    ).scalars()
    return ResolvedPage(
        items=[views.item(row, None, None) for row in rows],
        total=total,
        page=query.page,
        per_page=query.per_page,
        pages=max(1, -(-total // query.per_page)),
    )


def _day_start(day: date, zone: ZoneInfo) -> datetime:
    """Return the start of ``day`` in ``zone`` as naive UTC (how times are stored)."""
    local = datetime.combine(day, time(), tzinfo=zone)
    return local.astimezone(timezone.utc).replace(tzinfo=None)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
