"""What the assistant needs from a CRM: the :class:`CRMClient` protocol.

Rasa actions depend on this protocol only. Our CRM is reached over HTTP with
:class:`bot.crm.http_client.HttpCRMClient` (or in process with
:class:`bot.crm.local_client.LocalCRMClient`); another company plugs in its
own CRM by implementing these methods. Implementations raise the exceptions
of :mod:`bot.crm.errors` and nothing else.
"""

from __future__ import annotations

from datetime import date
from typing import Protocol, runtime_checkable

from bot.crm.schemas import (
    Appointment,
    AppointmentBooking,
    AppointmentCancellation,
    AppointmentReschedule,
    CaseCreate,
    CaseCreated,
    ContactChange,
    Customer,
    CustomerProfile,
    Interaction,
    InteractionCreate,
    LeadCreate,
    LeadCreated,
    RecallNotice,
    Slot,
    VerificationResult,
    Workshop,
)


@runtime_checkable
class CRMClient(Protocol):
    """Asynchronous access to customer data, workshops and recalls."""

    async def verify_customer(self, customer_number: str, postal_code: str) -> VerificationResult:
        """Check a customer number against the postal code on file."""
        ...

    async def get_profile(self, customer_number: str) -> CustomerProfile:
        """Return the customer with all records and recent history."""
        ...

    async def record_interaction(
        self, customer_number: str, interaction: InteractionCreate
    ) -> Interaction:
        """Add a contact to the customer's history."""
        ...

    async def create_case(self, customer_number: str, case: CaseCreate) -> CaseCreated:
        """Open a case; return its number."""
        ...

    async def create_lead(self, lead: LeadCreate) -> LeadCreated:
        """Record a test-drive request (a prospect or a customer); return its number."""
        ...

    async def update_contact(self, customer_number: str, change: ContactChange) -> Customer:
        """Change address, e-mail or phone; return the updated master data."""
        ...

    async def find_workshops(
        self, *, city: str | None = None, postal_code: str | None = None, limit: int = 3
    ) -> list[Workshop]:
        """Return workshops in a city or nearest to a postal code."""
        ...

    async def free_slots(self, workshop_code: str, from_date: date, days: int = 7) -> list[Slot]:
        """Return the free slots of a workshop."""
        ...

    async def book_appointment(
        self, customer_number: str, booking: AppointmentBooking
    ) -> Appointment:
        """Book a free slot."""
        ...

    async def reschedule_appointment(
        self, customer_number: str, appointment_number: str, change: AppointmentReschedule
    ) -> Appointment:
        """Move a booked appointment to another free slot."""
        ...

    async def cancel_appointment(
        self,
        customer_number: str,
        appointment_number: str,
        cancellation: AppointmentCancellation,
    ) -> Appointment:
        """Cancel a booked appointment."""
        ...

    async def find_recalls(
        self, *, vin: str | None = None, plate: str | None = None
    ) -> list[RecallNotice]:
        """Return recall campaigns affecting a vehicle."""
        ...

    async def aclose(self) -> None:
        """Release connections."""
        ...
