"""The one clock of the product: the current time, and today where the customers are.

Code that needs "now" or "today" takes a :data:`Clock` (tests inject a fixed
one) and defaults to :func:`system_clock`; nothing else reads the wall clock
for dates, so the whole product can be moved in time by one argument, or by
``faketime`` for a whole process.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

Clock = Callable[[], datetime]
"""Returns the current time, timezone-aware."""

NETWORK_TIMEZONE = ZoneInfo("Europe/Berlin")
"""Wall-clock time of every workshop and customer (DE, AT and CH share it)."""


def system_clock() -> datetime:
    """Return the current time in UTC."""
    return datetime.now(timezone.utc)


def network_today(clock: Clock = system_clock) -> date:
    """Return today's date where the workshops and customers are."""
    return clock().astimezone(NETWORK_TIMEZONE).date()
