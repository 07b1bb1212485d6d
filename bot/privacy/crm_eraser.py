"""The CRM: master data, contacts, history texts, cases, leads and vehicles of a customer.

Erasure anonymises in place rather than deleting the customer row, because
the invoices (and the contracts and orders they bill) must be kept for the
statutory period (docs/privacy.md): they keep their numbers, amounts and
dates and stay linked to the customer number, while everything that says
who the customer is - name, address, e-mail, phone, plates, VINs, free text
in the history and the cases - is overwritten.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any, cast

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from bot.crm.models import Case, Customer, FailedAttempt, Interaction, Invoice, Lead, Order, Vehicle
from bot.privacy.erasers import ERASED, Counts, RetentionCutoffs, Subject, sender_of

SessionFactory = Callable[[], AbstractContextManager[Session]]

_ERASED_VIN = re.compile(r"X\d{16}")
ERASED_NAME = "Gelöscht"
"""First and last name of an erased customer."""


class CRMEraser:
    """Anonymises a customer in the CRM.

    Args:
        sessions: The CRM's session factory (``CRMService.session_factory``).

    """

    name = "crm"

    def __init__(self, sessions: Any) -> None:
        self._sessions = sessions

    def exists(self, customer_number: str) -> bool:
        """Tell whether the CRM knows the customer."""
        with self._sessions() as session:
            query = select(Customer.id).where(Customer.customer_number == customer_number)
            return session.execute(query).first() is not None

    def find_conversations(self, customer_number: str) -> set[str]:
        """Return the senders of the conversations in the customer's history and leads."""
        with self._sessions() as session:
            customer = _customer(session, customer_number)
            if customer is None:
                return set()
            ids = session.scalars(
                select(Interaction.conversation_id).where(Interaction.customer_id == customer.id)
            ).all()
            ids += session.scalars(
                select(Lead.conversation_id).where(Lead.customer_id == customer.id)
            ).all()
        return {sender for sender in map(sender_of, ids) if sender}

    def erase(self, subject: Subject) -> Counts:
        """Overwrite what identifies the customer; keep invoices, contracts and orders."""
        with self._sessions() as session, session.begin():
            customer = _customer(session, subject.customer_number)
            if customer is None:
                return {"customer": 0}
            changed = int(customer.first_name != ERASED_NAME)
            customer.salutation, customer.first_name, customer.last_name = (
                "",
                ERASED_NAME,
                ERASED_NAME,
            )
            customer.email = customer.phone = customer.street = ""
            customer.postal_code = customer.city = ""
            customer.preferred_workshop_id = None
            counts = {"customer": changed}
            counts["history_entries"] = _rowcount(
                session,
                update(Interaction)
                .where(Interaction.customer_id == customer.id, Interaction.summary != ERASED)
                .values(summary=ERASED, details=None, conversation_id=None),
            )
            counts["cases"] = _rowcount(
                session,
                update(Case)
                .where(Case.customer_id == customer.id, Case.subject != ERASED)
                .values(subject=ERASED, description=""),
            )
            counts["leads"] = _rowcount(
                session,
                update(Lead)
                .where(Lead.customer_id == customer.id, Lead.name != ERASED)
                .values(name=ERASED, email=None, phone=None, conversation_id=None),
            )
            counts["vehicles"] = _erase_vehicles(session, customer.id)
            counts["order_tracking_numbers"] = _rowcount(
                session,
                update(Order)
                .where(Order.customer_id == customer.id, Order.carrier_tracking.is_not(None))
                .values(carrier_tracking=None),
            )
            counts["failed_attempts"] = _rowcount(
                session,
                delete(FailedAttempt).where(FailedAttempt.subject == customer.customer_number),
            )
        return counts

    def kept(self, customer_number: str) -> Counts:
        """Return what is kept for the law: the customer's invoices."""
        with self._sessions() as session:
            customer = _customer(session, customer_number)
            if customer is None:
                return {}
            invoices = session.scalars(
                select(Invoice.id).where(Invoice.customer_id == customer.id)
            ).all()
        return {"invoices": len(invoices)}

    def expire(self, cutoffs: RetentionCutoffs, *, dry_run: bool) -> Counts:
        """Nothing: the CRM's records follow the CRM's own retention, not the assistant's."""
        return {}


def _customer(session: Session, customer_number: str) -> Customer | None:
    query = select(Customer).where(Customer.customer_number == customer_number)
    return cast(Customer | None, session.scalars(query).first())


def _erase_vehicles(session: Session, customer_id: int) -> int:
    erased = 0
    for vehicle in session.scalars(select(Vehicle).where(Vehicle.customer_id == customer_id)).all():
        if _ERASED_VIN.fullmatch(vehicle.vin):
            continue
        # a VIN is unique: "X" and the row id keep it so without naming the car
        vehicle.vin = f"X{vehicle.id:016d}"
        vehicle.plate = vehicle.plate_normalized = None
        vehicle.mileage_km = None
        erased += 1
    return erased


def _rowcount(session: Session, statement: Any) -> int:
    return int(session.execute(statement).rowcount or 0)
