"""A customer's records read as plain rows, for the profile and the record lists.

The profile is read on most turns of a known customer (issue #14), and the
ORM made it dear: an object per row in the identity map, the relationships
loaded part by part, the statements built again on every call. These
statements are built once, select only what the schemas show (the column
labels are the schema fields), join what a record refers to (workshop,
vehicle VIN, case number) and take the customer's id as a bound parameter.
Each keeps the ORDER BY (and the joins) of the ORM reading it replaced, so
records that tie come out in the same order as before.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import Select

from bot.crm import models, schemas
from bot.crm.errors import CustomerNotFound

_customers = models.Customer.__table__
_workshops = models.Workshop.__table__
_hours = models.OpeningHours.__table__
_vehicles = models.Vehicle.__table__
_orders = models.Order.__table__
_invoices = models.Invoice.__table__
_contracts = models.Contract.__table__
_appointments = models.Appointment.__table__
_cases = models.Case.__table__
_recalls = models.RecallVehicle.__table__
_campaigns = models.RecallCampaign.__table__
_interactions = models.Interaction.__table__

_CUSTOMER_ID = bindparam("customer_id")
_WORKSHOP_FIELDS = [name for name in schemas.Workshop.__fields__ if name != "opening_hours"]
_SchemaT = TypeVar("_SchemaT", bound=schemas.Schema)


def _columns(table: Any, schema: type[schemas.Schema]) -> list[Any]:
    """Return the columns of ``table`` named like the fields of ``schema``."""
    return [table.c[name] for name in schema.__fields__ if name in table.c]


# the customer, the preferred workshop and its opening hours: a row per weekday
_CUSTOMER = (
    select(
        _customers.c.id,
        *_columns(_customers, schemas.Customer),
        _workshops.c.id.label("workshop_id"),
        *[_workshops.c[name].label(f"workshop_{name}") for name in _WORKSHOP_FIELDS],
        _hours.c.weekday,
        _hours.c.opens,
        _hours.c.closes,
    )
    .select_from(
        _customers.outerjoin(
            _workshops, _workshops.c.id == _customers.c.preferred_workshop_id
        ).outerjoin(_hours, _hours.c.workshop_id == _workshops.c.id)
    )
    .where(_customers.c.customer_number == bindparam("customer_number"))
    .order_by(_hours.c.weekday)
)
_CUSTOMER_ID_OF = select(_customers.c.id).where(
    _customers.c.customer_number == bindparam("customer_number")
)
_VEHICLES = (
    select(*_columns(_vehicles, schemas.Vehicle))
    .where(_vehicles.c.customer_id == _CUSTOMER_ID)
    .order_by(_vehicles.c.id)
)
_ORDERS = (
    select(*_columns(_orders, schemas.Order))
    .where(_orders.c.customer_id == _CUSTOMER_ID)
    .order_by(_orders.c.id.desc())
)
_INVOICES = (
    select(*_columns(_invoices, schemas.Invoice))
    .where(_invoices.c.customer_id == _CUSTOMER_ID)
    .order_by(_invoices.c.issued_on.desc(), _invoices.c.id.desc())
)
_CONTRACTS = (
    select(*_columns(_contracts, schemas.Contract), _vehicles.c.vin.label("vehicle_vin"))
    .select_from(_contracts.outerjoin(_vehicles, _vehicles.c.id == _contracts.c.vehicle_id))
    .where(_contracts.c.customer_id == _CUSTOMER_ID)
    .order_by(_contracts.c.start_date.desc())
)
_APPOINTMENTS = (
    select(
        *_columns(_appointments, schemas.Appointment),
        _workshops.c.code.label("workshop_code"),
        _workshops.c.name.label("workshop_name"),
        _workshops.c.city.label("workshop_city"),
        _vehicles.c.vin.label("vehicle_vin"),
    )
    .select_from(
        _appointments.outerjoin(
            _workshops, _workshops.c.id == _appointments.c.workshop_id
        ).outerjoin(_vehicles, _vehicles.c.id == _appointments.c.vehicle_id)
    )
    .where(_appointments.c.customer_id == _CUSTOMER_ID)
    .order_by(_appointments.c.starts_at.desc())
)
_CASES = (
    select(*_columns(_cases, schemas.Case))
    .where(_cases.c.customer_id == _CUSTOMER_ID)
    .order_by(_cases.c.opened_at.desc())
)
_RECALLS = (
    select(_campaigns.c.code, _campaigns.c.title, _campaigns.c.remedy, _recalls.c.vin)
    .select_from(_recalls.join(_campaigns, _campaigns.c.id == _recalls.c.campaign_id))
    .where(_recalls.c.vin.in_(bindparam("vins", expanding=True)))
    .order_by(_recalls.c.id)
)
_INTERACTIONS = (
    select(*_columns(_interactions, schemas.Interaction), _cases.c.case_number.label("case_number"))
    .select_from(_interactions.outerjoin(_cases, _cases.c.id == _interactions.c.case_id))
    .where(_interactions.c.customer_id == _CUSTOMER_ID)
    .order_by(_interactions.c.occurred_at.desc(), _interactions.c.id.desc())
    .limit(bindparam("limit"))
)


def profile(session: Session, number: str, recent_interactions: int) -> schemas.CustomerProfile:
    """Return the profile of the customer with the canonical ``number``.

    Raises:
        CustomerNotFound: No such customer.

    """
    rows = session.execute(_CUSTOMER, {"customer_number": number}).all()
    if not rows:
        raise CustomerNotFound(f"no customer {number}")
    first = rows[0]._mapping
    owner = first["id"]
    workshop = None
    if first["workshop_id"] is not None:
        workshop = schemas.Workshop(
            **{name: first[f"workshop_{name}"] for name in _WORKSHOP_FIELDS},
            opening_hours=[
                schemas.OpeningHours(weekday=row.weekday, opens=row.opens, closes=row.closes)
                for row in rows
                if row.weekday is not None
            ],
        )
    owned = vehicles(session, owner)
    return schemas.CustomerProfile(
        customer=schemas.Customer(**{name: first[name] for name in schemas.Customer.__fields__}),
        preferred_workshop=workshop,
        vehicles=owned,
        orders=orders(session, owner),
        invoices=invoices(session, owner),
        contracts=contracts(session, owner),
        appointments=appointments(session, owner),
        cases=cases(session, owner),
        recalls=_recalls_of(session, owned),
        recent_interactions=interactions(session, owner, recent_interactions),
    )


def customer_id(session: Session, number: str) -> int:
    """Return the id of the customer with the canonical ``number``.

    Raises:
        CustomerNotFound: No such customer.

    """
    found = session.execute(_CUSTOMER_ID_OF, {"customer_number": number}).scalar()
    if found is None:
        raise CustomerNotFound(f"no customer {number}")
    return int(found)


def vehicles(session: Session, customer_id: int) -> list[schemas.Vehicle]:
    """Return the customer's vehicles in the order they were added."""
    return _all(session, _VEHICLES, schemas.Vehicle, customer_id)


