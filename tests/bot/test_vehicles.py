from __future__ import annotations

from bot.crm.schemas import Vehicle
from bot.vehicles import NO_VEHICLE, match_vehicle, sole_vehicle, vehicle_label, vehicle_note


def vehicle(vin: str, model: str, plate: str | None) -> Vehicle:
    return Vehicle(
        vin=vin,
        model=model,
        plate=plate,
        first_registration=None,
        mileage_km=None,
        next_service_due=None,
    )


CARS = [
    vehicle("WNL0AUR0T2021A001", "Aurora Touring", "M-AS 2004"),
    vehicle("WNL0VEL0E2022B002", "Vela e", "M-XY 1"),
]


def test_vehicles_are_found_by_plate_vin_or_model_in_words() -> None:
    assert match_vehicle(CARS, text="Aurora Touring (M-AS 2004)") is CARS[0]
    assert match_vehicle(CARS, text="m-as 2004") is CARS[0]
    assert match_vehicle(CARS, text="WNL0VEL0E2022B002") is CARS[1]
    assert match_vehicle(CARS, text="den Vela e") is CARS[1]
    assert match_vehicle(CARS, text="Strato") is None


def test_vehicles_are_found_by_entities() -> None:
    assert match_vehicle(CARS, vin="wnl0vel0e2022b002") is CARS[1]
    assert match_vehicle(CARS, plate="M AS 2004") is CARS[0]
    assert match_vehicle(CARS, vin="WNL0XXX0X2099X999") is None


def test_an_ambiguous_model_names_no_vehicle() -> None:
    twins = [
        vehicle("WNL0AUR0T2021A001", "Aurora", None),
        vehicle("WNL0AUR0T2021A002", "Aurora", None),
    ]
    assert match_vehicle(twins, text="den Aurora") is None


def test_one_label_everywhere() -> None:
    assert vehicle_label(CARS[0]) == "Aurora Touring (M-AS 2004)"
    assert vehicle_label(vehicle("WNL0AUR0T2021A001", "Aurora Touring", None)) == "Aurora Touring"
    assert vehicle_label(None, "Reparatur Fahrwerk") == "Reparatur Fahrwerk"
    assert vehicle_note(CARS[0], "-") == "Aurora Touring (M-AS 2004), FIN WNL0AUR0T2021A001"
    assert vehicle_note(None, "keines angegeben") == "keines angegeben"


def test_only_one_vehicle_needs_no_question() -> None:
    assert sole_vehicle(CARS[:1]) == CARS[0].vin
    assert sole_vehicle([]) == NO_VEHICLE
    assert sole_vehicle(CARS) is None
