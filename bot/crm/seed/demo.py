"""The demo records: format of ``seed_data/demo_customers.yml`` and its loading.

The file is validated against the models below before anything is written,
so a typo in the demo data fails the seed with a clear message. Its dates of
the customers' current situation are relative to the day of loading
(:mod:`bot.crm.seed.relative_dates`); :func:`move_demo_dates` brings stored
demo customers to a later day.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

import yaml
from pydantic import BaseModel, Field, validator
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.crm import models
from bot.crm.enums import (
    AppointmentStatus,
    CaseKind,
    CasePriority,
    CaseStatus,
    Channel,
    ContractKind,
    Country,
    InvoiceStatus,
    OrderKind,
    OrderStatus,
    Tier,
)
from bot.crm.identifiers import normalize_plate
from bot.crm.seed.relative_dates import resolve_tree

DEMO_FILE = Path(__file__).resolve().parent.parent / "seed_data" / "demo_customers.yml"
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class _Record(BaseModel):
    class Config:
        """Reject unknown keys: they are typos."""

        extra = "forbid"


class WorkshopRecord(_Record):
    """A workshop with opening hours by weekday (mon..sun)."""

    code: str
    name: str
    street: str
    postal_code: str
    city: str
    country: Country
    phone: str
    hours_display: str
    opening_hours: dict[str, str]

    @validator("opening_hours")
    def _weekdays(cls, hours: dict[str, str]) -> dict[str, str]:
        for day, span in hours.items():
            if day not in WEEKDAYS:
                raise ValueError(f"unknown weekday {day!r}")
            parse_span(span)
        return hours


class RecallRecord(_Record):
    """A recall campaign and the VINs it affects."""

    code: str
    title: str
    remedy: str
    vins: list[str]


class VehicleRecord(_Record):
    """A vehicle of a demo customer."""

    vin: str
    model: str
    plate: str | None = None
    first_registration: date | None = None
    mileage_km: int | None = None
    next_service_due: date | None = None


class OrderRecord(_Record):
    """An order of a demo customer."""

    order_number: str
    kind: OrderKind
    item: str
    status: OrderStatus
    expected_delivery: date | None = None
    carrier_tracking: str | None = None


class InvoiceRecord(_Record):
    """An invoice of a demo customer."""

    invoice_number: str
    amount_eur: Decimal
    status: InvoiceStatus
    issued_on: date
    due_on: date
    reminder_sent_on: date | None = None
    subject: str


class ContractRecord(_Record):
    """A contract of a demo customer."""

    contract_number: str
    kind: ContractKind
    vehicle_vin: str | None = None
    monthly_rate_eur: Decimal
    start_date: date
    end_date: date
    mileage_allowance_km_per_year: int | None = None


class AppointmentRecord(_Record):
    """An appointment of a demo customer (workshop by code)."""

    appointment_number: str
    starts_at: datetime
    workshop: str
    vehicle_vin: str | None = None
    service: str
    status: AppointmentStatus


class CaseRecord(_Record):
    """A case of a demo customer."""

    case_number: str
    kind: CaseKind
    subject: str
    description: str = ""
    status: CaseStatus
    priority: CasePriority = CasePriority.NORMAL
    opened_at: datetime


class HistoryRecord(_Record):
    """A history entry of a demo customer."""

    occurred_at: datetime
    channel: Channel
    summary: str
    topic: str | None = None
    case_number: str | None = None


class CustomerRecord(_Record):
    """A demo customer with all their records."""

    customer_number: str
    salutation: str
    first_name: str
    last_name: str
    email: str
    phone: str
    street: str
    postal_code: str
    city: str
    country: Country
    customer_since: date
    tier: Tier
    preferred_workshop: str | None = None
    vehicles: list[VehicleRecord] = Field(default_factory=list)
    orders: list[OrderRecord] = Field(default_factory=list)
    invoices: list[InvoiceRecord] = Field(default_factory=list)
    contracts: list[ContractRecord] = Field(default_factory=list)
    appointments: list[AppointmentRecord] = Field(default_factory=list)
    cases: list[CaseRecord] = Field(default_factory=list)
    history: list[HistoryRecord] = Field(default_factory=list)


class DemoData(_Record):
    """The whole demo file."""

    service_contacts: dict[str, str]
    workshops: list[WorkshopRecord]
    recalls: list[RecallRecord]
    customers: list[CustomerRecord]


def load_demo_data(today: date, path: Path = DEMO_FILE) -> DemoData:
    """Read and validate the demo file, its relative dates resolved against ``today``."""
    with path.open(encoding="utf-8") as stream:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        return DemoData.parse_obj(resolve_tree(yaml.load(stream, Loader=loader), today))


def parse_span(span: str) -> tuple[time, time]:
    """Parse opening hours "07:30-18:00" into two times."""
    opens, closes = (time.fromisoformat(part.strip()) for part in span.split("-"))
    if opens >= closes:
        raise ValueError(f"opening hours {span!r} close before they open")
    return opens, closes


def insert_workshops(session: Session, workshops: list[WorkshopRecord]) -> int:
    """Insert the workshops that are not stored yet; return how many were new."""
    known = set(session.execute(select(models.Workshop.code)).scalars())
    new = [record for record in workshops if record.code not in known]
    for record in new:
        workshop = models.Workshop(**record.dict(exclude={"opening_hours"}))
        for day, span in record.opening_hours.items():
            opens, closes = parse_span(span)
            workshop.opening_hours.append(
                models.OpeningHours(weekday=WEEKDAYS.index(day), opens=opens, closes=closes)
            )
        session.add(workshop)
    session.flush()
    return len(new)


def insert_recalls(session: Session, recalls: list[RecallRecord]) -> int:
    """Insert the recall campaigns that are not stored yet; return how many were new."""
    known = set(session.execute(select(models.RecallCampaign.code)).scalars())
    new = [record for record in recalls if record.code not in known]
    for record in new:
        campaign = models.RecallCampaign(code=record.code, title=record.title, remedy=record.remedy)
        campaign.vehicles = [models.RecallVehicle(vin=vin) for vin in record.vins]
        session.add(campaign)
    session.flush()
    return len(new)


def insert_customers(session: Session, customers: list[CustomerRecord]) -> int:
    """Insert the demo customers not stored yet, each with all their records."""
    known = set(session.execute(select(models.Customer.customer_number)).scalars())
    workshops = {w.code: w for w in session.execute(select(models.Workshop)).scalars()}
    new = [record for record in customers if record.customer_number not in known]
    for record in new:
        _insert_customer(session, record, workshops)
    session.flush()
    return len(new)


def _insert_customer(
    session: Session, record: CustomerRecord, workshops: dict[str, models.Workshop]
) -> None:
    master = record.dict(
        exclude={"preferred_workshop", "vehicles", "orders", "invoices", "contracts"}
        | {"appointments", "cases", "history"}
    )
    customer = models.Customer(**master)
    if record.preferred_workshop:
        customer.preferred_workshop = workshops[record.preferred_workshop]
    session.add(customer)
    session.flush()
    vehicles = {}
    for item in record.vehicles:
        vehicle = models.Vehicle(
            customer_id=customer.id, plate_normalized=normalize_plate(item.plate), **item.dict()
        )
        vehicles[item.vin] = vehicle
        session.add(vehicle)
    session.flush()
    for order in record.orders:
        session.add(models.Order(customer_id=customer.id, **order.dict()))
    for invoice in record.invoices:
        session.add(models.Invoice(customer_id=customer.id, **invoice.dict()))
    for contract in record.contracts:
        fields = contract.dict(exclude={"vehicle_vin"})
        vehicle_id = vehicles[contract.vehicle_vin].id if contract.vehicle_vin else None
        session.add(models.Contract(customer_id=customer.id, vehicle_id=vehicle_id, **fields))
    for appointment in record.appointments:
        fields = appointment.dict(exclude={"workshop", "vehicle_vin"})
        vehicle_id = vehicles[appointment.vehicle_vin].id if appointment.vehicle_vin else None
        workshop_id = workshops[appointment.workshop].id
        session.add(
            models.Appointment(
                customer_id=customer.id, workshop_id=workshop_id, vehicle_id=vehicle_id, **fields
            )
        )
    cases = {}
    for case in record.cases:
        cases[case.case_number] = models.Case(customer_id=customer.id, **case.dict())
        session.add(cases[case.case_number])
    session.flush()
    for entry in record.history:
        fields = entry.dict(exclude={"case_number"})
        case_id = cases[entry.case_number].id if entry.case_number else None
        session.add(models.Interaction(customer_id=customer.id, case_id=case_id, **fields))
