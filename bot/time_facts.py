"""Whether a sentence about time is true at a given moment.

The assistant speaks about dates in many answers: an appointment, a car to
pick up, a due invoice, a contract's end, a delivery date. The same record
needs different words on different days ("kommt voraussichtlich am ..."
becomes "sollte schon angekommen sein"), so every such decision is made
here, on a moment passed in (:func:`bot.clock.network_now` /
:func:`bot.clock.network_today` of an injected clock), never on the wall
clock: tests fix the moment, and the answers stay true on any day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from bot.crm.enums import InvoiceStatus
from bot.crm.schemas import Invoice, Workshop
from bot.formatting import format_time, format_weekday


def has_passed(day: date, today: date) -> bool:
    """Tell whether ``day`` lies before ``today`` (a date of today has not passed yet)."""
    return day < today


def is_ahead(starts_at: datetime, now: datetime) -> bool:
    """Tell whether something starting at ``starts_at`` (local time) is still to come."""
    return starts_at > now


def invoice_is_overdue(invoice: Invoice, today: date) -> bool:
    """Tell whether an invoice is overdue: marked so, or open past its due date."""
    return invoice.status is InvoiceStatus.OVERDUE or (
        invoice.status is InvoiceStatus.OPEN and has_passed(invoice.due_on, today)
    )


@dataclass(frozen=True)
class Pickup:
    """When a finished car can be picked up next: a day and its opening hours.

    Attributes:
        day: The day.
        opens: When the workshop opens that day.
        closes: When it closes.
        today: Whether the day is today (the workshop is open or still opens today).

    """

    day: date
    opens: time
    closes: time
    today: bool

    @property
    def hours(self) -> str:
        """The opening hours of the day as customers read them: ``07:30–18:00``."""
        return f"{format_time(self.opens)}–{format_time(self.closes)}"

    @property
    def weekday(self) -> str:
        """The day's German name: ``Montag``."""
        return format_weekday(self.day)


def next_pickup(workshop: Workshop, now: datetime) -> Pickup | None:
    """Return the next opening hours in which a car can be picked up at ``workshop``.

    Args:
        workshop: The workshop with its opening hours (from the CRM).
        now: The workshop's local time.

    Returns:
        Today's hours while the workshop is open or still opens today;
        after closing time and on a closed day, the next day it opens (at
        most a week ahead); None for a workshop without opening hours.

    """
    for offset in range(8):
        day = now.date() + timedelta(days=offset)
        for hours in sorted(
            (h for h in workshop.opening_hours if h.weekday == day.weekday()),
            key=lambda h: h.opens,
        ):
            if offset == 0 and now.time() >= hours.closes:
                continue
            return Pickup(day, hours.opens, hours.closes, today=offset == 0)
    return None
