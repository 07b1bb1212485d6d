"""The demo customers' dates as a test CRM holds them, computed by the seed's own rule.

The seed resolves the demo file's relative dates ("today+3d",
"workday(today+9d)") against the day it loads the data and records that day
in ``seed_anchors``. End-to-end tests read that day back from the database
and compute what the assistant must say from it, so they pass on any day,
also when the suite runs across midnight.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select

from bot.crm import models
from bot.crm.db import create_crm_engine
from bot.crm.seed.relative_dates import first_workday, resolve_date
from bot.formatting import format_date


@dataclass(frozen=True)
class DemoCalendar:
    """The day the demo data was loaded, and the dates the demo file resolves to on it."""

    today: date

    @classmethod
    def of_database(cls, database: Path) -> DemoCalendar:
        """Read the day the demo customers in this SQLite CRM are relative to."""
        engine = create_crm_engine(f"sqlite:///{database}")
        try:
            with engine.connect() as connection:
                day = connection.execute(
                    select(models.SeedAnchor.day).where(models.SeedAnchor.name == "demo")
                ).scalar_one()
        finally:
            engine.dispose()
        return cls(day)

    def day(self, expression: str) -> date:
        """The day a demo-file expression names, e.g. ``today+3d``."""
        return resolve_date(expression, self.today)

    def shown(self, expression: str) -> str:
        """That day as the assistant writes it: ``27.11.2026``."""
        return format_date(self.day(expression))

    def years_since(self, since: date) -> int:
        """Whole years from ``since`` to the demo's today."""
        years = self.today.year - since.year
        return years - 1 if (self.today.month, self.today.day) < (since.month, since.day) else years

    def workdays_from(self, days: int, count: int) -> list[date]:
        """``count`` successive Monday-to-Friday days from ``today+<days>d`` on."""
        found: list[date] = []
        day = first_workday(self.today + timedelta(days=days))
        while len(found) < count:
            found.append(day)
            day = first_workday(day + timedelta(days=1))
        return found
