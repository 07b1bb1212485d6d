"""Dealers and workshops: where the customer is looking, and how a location is shown."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.crm.schemas import Workshop

_POSTAL_CODE = re.compile(r"(?<!\d)(?:(?:D|DE|A|AT|CH)\s?-\s?)?(\d{4,5})(?!\d)", re.IGNORECASE)
_CITY_LEAD_IN = re.compile(
    r"^.*?\b(?:in|bei|nähe von|naehe von|um|aus|für|fuer)\s+(?:der\s+nähe\s+von\s+)?", re.IGNORECASE
)
_NOT_A_PLACE = re.compile(
    r"\d|\?|werkstatt|händler|haendler|autohaus|öffnungs|\bwo\b|nähe|naehe|\bder\b|\bdie\b|meiner",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Place:
    """Where to look: a postal code or a city name."""

    postal_code: str | None = None
    city: str | None = None

    @property
    def label(self) -> str:
        """The place as the customer named it."""
        return self.postal_code or self.city or ""


def read_place(
    text: str | None, *, city: str | None = None, postal_code: str | None = None
) -> Place | None:
    """Return the place from entities, else a postal code in the text, else a short city answer.

    Args:
        text: The customer's message.
        city: A ``city`` entity, if the NLU found one.
        postal_code: A ``postal_code`` entity, if the NLU found one.

    """
    if postal_code:
        found = _POSTAL_CODE.search(postal_code)
        if found:
            return Place(postal_code=found.group(1))
    if city:
        return Place(city=city.strip())
    said = (text or "").strip()
    found = _POSTAL_CODE.search(said)
    if found:
        return Place(postal_code=found.group(1))
    name = _CITY_LEAD_IN.sub("", said).strip(" .!?,")
    if name and len(name.split()) <= 3 and not _NOT_A_PLACE.search(name):
        return Place(city=name)
    return None


def workshop_values(workshop: Workshop) -> dict[str, str]:
    """Return the response values of one workshop (name, address, phone, hours)."""
    prefix = "" if workshop.country.value == "DE" else f"{workshop.country.value}-"
    return {
        "workshop_name": workshop.name,
        "workshop_address": f"{workshop.street}, {prefix}{workshop.postal_code} {workshop.city}",
        "workshop_phone": workshop.phone,
        "workshop_hours": workshop.hours_display,
    }
