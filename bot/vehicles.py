"""The customer's vehicles in the dialogue: how one is named, and which one a message means.

One label and one matcher for every journey (appointments, cases, the
breakdown, contracts, the greeting), so a customer sees a car named the same
way everywhere: ``Aurora Touring (M-AS 2004)``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.crm.identifiers import normalize_vin
from bot.crm.schemas import Vehicle
from bot.self_service.replies import Button

NO_VEHICLE = "none"
"""Vehicle slot value when the concern is about no vehicle of the customer's."""


def vehicle_label(vehicle: Vehicle | None, fallback: str = "") -> str:
    """Return how a vehicle is named to its owner: ``Aurora Touring (M-AS 2004)``.

    Args:
        vehicle: The vehicle, or None.
        fallback: The text when there is no vehicle.

    """
    if vehicle is None:
        return fallback
    return f"{vehicle.model} ({vehicle.plate})" if vehicle.plate else vehicle.model


def _plain(text: str) -> str:
    return re.sub(r"[^a-z0-9äöü]", "", text.lower())


def match_vehicle(
    vehicles: Sequence[Vehicle], *, vin: str | None = None, plate: str | None = None, text: str = ""
) -> Vehicle | None:
    """Return the customer's vehicle named by VIN, plate or model (only if unambiguous).

    Args:
        vehicles: The customer's vehicles.
        vin: A VIN (an entity or a slot value).
        plate: A licence plate (an entity).
        text: The customer's words or a button's title ("Aurora Touring (M-AS 2004)").

    """
    wanted = normalize_vin(vin) if vin else normalize_vin(text.strip())
    if wanted:
        found = [v for v in vehicles if v.vin == wanted]
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
    """Return the vehicle line of a case: ``Aurora Touring (M-AS 2004), FIN ...`` or ``missing``."""
    if vehicle is None:
        return missing
    return f"{vehicle_label(vehicle)}, FIN {vehicle.vin}"