def orders(session: Session, customer_id: int) -> list[schemas.Order]:
    """Return the customer's orders, newest first."""
    return _all(session, _ORDERS, schemas.Order, customer_id)


def invoices(session: Session, customer_id: int) -> list[schemas.Invoice]:
    """Return the customer's invoices, newest first."""
    return _all(session, _INVOICES, schemas.Invoice, customer_id)


def contracts(session: Session, customer_id: int) -> list[schemas.Contract]:
    """Return the customer's contracts, newest first."""
    return _all(session, _CONTRACTS, schemas.Contract, customer_id)


def appointments(session: Session, customer_id: int) -> list[schemas.Appointment]:
    """Return the customer's appointments, latest first."""
    return _all(session, _APPOINTMENTS, _appointment, customer_id)


def cases(session: Session, customer_id: int) -> list[schemas.Case]:
    """Return the customer's cases, newest first."""
    return _all(session, _CASES, schemas.Case, customer_id)


def interactions(session: Session, customer_id: int, limit: int) -> list[schemas.Interaction]:
    """Return the customer's latest ``limit`` contacts, newest first."""
    rows = session.execute(_INTERACTIONS, {"customer_id": customer_id, "limit": limit})
    return [schemas.Interaction(**row._mapping) for row in rows]


def _recalls_of(session: Session, owned: list[schemas.Vehicle]) -> list[schemas.RecallNotice]:
    """Return the recall notices for the customer's vehicles (by VIN, as campaigns list them)."""
    by_vin = {vehicle.vin: vehicle for vehicle in owned}
    if not by_vin:
        return []
    rows = session.execute(_RECALLS, {"vins": list(by_vin)})
    return [
        schemas.RecallNotice(
            campaign_code=row.code,
            title=row.title,
            remedy=row.remedy,
            vin=row.vin,
            model=by_vin[row.vin].model,
            plate=by_vin[row.vin].plate,
        )
        for row in rows
    ]


def _appointment(
    *,
    workshop_code: str,
    workshop_name: str,
    workshop_city: str,
    **fields: Any,
) -> schemas.Appointment:
    workshop = schemas.WorkshopRef(code=workshop_code, name=workshop_name, city=workshop_city)
    return schemas.Appointment(workshop=workshop, **fields)


def _all(
    session: Session,
    statement: Select,
    build: Callable[..., _SchemaT],
    customer_id: int,
) -> list[_SchemaT]:
    rows = session.execute(statement, {"customer_id": customer_id})
    return [build(**row._mapping) for row in rows]
