"""The contact history and cases."""

from __future__ import annotations

from sqlalchemy import select

from bot.crm import models, schemas
from bot.crm.enums import CaseStatus
from bot.crm.errors import CRMNotFound
from bot.crm.identifiers import normalize_document_number
from bot.crm.service import mapping
from bot.crm.service.base import ServiceBase, as_naive_utc
from bot.crm.service.numbering import next_number


class HistoryOperations(ServiceBase):
    """Recording contacts and opening cases."""

    def record_interaction(
        self, customer_number: str, interaction: schemas.InteractionCreate
    ) -> schemas.Interaction:
        """Add a contact (any channel) to the customer's history.

        Raises:
            CustomerNotFound: No such customer.
            CRMNotFound: ``case_number`` names no case of this customer.

        """
        with self._writing() as session:
            customer_id = self._customer_id(session, customer_number)
            case_id = None
            if interaction.case_number is not None:
                number = normalize_document_number(interaction.case_number, "C")
                case_id = session.execute(
                    select(models.Case.id).where(
                        models.Case.case_number == number,
                        models.Case.customer_id == customer_id,
                    )
                ).scalar_one_or_none()
                if case_id is None:
                    raise CRMNotFound(f"no case {interaction.case_number} for this customer")
            row = self._log(
                session,
                customer_id,
                channel=interaction.channel,
                topic=interaction.topic,
                summary=interaction.summary,
                conversation_id=interaction.conversation_id,
                case_id=case_id,
            )
            if interaction.occurred_at is not None:
                row.occurred_at = as_naive_utc(interaction.occurred_at)
            session.flush()
            return mapping.interaction(row)

    def create_case(self, customer_number: str, case: schemas.CaseCreate) -> schemas.CaseCreated:
        """Open a case for the customer and note it in the history.

        Returns:
            The new case number.

        Raises:
            CustomerNotFound: No such customer.

        """
        with self._writing() as session:
            customer_id = self._customer_id(session, customer_number)
            row = models.Case(
                case_number=next_number(session, "case"),
                customer_id=customer_id,
                kind=case.kind,
                subject=case.subject,
                description=case.description,
                status=CaseStatus.OPEN,
                priority=case.priority,
                opened_at=self._now_utc(),
            )
            session.add(row)
            session.flush()
            self._log(
                session,
                customer_id,
                channel=case.channel,
                topic="case_opened",
                summary=f"Fall {row.case_number} eröffnet: {case.subject}",
                conversation_id=case.conversation_id,
                case_id=row.id,
            )
            return schemas.CaseCreated(case_number=row.case_number)
