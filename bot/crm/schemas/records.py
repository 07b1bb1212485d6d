"""What the CRM returns: customers, their records, workshops and slots."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from pydantic import Field

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
from bot.crm.schemas.base import Schema


class OpeningHours(Schema):
    """Opening hours on one weekday (0 = Monday)."""

    weekday: int = Field(..., ge=0, le=6)
    opens: time
    closes: time


class Workshop(Schema):
    """A workshop with address, phone and opening hours."""

    code: str = Field(..., description="Stable identifier, e.g. 'muenchen-mitte'.")
    name: str
    street: str
    postal_code: str
    city: str
    country: Country
    phone: str
    hours_display: str = Field(..., description="Opening hours as shown to people.")
    opening_hours: list[OpeningHours]


class WorkshopRef(Schema):
    """The short reference to a workshop used inside other records."""

    code: str
    name: str
    city: str


class Slot(Schema):
    """A free calendar slot of a workshop (local time)."""

    workshop_code: str
    starts_at: datetime
    ends_at: datetime


class Customer(Schema):
    """Master data of a customer."""

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


class Vehicle(Schema):
    """A vehicle of the customer."""

    vin: str
    model: str
    plate: str | None
    first_registration: date | None
    mileage_km: int | None
    next_service_due: date | None


class Order(Schema):
    """An order and its delivery state."""

    order_number: str
    kind: OrderKind
    item: str
    status: OrderStatus
    expected_delivery: date | None
    carrier_tracking: str | None


class Invoice(Schema):
    """An invoice (amount in euro, exact)."""

    invoice_number: str
    amount_eur: Decimal
    status: InvoiceStatus
    issued_on: date
    due_on: date
    reminder_sent_on: date | None
    subject: str


class Contract(Schema):
    """A leasing, financing or service contract."""

    contract_number: str
    kind: ContractKind
    vehicle_vin: str | None
    monthly_rate_eur: Decimal
    start_date: date
    end_date: date
    mileage_allowance_km_per_year: int | None


class Appointment(Schema):
    """A workshop appointment (local time of the workshop)."""

    appointment_number: str
    workshop: WorkshopRef
    vehicle_vin: str | None
    starts_at: datetime
    service: str
    status: AppointmentStatus


class Case(Schema):
    """A complaint, warranty claim or other concern."""

    case_number: str
    kind: CaseKind
    subject: str
    description: str
    status: CaseStatus
    priority: CasePriority
    opened_at: datetime


class RecallNotice(Schema):
    """A recall campaign that affects one vehicle."""

    campaign_code: str
    title: str
    remedy: str
    vin: str
    model: str | None = None
    plate: str | None = None


class Interaction(Schema):
    """One contact with the customer (UTC)."""

    occurred_at: datetime
    channel: Channel
    topic: str | None
    summary: str
    case_number: str | None
    conversation_id: str | None
    details: dict[str, Any] | None = None


class CustomerProfile(Schema):
    """Everything the assistant may need for personal answers."""

    customer: Customer
    preferred_workshop: Workshop | None
    vehicles: list[Vehicle]
    orders: list[Order]
    invoices: list[Invoice]
    contracts: list[Contract]
    appointments: list[Appointment]
    cases: list[Case]
    recalls: list[RecallNotice]
    recent_interactions: list[Interaction] = Field(..., description="Newest first.")


class VerificationResult(Schema):
    """Outcome of an identity check; says nothing about whether the number exists."""

    verified: bool
    customer_number: str | None = Field(None, description="Canonical number when verified.")
    locked_until: datetime | None = Field(
        None,
        description="Set (UTC) when failed checks locked the number; nothing was checked.",
    )


class CaseCreated(Schema):
    """The number of a newly opened case."""

    case_number: str


class LeadCreated(Schema):
    """The number of a newly recorded test-drive request."""

    lead_number: str


class Health(Schema):
    """Liveness of the service."""

    status: str
    database: str


class ErrorResponse(Schema):
    """Body of every CRM API error except input validation (422 has FastAPI's list)."""

    error: str = Field(..., description="Exception name, e.g. 'SlotUnavailable'.")
    detail: str
