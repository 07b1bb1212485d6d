"""Public holidays of the service team and of the regions where the workshops are.

The team is off on the public holidays of its home region
(``ESCALATION_HOLIDAY_REGION``, default ``DE-BE``), and a verified customer's
workshop is off on those of its own region (``ESCALATION_WORKSHOP_REGIONS``,
``code:REGION`` pairs): on such a day a customer gets a ticket with a
callback after the holiday, not a queue nobody works. Regions are ISO 3166
codes as the ``holidays`` package knows them: ``DE-BY``, ``AT-9``, ``CH-ZH``
or a whole country (``AT``).
"""

from __future__ import annotations

import threading
from datetime import date
from typing import Any

import holidays

DEFAULT_HOME_REGION = "DE-BE"
DEFAULT_WORKSHOP_REGIONS = "muenchen-mitte:DE-BY,koeln:DE-NW,wien:AT-9,zuerich:CH-ZH,berlin:DE-BE"
"""The demo's workshops (see bot/crm/seed_data/demo_customers.yml)."""


class HolidayError(ValueError):
    """A holiday region cannot be read."""


class HolidayCalendar:
    """Public holidays of the team's home region and of each workshop's region.

    Args:
        home: The team's region, or None for no home holidays.
        workshops: Workshop code -> region.

    Raises:
        HolidayError: A region is unknown to the ``holidays`` package.

    """

    def __init__(self, home: str | None, workshops: dict[str, str] | None = None) -> None:
        self._lock = threading.Lock()
        self._home = _calendar(home) if home else None
        self._workshops = {code: _calendar(region) for code, region in (workshops or {}).items()}

    @classmethod
    def parse(cls, home: str, workshops: str) -> HolidayCalendar:
        """Read ``"DE-BE"`` and ``"muenchen-mitte:DE-BY,wien:AT-9"`` (``"none"``: no home).

        Raises:
            HolidayError: A part is malformed or a region unknown.

        """
        pairs: dict[str, str] = {}
        for part in filter(None, (p.strip() for p in workshops.split(","))):
            code, _, region = part.partition(":")
            if not code.strip() or not region.strip():
                raise HolidayError(f"expected workshop:REGION, got {part!r}")
            pairs[code.strip()] = region.strip()
        home_region = home.strip()
        return cls(None if home_region.lower() in ("", "none") else home_region, pairs)

    def holiday(self, day: date, workshop: str | None = None) -> str | None:
        """Return the name of the public holiday that closes ``day`` (None: a working day)."""
        with self._lock:  # the package fills its years lazily
            for calendar in (self._home, self._workshops.get(workshop or "")):
                if calendar is not None and day in calendar:
                    return str(calendar.get(day))
        return None


def _calendar(region: str) -> Any:
    country, _, subdivision = region.strip().upper().partition("-")
    try:
        return holidays.country_holidays(country, subdiv=subdivision or None, language="de")
    except (NotImplementedError, KeyError, ValueError) as error:
        raise HolidayError(f"unknown holiday region {region!r}") from error
