"""Business hours of the service team and the promises made outside them.

The schedule is written like ``"mo-fr 08:00-18:00; sa 09:00-13:00"`` (the
default; ``ESCALATION_BUSINESS_HOURS``), in the team's time zone
(``ESCALATION_TIMEZONE``, default Europe/Berlin). ``"closed"`` means never open
(useful in tests), ``"always"`` means around the clock, holidays included.
Public holidays (:mod:`bot.escalation.holiday_calendar`) close the team on
its home region's holidays and, for a customer with a known workshop, on
that workshop's regional holidays.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from bot.escalation.holiday_calendar import HolidayCalendar
from bot.formatting import format_weekday

DEFAULT_SCHEDULE = "mo-fr 08:00-18:00; sa 09:00-13:00"
DEFAULT_TIMEZONE = "Europe/Berlin"
_DAYS = ["mo", "di", "mi", "do", "fr", "sa", "so"]
_DAY_ALIASES = {"tu": "di", "we": "mi", "th": "do", "su": "so"}
_PART = re.compile(
    r"^(?P<first>[a-z]{2})(?:-(?P<last>[a-z]{2}))?\s+"
    r"(?P<opens>\d{1,2}:\d{2})-(?P<closes>\d{1,2}:\d{2})$"
)


class ScheduleError(ValueError):
    """A business-hours schedule cannot be read."""


@dataclass(frozen=True)
class BusinessHours:
    """Opening windows per weekday (0 = Monday) in one time zone.

    Attributes:
        windows: For each weekday, (opens, closes) pairs; closes may be 24:00.
        zone: The team's time zone.
        holidays: Public holidays that close the team (None: none).

    """

    windows: dict[int, tuple[tuple[time, time | None], ...]]
    zone: ZoneInfo
    holidays: HolidayCalendar | None = None

    def with_holidays(self, calendar: HolidayCalendar | None) -> BusinessHours:
        """Return these hours closed on ``calendar``'s holidays (not when open around the clock)."""
        return self if self.around_the_clock else replace(self, holidays=calendar)

    @property
    def around_the_clock(self) -> bool:
        """Tell whether the schedule is ``"always"`` (no holiday closes it)."""
        return all(spans == ((time(0), None),) for spans in self.windows.values())

    def holiday(self, day: date, workshop: str | None = None) -> str | None:
        """Return the public holiday that closes ``day`` (None: a working day)."""
        return self.holidays.holiday(day, workshop) if self.holidays else None

    @classmethod
    def parse(cls, schedule: str, zone: str = DEFAULT_TIMEZONE) -> BusinessHours:
        """Read a schedule such as ``"mo-fr 08:00-18:00; sa 09:00-13:00"``.

        Raises:
            ScheduleError: The schedule or the time zone is malformed.

        """
        try:
            tz = ZoneInfo(zone)
        except Exception as error:
            raise ScheduleError(f"unknown time zone {zone!r}") from error
        text = schedule.strip().lower()
        windows: dict[int, list[tuple[time, time | None]]] = {day: [] for day in range(7)}
        if text == "always":
            return cls({day: ((time(0), None),) for day in range(7)}, tz)
        if text not in ("", "closed"):
            for part in filter(None, (p.strip() for p in text.split(";"))):
                match = _PART.match(part)
                if not match:
                    raise ScheduleError(f"cannot read business hours {part!r}")
                first = _day(match["first"])
                last = _day(match["last"] or match["first"])
                opens, closes = _clock(match["opens"]), _clock(match["closes"])
                if opens is None:
                    raise ScheduleError(f"{part!r} opens at 24:00")
                if closes is not None and opens >= closes:
                    raise ScheduleError(f"{part!r} closes before it opens")
                for day in range(first, last + 1):
                    windows[day].append((opens, closes))
        return cls({day: tuple(sorted(spans)) for day, spans in windows.items()}, tz)

    def is_open(self, moment: datetime, workshop: str | None = None) -> bool:
        """Tell whether the team works at ``moment`` (timezone-aware) for ``workshop``'s region."""
        local = moment.astimezone(self.zone)
        if self.holiday(local.date(), workshop):
            return False
        for opens, closes in self.windows[local.weekday()]:
            if opens <= local.time() and (closes is None or local.time() < closes):
                return True
        return False

    def next_opening(self, moment: datetime, workshop: str | None = None) -> datetime | None:
        """Return the next time the team opens after ``moment`` (None: never)."""
        local = moment.astimezone(self.zone)
        for offset in range(15):  # a week, plus holidays around Christmas and Easter
            day = (local + timedelta(days=offset)).date()
            if self.holiday(day, workshop):
                continue
            for opens, _closes in self.windows[day.weekday()]:
                start = datetime.combine(day, opens, tzinfo=self.zone)
                if start > local:
                    return start
        return None

    def callback_due(
        self, moment: datetime, response_hours: float, workshop: str | None = None
    ) -> datetime:
        """Return when a ticket raised at ``moment`` is answered at the latest.

        ``response_hours`` after the next opening (or after ``moment`` while
        open); a day later when the team never opens.
        """
        if self.is_open(moment, workshop):
            start = moment.astimezone(self.zone)
        else:
            start = self.next_opening(moment, workshop) or moment.astimezone(self.zone) + timedelta(
                days=1
            )
        return (start + timedelta(hours=response_hours)).astimezone(timezone.utc)


def german_moment(moment: datetime, zone: ZoneInfo) -> str:
    """Format a time for customers, e.g. ``"Montag, 24.11.2026, 10:00 Uhr"``."""
    local = moment.astimezone(zone)
    return f"{format_weekday(local)}, {local:%d.%m.%Y, %H:%M} Uhr"


def _day(name: str) -> int:
    key = _DAY_ALIASES.get(name, name)
    if key not in _DAYS:
        raise ScheduleError(f"unknown weekday {name!r} (use mo, di, mi, do, fr, sa, so)")
    return _DAYS.index(key)


def _clock(text: str) -> time | None:
    hours, minutes = (int(part) for part in text.split(":"))
    if (hours, minutes) == (24, 0):
        return None
    if not (0 <= hours < 24 and 0 <= minutes < 60):
        raise ScheduleError(f"no time of day: {text!r}")
    return time(hours, minutes)
