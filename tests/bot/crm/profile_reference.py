"""The customer profile as the CRM built it before issue #14: the oracle of the profile tests.

A plain ORM reading, one query per part and the relationships loaded as the
models declare them; kept here unchanged so that a faster ``get_profile``
can be checked against it, field by field and byte by byte.
"""

from __future__ import annotations

import json

from fastapi.encoders import jsonable_encoder
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.crm import models, schemas
from bot.crm.identifiers import normalize_customer_number
from bot.crm.service import mapping

RECENT_INTERACTIONS = 20


def reference_profile(session: Session, customer_number: str) -> schemas.CustomerProfile:
    """Return the profile the way the CRM built it before (the customer must exist)."""
    number = normalize_customer_number(customer_number)
    customer = session.execute(
        select(models.Customer).where(models.Customer.customer_number == number)
    ).scalar_one()
    vehicles = customer.vehicles
    by_vin = {vehicle.vin: vehicle for vehicle in vehicles}
    recalls = []
    if by_vin:
        rows = session.execute(
            select(models.RecallVehicle)
            .where(models.RecallVehicle.vin.in_(by_vin))
            .order_by(models.RecallVehicle.id)
        ).scalars()
        recalls = [mapping.recall_notice(row.campaign, row.vin, by_vin[row.vin]) for row in rows]

    def of_customer(model: type, *order: object) -> list:
        return list(
            session.execute(
                select(model).where(model.customer_id == customer.id).order_by(*order)
            ).scalars()
        )

    return schemas.CustomerProfile(
        customer=mapping.customer(customer),
        preferred_workshop=(
            mapping.workshop(customer.preferred_workshop) if customer.preferred_workshop else None
        ),
        vehicles=[mapping.vehicle(vehicle) for vehicle in vehicles],
        orders=[mapping.order(r) for r in of_customer(models.Order, models.Order.id.desc())],
        invoices=[
            mapping.invoice(r)
            for r in of_customer(
                models.Invoice, models.Invoice.issued_on.desc(), models.Invoice.id.desc()
            )
        ],
        contracts=[
            mapping.contract(r)
            for r in of_customer(models.Contract, models.Contract.start_date.desc())
        ],
        appointments=[
            mapping.appointment(r)
            for r in of_customer(models.Appointment, models.Appointment.starts_at.desc())
        ],
        cases=[mapping.case(r) for r in of_customer(models.Case, models.Case.opened_at.desc())],
        recalls=recalls,
        recent_interactions=[
            mapping.interaction(row)
            for row in session.execute(
                select(models.Interaction)
                .where(models.Interaction.customer_id == customer.id)
                .order_by(models.Interaction.occurred_at.desc(), models.Interaction.id.desc())
                .limit(RECENT_INTERACTIONS)
            ).scalars()
        ],
    )


def reference_json(profile: schemas.CustomerProfile) -> bytes:
    """Return the body FastAPI sent for a profile (``response_model``, then JSONResponse)."""
    return json.dumps(
        jsonable_encoder(profile),
        ensure_ascii=False,
        allow_nan=False,
        indent=None,
        separators=(",", ":"),
    ).encode("utf-8")
