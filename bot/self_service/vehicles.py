"""Which of the customer's vehicles a message means (VIN, plate or model)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.crm.schemas import Vehicle
from bot.personalization import vehicle_label
from bot.self_service.replies import Button

NO_VEHICLE = "none"
"""Slot value when the concern is about no vehicle of the customer's."""


def _plain(text: str) -> str:
    return re.sub(r"[^a-z0-9äöü]", "", text.lower())


def match_vehicle(
    vehicles: Sequence[Vehicle], *, vin: str | None = None, plate: str | None = None, text: str = ""
) -> Vehicle | None:
    """Return the customer's vehicle named by VIN, plate or model (only if unambiguous)."""
    if vin:
        found = [v for v in vehicles if v.vin == vin.strip().upper()]
        if found:
            return found[0]
    said = _plain(f"{plate or ''} {text}")
    if not said:
        return None
    by_plate = [v for v in vehicles if v.plate and _plain(v.plate) in said]
    if len(by_plate) == 1:
        return by_plate[0]
    by_model = [v for v in vehicles if _plain(v.model) in said or said in _plain(v.model)]
    return by_model[0] if len(by_model) == 1 else None


def vehicle_buttons(vehicles: Sequence[Vehicle]) -> tuple[Button, ...]:
    """Return one button per vehicle (payload ``/inform{"vin": ...}``)."""
    return tuple(Button(vehicle_label(v), "inform", {"vin": v.vin}) for v in vehicles)


def sole_vehicle(vehicles: Sequence[Vehicle]) -> str | None:
    """Return the vehicle answer that needs no question: the only VIN, or :data:`NO_VEHICLE`.

    None when the customer has several vehicles (the form asks which).
    """
    if len(vehicles) > 1:
        return None
    return vehicles[0].vin if vehicles else NO_VEHICLE


def vehicle_note(vehicle: Vehicle | None, missing: str) -> str:
    """Return the vehicle line of a case: ``Aurora Touring, M-AS 2004 (FIN ...)`` or ``missing``."""
    if vehicle is None:
        return missing
    return f"{vehicle_label(vehicle)} (FIN {vehicle.vin})"
