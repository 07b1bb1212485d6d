"""Test-drive requests as sales leads."""

from __future__ import annotations

from sqlalchemy import select

from bot.crm import models, schemas
from bot.crm.service.base import ServiceBase
from bot.crm.service.numbering import next_number


class LeadOperations(ServiceBase):
    """Recording test-drive requests."""

    def create_lead(self, lead: schemas.LeadCreate) -> schemas.LeadCreated:
        """Record a test-drive request; a known customer's history notes it too.

        Raises:
            CustomerNotFound: ``customer_number`` names no customer.
            WorkshopNotFound: ``workshop_code`` names no workshop.

        """
        with self._writing() as session:
            customer = (
                self._customer(session, lead.customer_number) if lead.customer_number else None
            )
            workshop = self._workshop(session, lead.workshop_code) if lead.workshop_code else None
            row = models.Lead(
                lead_number=next_number(session, "lead"),
                customer_id=customer.id if customer else None,
                name=lead.name,
                email=lead.email,
                phone=lead.phone,
                model=lead.model,
                workshop_id=workshop.id if workshop else None,
                preferred_date=lead.preferred_date,
                status="new",
                channel=lead.channel,
                conversation_id=lead.conversation_id,
                created_at=self._now_utc(),
            )
            session.add(row)
            session.flush()
            if customer is not None:
                self._log(
                    session,
                    customer.id,
                    channel=lead.channel,
                    topic="test_drive",
                    summary=f"Probefahrt angefragt ({row.lead_number}): {lead.model}, "
                    f"Wunschtermin {lead.preferred_date}",
                    conversation_id=lead.conversation_id,
                )
            return schemas.LeadCreated(lead_number=row.lead_number)

    def get_lead(self, lead_number: str) -> models.Lead | None:
        """Return a lead row by number (for tests and the back office), or None."""
        with self._reading() as session:
            row = session.execute(
                select(models.Lead).where(models.Lead.lead_number == lead_number)
            ).scalar_one_or_none()
            if row is not None:
                session.expunge(row)
            return row
