"""The numbers a team lead checks, computed from the conversation rows.

Definitions (docs/analytics.md):

- *served without a human*: the conversation was not escalated (no request
  for a human, no hand-over by a journey's rule) and did not end in a
  fallback (its last customer message was understood);
- *came back*: the same customer (the verified customer number, else the
  same sender id) started another conversation within 24 hours after this
  one ended, about one of the same topics (journeys);
- *contained*: served without a human and did not come back.

Rates are shares of the conversations of the period: ``escalation_rate``
of conversations escalated, ``fallback_rate`` of conversations with at
least one fallback. CSAT is the mean of the ratings given in the period.
Days are calendar days in Europe/Berlin.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, Protocol

from bot.clock import NETWORK_TIMEZONE

COME_BACK_WINDOW = timedelta(hours=24)


class Row(Protocol):
    """The fields of a conversation row the summary reads."""

    conversation_id: str
    subject: str | None
    started_at: datetime
    ended_at: datetime
    topics: list[str]
    journeys_started: list[str]
    journeys_completed: list[str]
    fallbacks: int
    ended_in_fallback: bool
    escalated: bool
    escalation_reason: str | None
    wait_seconds: float | None
    handle_seconds: float | None


@dataclass(frozen=True)
class Period:
    """Calendar days ``first`` to ``last`` (inclusive) in Europe/Berlin."""

    first: date
    last: date

    def bounds(self) -> tuple[datetime, datetime]:
        """Return [start, end) as naive UTC."""
        return _utc(self.first), _utc(self.last + timedelta(days=1))

    def days(self) -> list[date]:
        """Return every day of the period."""
        return [self.first + timedelta(days=n) for n in range((self.last - self.first).days + 1)]


def day_of(moment: datetime) -> date:
    """Return the Berlin calendar day of a naive UTC moment."""
    return moment.replace(tzinfo=timezone.utc).astimezone(NETWORK_TIMEZONE).date()


def served_without_human(row: Row) -> bool:
    """Tell whether no human was involved and the conversation did not end misunderstood."""
    return not row.escalated and not row.ended_in_fallback


def came_back(row: Row, later: Sequence[Row]) -> bool:
    """Tell whether the same customer returned with one of the same topics within 24 hours."""
    if not row.subject or not row.topics:
        return False
    topics = set(row.topics)
    return any(
        other.conversation_id != row.conversation_id
        and other.subject == row.subject
        and row.started_at < other.started_at <= row.ended_at + COME_BACK_WINDOW
        and topics & set(other.topics)
        for other in later
    )


def contained(row: Row, later: Sequence[Row]) -> bool:
    """Tell whether the conversation was contained (see the module docstring)."""
    return served_without_human(row) and not came_back(row, later)


def summarize(
    rows: Sequence[Row], ratings: Sequence[tuple[datetime, int]], later: Sequence[Row]
) -> dict[str, Any]:
    """Return the summary of ``rows``; ``later`` holds every row the 24-hour rule may need."""
    total = len(rows)
    contained_count = sum(contained(row, later) for row in rows)
    escalated = [row for row in rows if row.escalated]
    journeys: dict[str, dict[str, int]] = {}
    for row in rows:
        for journey in row.journeys_started:
            journeys.setdefault(journey, {"started": 0, "completed": 0})["started"] += 1
        for journey in row.journeys_completed:
            journeys.setdefault(journey, {"started": 0, "completed": 0})["completed"] += 1
    scores = [score for _, score in ratings]
    waits = [row.wait_seconds for row in escalated if row.wait_seconds is not None]
    handles = [row.handle_seconds for row in escalated if row.handle_seconds is not None]
    return {
        "conversations": total,
        "contained": contained_count,
        "containment_rate": _rate(contained_count, total),
        "escalated": len(escalated),
        "escalation_rate": _rate(len(escalated), total),
        "fallback_rate": _rate(sum(row.fallbacks > 0 for row in rows), total),
        "csat_average": round(statistics.fmean(scores), 2) if scores else None,
        "csat_count": len(scores),
        "escalations_by_reason": dict(
            sorted(Counter(row.escalation_reason or "unknown" for row in escalated).items())
        ),
        "journeys": dict(sorted(journeys.items())),
        "median_wait_seconds": _median(waits),
        "median_handle_seconds": _median(handles),
    }


def summarize_by_day(
    period: Period,
    rows: Sequence[Row],
    ratings: Sequence[tuple[datetime, int]],
    later: Sequence[Row],
) -> list[dict[str, Any]]:
    """Return one summary per day of the period (days without conversations included)."""
    by_day: dict[date, list[Row]] = {day: [] for day in period.days()}
    for row in rows:
        by_day.setdefault(day_of(row.started_at), []).append(row)
    scores: dict[date, list[tuple[datetime, int]]] = {day: [] for day in by_day}
    for rating in ratings:
        scores.setdefault(day_of(rating[0]), []).append(rating)
    return [
        {"date": day.isoformat(), **summarize(day_rows, scores.get(day, []), later)}
        for day, day_rows in sorted(by_day.items())
        if period.first <= day <= period.last
    ]


def _utc(day: date) -> datetime:
    local = datetime.combine(day, time(0), NETWORK_TIMEZONE)
    return local.astimezone(timezone.utc).replace(tzinfo=None)


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None
