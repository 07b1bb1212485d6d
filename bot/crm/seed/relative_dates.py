"""Demo dates written relative to the day the demo data is loaded.

The demo customers describe a current situation: a parcel expected in three
days, an inspection next week, an invoice overdue for six weeks. Written as
fixed dates they go stale within days, so the seed file writes them as
expressions that the seed resolves against the day of loading:

- ``today``, ``today+3d``, ``today-18d``: that many days after / before it;
- ``workday(today+9d)``: the first Monday to Friday on or after that day;
- a moment adds a time of day: ``workday(today+9d) 09:00`` or ``today 08:00``.

Plain ISO dates (a customer since 2004, a purchase years ago) stay as written.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Any

_MOMENT = re.compile(
    r"(?P<workday>workday\(\s*)?today(?:\s*(?P<sign>[+-])\s*(?P<days>\d{1,4})d)?"
    r"(?(workday)\s*\))(?:[ T](?P<time>\d{2}:\d{2}))?"
)
_SATURDAY = 5


class RelativeDateError(ValueError):
    """A relative date expression that cannot be read."""


def is_relative(text: str) -> bool:
    """Return whether ``text`` is a relative date or moment expression."""
    return _MOMENT.fullmatch(text.strip()) is not None


def resolve_date(expression: str, today: date) -> date:
    """Return the day that ``expression`` (``today+3d``, ``workday(...)``) names."""
    match = _MOMENT.fullmatch(expression.strip())
    if match is None or match["time"] is not None:
        raise RelativeDateError(f"not a relative date: {expression!r}")
    return _resolve(match, today)


def resolve_moment(expression: str, today: date) -> date | datetime:
    """Return the day, or the moment if a time of day follows, that ``expression`` names."""
    match = _MOMENT.fullmatch(expression.strip())
    if match is None:
        raise RelativeDateError(f"not a relative date: {expression!r}")
    day = _resolve(match, today)
    if match["time"] is None:
        return day
    try:
        return datetime.combine(day, time.fromisoformat(match["time"]))
    except ValueError as error:
        raise RelativeDateError(f"not a time of day in {expression!r}") from error


def resolve_tree(tree: Any, today: date) -> Any:
    """Return a copy of a parsed YAML tree with every relative expression resolved.

    Dates become ISO strings (``2026-12-07``, ``2026-12-15T09:00``), exactly
    as the file would have written them by hand, so the file's own validation
    reads them unchanged.
    """
    if isinstance(tree, dict):
        return {key: resolve_tree(value, today) for key, value in tree.items()}
    if isinstance(tree, list):
        return [resolve_tree(value, today) for value in tree]
    if isinstance(tree, str) and tree.strip().startswith(("today", "workday(")):
        resolved = resolve_moment(tree, today)
        if isinstance(resolved, datetime):
            return resolved.isoformat(timespec="minutes")
        return resolved.isoformat()
    return tree


def first_workday(day: date) -> date:
    """Return ``day`` if it is Monday to Friday, else the Monday after it."""
    while day.weekday() >= _SATURDAY:
        day += timedelta(days=1)
    return day


def _resolve(match: re.Match[str], today: date) -> date:
    days = int(match["days"] or 0)
    day = today + timedelta(days=-days if match["sign"] == "-" else days)
    return first_workday(day) if match["workday"] is not None else day
