"""A :class:`CRMClient` over a :class:`CRMService` in the same process.

For tests and single-process setups: the synchronous service runs in a worker
thread so the event loop never blocks.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from typing import TypeVar

import anyio

from bot.crm import schemas
from bot.crm.service import CRMService

T = TypeVar("T")


class LocalCRMClient:
    """Calls the CRM service directly, without HTTP.

    Args:
        service: The CRM service.

    """

    def __init__(self, service: CRMService) -> None:
        self._service = service

    async def _run(self, call: Callable[[], T]) -> T:
        return await anyio.to_thread.run_sync(call)

    async def verify_customer(
        self, customer_number: str, postal_code: str
    ) -> schemas.VerificationResult:
        """See :meth:`CRMClient.verify_customer`."""
        return await self._run(partial(self._service.verify_customer, customer_number, postal_code))

    async def get_profile(self, customer_number: str) -> schemas.CustomerProfile:
        """See :meth:`CRMClient.get_profile`."""
        return await self._run(partial(self._service.get_profile, customer_number))

    async def record_interaction(
        self, customer_number: str, interaction: schemas.InteractionCreate
    ) -> schemas.Interaction:
        """See :meth:`CRMClient.record_interaction`."""
        return await self._run(
            partial(self._service.record_interaction, customer_number, interaction)
        )

    async def create_case(
        self, customer_number: str, case: schemas.CaseCreate
    ) -> schemas.CaseCreated:
        """See :meth:`CRMClient.create_case`."""
        return await self._run(partial(self._service.create_case, customer_number, case))

    async def create_lead(self, lead: schemas.LeadCreate) -> schemas.LeadCreated:
        """See :meth:`CRMClient.create_lead`."""
        return await self._run(partial(self._service.create_lead, lead))

    async def update_contact(
        self, customer_number: str, change: schemas.ContactChange
    ) -> schemas.Customer:
        """See :meth:`CRMClient.update_contact`."""
        return await self._run(partial(self._service.update_contact, customer_number, change))

    async def find_workshops(
        self, *, city: str | None = None, postal_code: str | None = None, limit: int = 3
    ) -> list[schemas.Workshop]:
        """See :meth:`CRMClient.find_workshops`."""
        return await self._run(
            partial(self._service.find_workshops, city=city, postal_code=postal_code, limit=limit)
        )

    async def free_slots(
        self, workshop_code: str, from_date: date, days: int = 7
    ) -> list[schemas.Slot]:
        """See :meth:`CRMClient.free_slots`."""
        return await self._run(partial(self._service.free_slots, workshop_code, from_date, days))

    async def book_appointment(
        self, customer_number: str, booking: schemas.AppointmentBooking
    ) -> schemas.Appointment:
        """See :meth:`CRMClient.book_appointment`."""
        return await self._run(partial(self._service.book_appointment, customer_number, booking))

    async def reschedule_appointment(
        self,
        customer_number: str,
        appointment_number: str,
        change: schemas.AppointmentReschedule,
    ) -> schemas.Appointment:
        """See :meth:`CRMClient.reschedule_appointment`."""
        return await self._run(
            partial(
                self._service.reschedule_appointment, customer_number, appointment_number, change
            )
        )

    async def cancel_appointment(
        self,
        customer_number: str,
        appointment_number: str,
        cancellation: schemas.AppointmentCancellation,
    ) -> schemas.Appointment:
        """See :meth:`CRMClient.cancel_appointment`."""
        return await self._run(
            partial(
                self._service.cancel_appointment,
                customer_number,
                appointment_number,
                cancellation,
            )
        )

    async def find_recalls(
        self, *, vin: str | None = None, plate: str | None = None
    ) -> list[schemas.RecallNotice]:
        """See :meth:`CRMClient.find_recalls`."""
        return await self._run(partial(self._service.find_recalls, vin=vin, plate=plate))

    async def aclose(self) -> None:
        """Nothing to release; the service's engine belongs to its owner."""
