"""Read German dates and times as customers type them ("nächsten Dienstag vormittag").

:func:`parse_when` turns a message into a :class:`When`: the days it allows
and the time of day (an exact time, or a window such as "vormittags"),
relative to today in the customers' time zone. It understands

- relative days: heute, morgen, übermorgen, in 3 Tagen, diese/nächste Woche;
- weekdays: (am) Dienstag, nächsten/kommenden Dienstag, übernächsten Dienstag
  (the next such day after today);
- dates: 4.12., 04.12.2026, 4.12.26, 4. Dezember (2026), 2026-12-04 (a date
  without year that has passed this year means next year);
- times: um 10, 10 Uhr, 10:30, 10.30 Uhr, 14h, halb 10; parts of the day:
  früh/morgens, vormittags, mittags, nachmittags, abends.

Bare small hours without minutes ("um 2") mean the afternoon: workshops are
not open at 2 at night.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

WEEKDAYS = {
    "montag": 0,
    "dienstag": 1,
    "mittwoch": 2,
    "donnerstag": 3,
    "freitag": 4,
    "samstag": 5,
    "sonnabend": 5,
    "sonntag": 6,
}
MONTHS = {
    "januar": 1,
    "jan": 1,
    "jänner": 1,
    "jaenner": 1,
    "februar": 2,
    "feb": 2,
    "märz": 3,
    "maerz": 3,
    "mär": 3,
    "april": 4,
    "apr": 4,
    "mai": 5,
    "juni": 6,
    "jun": 6,
    "juli": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "oktober": 10,
    "okt": 10,
    "november": 11,
    "nov": 11,
    "dezember": 12,
    "dez": 12,
}
PARTS_OF_DAY: dict[str, tuple[time, time]] = {
    "früh": (time(6), time(10)),
    "morgens": (time(6), time(10)),
    "vormittag": (time(6), time(12)),
    "mittag": (time(11), time(14)),
    "nachmittag": (time(12), time(18)),
    "abend": (time(17), time(22)),
}
"""Windows (start inclusive, end exclusive) for the parts of the day."""

_WEEKDAY = "|".join(WEEKDAYS)
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})(?:[t ](\d{1,2}):(\d{2}))?\b")
_NUMERIC_DATE = re.compile(
    r"\b(\d{1,2})\.\s?(\d{1,2})\.(?:\s?(\d{4}|\d{2})\b(?!\s*(?:uhr|h\b|:|\.\d)))?"
)
_AM_DATE = re.compile(r"\bam\s+(\d{1,2})\.(\d{1,2})\b(?![.:]\d)")
_NAMED_DATE = re.compile(rf"\b(\d{{1,2}})\.?\s*({_MONTH})\.?(?:\s+(\d{{4}}))?\b")
_RELATIVE_DAY = re.compile(r"\b(übermorgen|uebermorgen|heute|morgen)\b(?!s)")
_IN_DAYS = re.compile(r"\bin\s+(\d{1,2}|einem|zwei|drei|vier|fünf)\s+tag(?:en)?\b")
_WEEK = re.compile(r"\b(diese|dieser|nächste|nächster|kommende|kommender|übernächste)\s+woche\b")
_WEEKDAY_NAMED = re.compile(
    rf"\b(?:(übernächsten|übernächster)\s+)?(?:nächsten|nächster|kommenden|kommender|am\s+)?"
    rf"\s*({_WEEKDAY})s?\b"
)
_CLOCK = re.compile(r"\b(\d{1,2})[:.](\d{2})\s*(?:uhr|h)?\b")
_HOUR = re.compile(r"(?:\bum\s+(\d{1,2})\b(?!\s*\.\d)|\b(\d{1,2})\s*(?:uhr|h)\b)")
_HALF = re.compile(r"\bhalb\s+(\d{1,2})\b")
_PART = re.compile(r"\b(früh|morgens|vormittags?|mittags?|nachmittags?|abends?|morgen\s+früh)\b")
_NUMBER_WORDS = {"einem": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5}
_EARLIEST_OPEN_HOUR = 7


@dataclass(frozen=True)
class When:
    """What a customer said about an appointment time.

    Attributes:
        first_day: The first day that fits (None: any day from today).
        last_day: The last day that fits (inclusive; None: open-ended).
        at: An exact clock time, if one was said.
        window: A part of the day (start inclusive, end exclusive), if one was said.

    """

    first_day: date | None = None
    last_day: date | None = None
    at: time | None = None
    window: tuple[time, time] | None = None

    @property
    def empty(self) -> bool:
        """True when the text said nothing about a day or a time."""
        return self.first_day is None and self.at is None and self.window is None

    @property
    def exact(self) -> datetime | None:
        """The exact moment when both one day and a clock time were said."""
        if self.first_day is not None and self.first_day == self.last_day and self.at:
            return datetime.combine(self.first_day, self.at)
        return None

    def fits(self, moment: datetime) -> bool:
        """Tell whether a slot starting at ``moment`` matches what was said."""
        day, clock = moment.date(), moment.time()
        if self.first_day is not None and day < self.first_day:
            return False
        if self.last_day is not None and day > self.last_day:
            return False
        if self.at is not None and clock != self.at:
            return False
        return not (self.window is not None and not self.window[0] <= clock < self.window[1])

    def to_text(self) -> str:
        """Serialise for a slot value (see :func:`when_from_text`)."""
        parts = [
            self.first_day.isoformat() if self.first_day else "",
            self.last_day.isoformat() if self.last_day else "",
            self.at.strftime("%H:%M") if self.at else "",
            f"{self.window[0]:%H:%M}-{self.window[1]:%H:%M}" if self.window else "",
        ]
        return "|".join(parts)


def with_day_kept(when: When, current: datetime | None, wished: When | None) -> When:
    """Keep the day chosen (``current``) or wished before for a time alone ("lieber um 11").

    A wish for several days ("nächste Woche") gives no day to keep unless one
    was chosen.
    """
    if when.first_day is not None or when.at is None:
        return when
    day = current.date() if current else (wished.first_day if wished else None)
    if day is None or (wished and wished.first_day != wished.last_day and not current):
        return when
    return When(first_day=day, last_day=day, at=when.at)


def when_from_text(value: str | None) -> When | None:
    """Read a :meth:`When.to_text` value back; None for anything else."""
    if not value or value.count("|") != 3:
        return None
    first, last, at, window = value.split("|")
    try:
        span = None
        if window:
            start, end = window.split("-")
            span = (time.fromisoformat(start), time.fromisoformat(end))
        return When(
            first_day=date.fromisoformat(first) if first else None,
            last_day=date.fromisoformat(last) if last else None,
            at=time.fromisoformat(at) if at else None,
            window=span,
        )
    except ValueError:
        return None


def parse_when(text: str, today: date) -> When:
    """Read the day and time of day from a German message.

    Args:
        text: What the customer wrote.
        today: Today in the customers' time zone.

    Returns:
        What was understood; :attr:`When.empty` when nothing was.

    """
    rest = _normalized(text)
    first = last = None
    at: time | None = None

    iso = _ISO_DATE.search(rest)
    if iso:
        day = _safe_date(int(iso[1]), int(iso[2]), int(iso[3]))
        if day:
            first = last = day
            if iso[4]:
                at = _clock(int(iso[4]), int(iso[5]))
        rest = _cut(rest, iso)
    days, rest = _days(rest, today) if first is None else ((first, last), rest)
    first, last = days
    part = _PART.search(rest)
    window = None
    if part:
        word = part[1]
        if word.startswith("morgen "):  # "morgen früh": tomorrow, early
            tomorrow = today + timedelta(days=1)
            first, last = (first, last) if first else (tomorrow, tomorrow)
            word = "früh"
        window = _window(word)
        rest = _cut(rest, part)
    if at is None:
        at, rest = _time(rest)
    return When(first_day=first, last_day=last, at=at, window=None if at else window)


def _days(rest: str, today: date) -> tuple[tuple[date | None, date | None], str]:
    """Find the day or days in ``rest``; return them and the text without them."""
    match = _NAMED_DATE.search(rest)
    if match:
        day = _in_future(int(match[1]), MONTHS[match[2]], match[3], today)
        return (day, day), _cut(rest, match)
    for pattern in (_NUMERIC_DATE, _AM_DATE):
        match = pattern.search(rest)
        if match and 1 <= int(match[2]) <= 12:
            year = match[3] if pattern is _NUMERIC_DATE else None
            day = _in_future(int(match[1]), int(match[2]), year, today)
            return (day, day), _cut(rest, match)
    match = _RELATIVE_DAY.search(rest)
    if match and not re.search(r"\bmorgen\s+früh\b", rest[match.start() :][:14]):
        offset = {"heute": 0, "morgen": 1}.get(match[1], 2)
        day = today + timedelta(days=offset)
        return (day, day), _cut(rest, match)
    match = _IN_DAYS.search(rest)
    if match:
        count = int(match[1]) if match[1].isdigit() else _NUMBER_WORDS[match[1]]
        day = today + timedelta(days=count)
        return (day, day), _cut(rest, match)
    match = _WEEKDAY_NAMED.search(rest)
    if match:
        ahead = (WEEKDAYS[match[2]] - today.weekday()) % 7 or 7
        if match[1]:
            ahead += 7
        day = today + timedelta(days=ahead)
        return (day, day), _cut(rest, match)
    match = _WEEK.search(rest)
    if match:
        monday = today - timedelta(days=today.weekday())
        if match[1].startswith("übernächst"):
            monday += timedelta(weeks=2)
        elif not match[1].startswith("dies"):
            monday += timedelta(weeks=1)
        return (max(monday, today), monday + timedelta(days=6)), _cut(rest, match)
    return (None, None), rest


_SPELLINGS = {
    "naechst": "nächst",
    "uebernächst": "übernächst",
    "uebermorgen": "übermorgen",
    "frueh": "früh",
    "maerz": "märz",
    "jaenner": "jänner",
}


def _normalized(text: str) -> str:
    """Lower case, umlauts restored in the words we look for, padded with spaces."""
    rest = " " + text.lower().replace("uhr.", "uhr") + " "
    for typed, meant in _SPELLINGS.items():
        rest = rest.replace(typed, meant)
    return rest


def _time(rest: str) -> tuple[time | None, str]:
    """Find a clock time in ``rest``."""
    match = _CLOCK.search(rest)
    if match:
        return _clock(int(match[1]), int(match[2])), _cut(rest, match)
    match = _HALF.search(rest)
    if match:
        hour = _afternoon(int(match[1]) - 1)
        return _clock(hour, 30), _cut(rest, match)
    match = _HOUR.search(rest)
    if match:
        hour = _afternoon(int(match[1] or match[2]))
        return _clock(hour, 0), _cut(rest, match)
    return None, rest


def _afternoon(hour: int) -> int:
    """Read a bare small hour ("um 2") as the afternoon."""
    return hour + 12 if 1 <= hour < _EARLIEST_OPEN_HOUR else hour


def _clock(hour: int, minute: int) -> time | None:
    return time(hour, minute) if 0 <= hour <= 23 and 0 <= minute <= 59 else None


def _window(word: str) -> tuple[time, time] | None:
    word = word.replace("frueh", "früh")
    for key, span in PARTS_OF_DAY.items():
        if word.startswith(key):
            return span
    return None


def _in_future(day: int, month: int, year: str | None, today: date) -> date | None:
    """Return the date with that day and month; without a year the next one from today."""
    if year:
        number = int(year)
        return _safe_date(number + 2000 if number < 100 else number, month, day)
    candidate = _safe_date(today.year, month, day)
    if candidate is not None and candidate < today:
        candidate = _safe_date(today.year + 1, month, day)
    return candidate


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _cut(text: str, match: re.Match[str]) -> str:
    """Remove a match so its digits are not read a second time."""
    return text[: match.start()] + " " + text[match.end() :]
