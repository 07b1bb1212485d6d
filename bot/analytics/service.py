"""Summaries of a period from the analytics store, for the API and the CSV."""

from __future__ import annotations

import csv
import io
from typing import Any

from bot.analytics.store import AnalyticsStore
from bot.analytics.summary import COME_BACK_WINDOW, Period, summarize, summarize_by_day

CSV_COLUMNS = (
    "date",
    "conversations",
    "contained",
    "containment_rate",
    "escalated",
    "escalation_rate",
    "fallback_rate",
    "csat_average",
    "csat_count",
    "median_wait_seconds",
    "median_handle_seconds",
)


class AnalyticsService:
    """Answers the analytics API from the store.

    Args:
        store: The analytics tables.

    """

    def __init__(self, store: AnalyticsStore) -> None:
        self.store = store

    def summary(self, period: Period) -> dict[str, Any]:
        """Return the summary of the period."""
        rows, ratings, later = self._read(period)
        return {
            "from": period.first.isoformat(),
            "to": period.last.isoformat(),
            **summarize(rows, ratings, later),
        }

    def daily(self, period: Period) -> list[dict[str, Any]]:
        """Return the summary of each day of the period."""
        rows, ratings, later = self._read(period)
        return summarize_by_day(period, rows, ratings, later)

    def daily_csv(self, period: Period) -> str:
        """Return the per-day numbers as CSV (one header line, one line per day)."""
        out = io.StringIO()
        writer = csv.DictWriter(
            out, fieldnames=CSV_COLUMNS, extrasaction="ignore", lineterminator="\n"
        )
        writer.writeheader()
        for day in self.daily(period):
            writer.writerow({key: "" if value is None else value for key, value in day.items()})
        return out.getvalue()

    def _read(self, period: Period) -> tuple[list[Any], list[Any], list[Any]]:
        start, end = period.bounds()
        later = list(self.store.rows(start, end + COME_BACK_WINDOW + COME_BACK_WINDOW))
        rows = [row for row in later if row.started_at < end]
        return rows, self.store.ratings(start, end), later
