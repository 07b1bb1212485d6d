"""Erase a customer everywhere, and enforce the retention periods.

An erasure first collects the customer's conversations from every store
(the tracker store's verification slots, escalations, history entries,
feedback, analytics rows), then lets each eraser forget the customer and
those conversations, records a receipt in the erasure register and an
audit entry. Asked again, it erases what may have arrived since and answers
with the new receipt marked as a repeat; the first receipt stays on record.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from bot.clock import Clock, system_clock
from bot.crm.identifiers import normalize_customer_number
from bot.crm.service.base import as_naive_utc
from bot.escalation.models import AuditEntry
from bot.privacy.crm_eraser import CRMEraser
from bot.privacy.erasers import ErasureRegistry, RetentionCutoffs, Subject
from bot.privacy.models import Erasure

logger = logging.getLogger(__name__)


class UnknownCustomer(LookupError):
    """The customer number is malformed or the CRM does not know it."""


@dataclass(frozen=True)
class RetentionPeriods:
    """How long the assistant keeps what it records.

    Attributes:
        conversation_days: Conversations in the tracker store, feedback
            comments, analytics identities (RETENTION_CONVERSATION_DAYS).
        escalation_days: Escalations with transcripts and notes
            (RETENTION_ESCALATION_DAYS).

    """

    conversation_days: int = 90
    escalation_days: int = 730


class PrivacyService:
    """Erasure and retention over a registry of erasers.

    Args:
        sessions: Session factory of the CRM database (erasure register, audit log).
        crm: The CRM eraser (it also tells whether a customer exists).
        registry: Every store's eraser, the CRM's included.
        periods: Retention periods.
        clock: The product's clock.

    """

    def __init__(
        self,
        sessions: Any,
        crm: CRMEraser,
        registry: ErasureRegistry,
        periods: RetentionPeriods = RetentionPeriods(),
        clock: Clock = system_clock,
        audit_sessions: Any = None,
    ) -> None:
        self._sessions = sessions
        self._audit_sessions = audit_sessions or sessions
        self._crm = crm
        self.registry = registry
        self.periods = periods
        self._clock = clock

    def erase(self, customer_number: str, requested_by: str) -> dict[str, Any]:
        """Forget a customer in every store and return the receipt.

        Args:
            customer_number: The customer, as typed (normalised here).
            requested_by: Who asked: ``cli`` or ``agent:<username>``.

        Raises:
            UnknownCustomer: The number is malformed or unknown to the CRM.

        """
        number = normalize_customer_number(customer_number or "")
        if number is None or not self._crm.exists(number):
            raise UnknownCustomer("unknown customer number")
        conversations: set[str] = set()
        for eraser in self.registry:
            conversations |= eraser.find_conversations(number)
        subject = Subject(number, frozenset(conversations))
        stores = {eraser.name: eraser.erase(subject) for eraser in self.registry}
        now = as_naive_utc(self._clock())
        with self._sessions() as session, session.begin():
            earlier = session.scalars(
                select(Erasure).where(Erasure.customer_number == number)
            ).first()
            receipt = {
                "customer_number": number,
                "erased_at": now.isoformat(timespec="seconds") + "Z",
                "repeat": earlier is not None,
                "first_erased_at": (
                    earlier.erased_at.isoformat(timespec="seconds") + "Z" if earlier else None
                ),
                "conversations": len(conversations),
                "erased": stores,
                "kept": {"crm": self._crm.kept(number)},
                "kept_because": "Rechnungen: Aufbewahrungspflicht nach § 147 AO und § 257 HGB",
            }
            if earlier is None:
                session.add(
                    Erasure(
                        customer_number=number,
                        erased_at=now,
                        requested_by=requested_by[:80],
                        receipt=receipt,
                    )
                )
        with self._audit_sessions() as session, session.begin():
            session.add(
                AuditEntry(
                    occurred_at=now,
                    action="privacy_erasure",
                    details={
                        "customer_number": number,
                        "requested_by": requested_by[:80],
                        "repeat": earlier is not None,
                        "erased": stores,
                    },
                )
            )
        logger.info("Erasure done (%s stores, repeat=%s)", len(stores), receipt["repeat"])
        return receipt

    def cutoffs(self) -> RetentionCutoffs:
        """Return the moments before which records expire, by the clock."""
        now = as_naive_utc(self._clock())
        return RetentionCutoffs(
            conversations=now - timedelta(days=self.periods.conversation_days),
            escalations=now - timedelta(days=self.periods.escalation_days),
        )

    def retention(self, *, dry_run: bool = False) -> dict[str, Any]:
        """Expire what is past its retention period in every store (or only count it)."""
        cutoffs = self.cutoffs()
        stores = {eraser.name: eraser.expire(cutoffs, dry_run=dry_run) for eraser in self.registry}
        report = {
            "dry_run": dry_run,
            "conversations_before": cutoffs.conversations.isoformat(timespec="seconds") + "Z",
            "escalations_before": cutoffs.escalations.isoformat(timespec="seconds") + "Z",
            "stores": {name: counts for name, counts in stores.items() if counts},
        }
        if not dry_run and any(any(counts.values()) for counts in stores.values()):
            with self._audit_sessions() as session, session.begin():
                session.add(
                    AuditEntry(
                        occurred_at=as_naive_utc(self._clock()),
                        action="privacy_retention",
                        details=report,
                    )
                )
        return report
