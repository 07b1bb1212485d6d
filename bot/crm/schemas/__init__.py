"""The CRM's data contract: what the service returns, the API speaks and the client parses.

Pydantic 1.x models (rasa 3.6 pins pydantic < 1.10.10). Money is ``Decimal``
and travels as a JSON string ("1245.50"), never as a float. Datetimes of
appointments and slots are local time of the workshop; interaction times are
UTC.
"""

from bot.crm.schemas.base import Command, Schema
from bot.crm.schemas.commands import (
    AppointmentBooking,
    AppointmentCancellation,
    AppointmentReschedule,
    CaseCreate,
    ContactChange,
    InteractionCreate,
    LeadCreate,
    Origin,
    VerificationRequest,
)
from bot.crm.schemas.records import (
    Appointment,
    Case,
    CaseCreated,
    Contract,
    Customer,
    CustomerProfile,
    ErrorResponse,
    Health,
    Interaction,
    Invoice,
    LeadCreated,
    OpeningHours,
    Order,
    RecallNotice,
    Slot,
    Vehicle,
    VerificationResult,
    Workshop,
    WorkshopRef,
)

__all__ = [
    "Appointment",
    "AppointmentBooking",
    "AppointmentCancellation",
    "AppointmentReschedule",
    "Case",
    "CaseCreate",
    "CaseCreated",
    "Command",
    "ContactChange",
    "Contract",
    "Customer",
    "CustomerProfile",
    "ErrorResponse",
    "Health",
    "Interaction",
    "InteractionCreate",
    "Invoice",
    "LeadCreate",
    "LeadCreated",
    "OpeningHours",
    "Order",
    "Origin",
    "RecallNotice",
    "Schema",
    "Slot",
    "Vehicle",
    "VerificationRequest",
    "VerificationResult",
    "Workshop",
    "WorkshopRef",
]
