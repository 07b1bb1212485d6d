"""Transactions, clock and the lookups every CRM operation needs."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import NETWORK_TIMEZONE, Clock, system_clock
from bot.crm.db import create_session_factory
from bot.crm.enums import Channel
from bot.crm.errors import (
    CRMConflict,
    CRMUnavailable,
    CRMValidationError,
    CustomerNotFound,
    WorkshopNotFound,
)
from bot.crm.identifiers import normalize_customer_number
from bot.crm.models import Customer, Interaction, Workshop
from bot.crm.service import records


def as_naive_utc(moment: datetime) -> datetime:
    """Return ``moment`` as naive UTC; a naive value is taken to be UTC already."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(timezone.utc).replace(tzinfo=None)


class ServiceBase:
    """Holds the session factory and the clock; opens transactions.

    Args:
        engine_or_session_factory: An engine, or a session factory bound to one.
        clock: Source of the current time (injected in tests).

    """

    def __init__(
        self,
        engine_or_session_factory: Engine | sessionmaker,
        clock: Clock = system_clock,
    ) -> None:
        if isinstance(engine_or_session_factory, Engine):
            self._sessions = create_session_factory(engine_or_session_factory)
        else:
            self._sessions = engine_or_session_factory
        self._clock = clock

    @property
    def session_factory(self) -> sessionmaker:
        """The session factory (services over the same database share it)."""
        return self._sessions

    @contextmanager
    def _reading(self) -> Iterator[Session]:
        """Open a session for reads; database failures become CRMUnavailable."""
        try:
            with self._sessions() as session:
                yield session
        except IntegrityError as error:
            raise CRMConflict(f"CRM write conflicts with stored data: {error.orig!r}") from error
        except DBAPIError as error:
            raise CRMUnavailable(f"CRM database failed: {error.orig!r}") from error

    @contextmanager
    def _writing(self) -> Iterator[Session]:
        """Open a transaction that commits on success and rolls back on any error."""
        with self._reading() as session, session.begin():
            yield session

    def check_database(self) -> None:
        """Run a trivial query.

        Raises:
            CRMUnavailable: The database cannot be reached.

        """
        with self._reading() as session:
            session.execute(text("SELECT 1"))

    def _now_utc(self) -> datetime:
        """Return the current time as naive UTC (how interactions are stored)."""
        return as_naive_utc(self._clock())

    def _now_local(self) -> datetime:
        """Return the current wall-clock time of the workshops (naive)."""
        return self._clock().astimezone(NETWORK_TIMEZONE).replace(tzinfo=None)

    @staticmethod
    def _customer_number(customer_number: str) -> str:
        """Return the canonical spelling of a customer number.

        Raises:
            CRMValidationError: The number is malformed.

        """
        number = normalize_customer_number(customer_number)
        if number is None:
            raise CRMValidationError("customer_number must look like K-100001")
        return number

    @classmethod
    def _customer_id(cls, session: Session, customer_number: str) -> int:
        """Return a customer's id by any spelling of the number (no ORM object loaded).

        Raises:
            CRMValidationError: The number is malformed.
            CustomerNotFound: No such customer.

        """
        return records.customer_id(session, cls._customer_number(customer_number))

    @classmethod
    def _customer(cls, session: Session, customer_number: str) -> Customer:
        """Load a customer by any spelling of the number.

        Raises:
            CRMValidationError: The number is malformed.
            CustomerNotFound: No such customer.

        """
        number = cls._customer_number(customer_number)
        customer = session.execute(
            select(Customer).where(Customer.customer_number == number)
        ).scalar_one_or_none()
        if customer is None:
            raise CustomerNotFound(f"no customer {number}")
        return customer

    @staticmethod
    def _workshop(session: Session, code: str) -> Workshop:
        """Load a workshop by its code (any case, surrounding blanks ignored).

        Raises:
            WorkshopNotFound: No such workshop.

        """
        workshop = session.execute(
            select(Workshop).where(Workshop.code == code.strip().lower())
        ).scalar_one_or_none()
        if workshop is None:
            raise WorkshopNotFound(f"no workshop {code!r}")
        return workshop

    def _log(
        self,
        session: Session,
        customer_id: int,
        *,
        channel: Channel,
        topic: str | None,
        summary: str,
        conversation_id: str | None = None,
        case_id: int | None = None,
        details: dict[str, Any] | None = None,
    ) -> Interaction:
        """Add an entry to the customer's contact history (inside the caller's transaction)."""
        interaction = Interaction(
            customer_id=customer_id,
            occurred_at=self._now_utc(),
            channel=channel,
            topic=topic,
            summary=summary[:500],
            conversation_id=conversation_id,
            case_id=case_id,
            details=details,
        )
        session.add(interaction)
        return interaction
