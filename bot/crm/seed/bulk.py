"""Bulk insertion of generated customers: few statements per table and batch."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from bot.crm import models
from bot.crm.identifiers import normalize_plate
from bot.crm.seed.population import CustomerBundle, Row


def insert_bundles(
    session: Session, bundles: list[CustomerBundle], workshop_ids: dict[str, int]
) -> None:
    """Insert customers with all their records, resolving natural keys to ids.

    Args:
        session: Session inside the caller's transaction.
        bundles: Generated customers.
        workshop_ids: Workshop id by code.

    """
    customer_rows = []
    for bundle in bundles:
        row = dict(bundle.customer)
        row["preferred_workshop_id"] = workshop_ids.get(row.pop("workshop_code"))
        customer_rows.append(row)
    customer_ids = _insert(
        session, models.Customer, customer_rows, key=models.Customer.customer_number
    )

    def owned(rows_of: Any) -> Iterable[tuple[int, Row]]:
        for bundle in bundles:
            owner = customer_ids[bundle.customer["customer_number"]]
            for row in rows_of(bundle):
                yield owner, row

    vehicle_rows = [
        {**row, "customer_id": owner, "plate_normalized": normalize_plate(row["plate"])}
        for owner, row in owned(lambda b: b.vehicles)
    ]
    vehicle_ids = _with_none(_insert(session, models.Vehicle, vehicle_rows, key=models.Vehicle.vin))

    _insert(session, models.Order, [{**r, "customer_id": o} for o, r in owned(lambda b: b.orders)])
    _insert(
        session, models.Invoice, [{**r, "customer_id": o} for o, r in owned(lambda b: b.invoices)]
    )
    contracts = [
        {
            **_without(r, "vehicle_vin"),
            "customer_id": o,
            "vehicle_id": vehicle_ids[r["vehicle_vin"]],
        }
        for o, r in owned(lambda b: b.contracts)
    ]
    _insert(session, models.Contract, contracts)
    case_rows = [{**r, "customer_id": o} for o, r in owned(lambda b: b.cases)]
    case_ids = _with_none(_insert(session, models.Case, case_rows, key=models.Case.case_number))
    appointments = [
        {
            **_without(r, "vehicle_vin", "workshop_code"),
            "customer_id": o,
            "vehicle_id": vehicle_ids[r["vehicle_vin"]],
            "workshop_id": workshop_ids[r["workshop_code"]],
        }
        for o, r in owned(lambda b: b.appointments)
    ]
    _insert(session, models.Appointment, appointments)
    interactions = [
        {**_without(r, "case_number"), "customer_id": o, "case_id": case_ids[r["case_number"]]}
        for o, r in owned(lambda b: b.interactions)
    ]
    _insert(session, models.Interaction, interactions)


def _insert(session: Session, model: Any, rows: list[Row], key: Any = None) -> dict[str, int]:
    """Insert ``rows`` with one executemany; return ids by ``key`` when asked."""
    if not rows:
        return {}
    session.execute(insert(model), rows)
    if key is None:
        return {}
    keys = [row[key.key] for row in rows]
    found = session.execute(select(key, model.id).where(key.in_(keys))).all()
    return dict(found)


def _without(row: Row, *names: str) -> Row:
    return {name: value for name, value in row.items() if name not in names}


def _with_none(ids: dict[str, int]) -> dict[str | None, int | None]:
    """Let a missing reference (None) resolve to no id."""
    resolved: dict[str | None, int | None] = {None: None}
    resolved.update(ids)
    return resolved
