"""Who the customer is and what they have: verification, profile, contact data."""

from __future__ import annotations

import hmac

from sqlalchemy import select

from bot.crm import models, schemas
from bot.crm.enums import Channel
from bot.crm.errors import CRMValidationError
from bot.crm.identifiers import (
    is_valid_postal_code,
    normalize_customer_number,
    normalize_postal_code,
)
from bot.crm.service import mapping, records
from bot.crm.service.attempts import (
    VERIFICATION_LIMIT,
    clear_failures,
    locked_until,
    record_failure,
)
from bot.crm.service.base import ServiceBase

RECENT_INTERACTIONS = 20
_FIELD_LABELS = {
    "street": "Straße",
    "postal_code": "PLZ",
    "city": "Ort",
    "country": "Land",
    "email": "E-Mail",
    "phone": "Telefon",
}
_NO_SUCH_POSTAL_CODE = "\0"
VERIFICATION_LOCKED = "verification_locked"
"""History topic of the day a customer number's chat verification was locked."""


class CustomerOperations(ServiceBase):
    """Verification, profile and contact data of customers."""

    def verify_customer(self, customer_number: str, postal_code: str) -> schemas.VerificationResult:
        """Check a customer number against the postal code on file, within the attempt limit.

        The answer is the same for an unknown number and a wrong postal code,
        and both paths do the same comparison, so neither answer nor timing
        tells whether a number exists. Failures count per customer number in
        the database (:data:`VERIFICATION_LIMIT`), whichever conversation or
        channel they come from; a locked number is not checked at all, known
        or not, until the lock ends. The customer's history records when
        the lock starts, so an agent sees it.

        Args:
            customer_number: Any spelling ("k100001", "100001").
            postal_code: As typed ("80331", "CH-8001").

        Returns:
            ``verified`` and, when verified, the canonical customer number;
            ``locked_until`` when the number is locked.

        """
        number = normalize_customer_number(customer_number)
        subject = number or customer_number.strip().upper()
        now = self._now_utc()
        with self._writing() as session:
            until = locked_until(session, VERIFICATION_LIMIT, subject, now)
            if until is not None:
                return schemas.VerificationResult(
                    verified=False, customer_number=None, locked_until=until
                )
            customer = None
            if number is not None:
                customer = session.execute(
                    select(models.Customer.id, models.Customer.postal_code).where(
                        models.Customer.customer_number == number
                    )
                ).one_or_none()
            stored = (customer.postal_code if customer else None) or _NO_SUCH_POSTAL_CODE
            given = normalize_postal_code(postal_code)
            verified = hmac.compare_digest(stored.encode(), given.encode())
            if verified:
                clear_failures(session, VERIFICATION_LIMIT, subject)
                return schemas.VerificationResult(
                    verified=True, customer_number=number, locked_until=None
                )
            record_failure(session, VERIFICATION_LIMIT, subject, now)
            until = locked_until(session, VERIFICATION_LIMIT, subject, now)
            if until is not None and customer is not None:
                self._log(
                    session,
                    customer.id,
                    channel=Channel.CHAT,
                    topic=VERIFICATION_LOCKED,
                    summary=(
                        f"Identitätsprüfung im Chat nach {VERIFICATION_LIMIT.max_failures} "
                        f"Fehlversuchen gesperrt bis {until:%d.%m.%Y %H:%M} Uhr (UTC)"
                    ),
                )
        return schemas.VerificationResult(verified=False, customer_number=None, locked_until=until)

    def get_profile(self, customer_number: str) -> schemas.CustomerProfile:
        """Return the customer with vehicles, orders, invoices, contracts and history.

        Raises:
            CRMValidationError: The number is malformed.
            CustomerNotFound: No such customer.

        """
        number = self._customer_number(customer_number)
        with self._reading() as session:
            return records.profile(session, number, RECENT_INTERACTIONS)

    def list_orders(self, customer_number: str) -> list[schemas.Order]:
        """Return the customer's orders, newest first."""
        with self._reading() as session:
            return records.orders(session, self._customer_id(session, customer_number))

    def list_invoices(self, customer_number: str) -> list[schemas.Invoice]:
        """Return the customer's invoices, newest first."""
        with self._reading() as session:
            return records.invoices(session, self._customer_id(session, customer_number))

    def list_contracts(self, customer_number: str) -> list[schemas.Contract]:
        """Return the customer's contracts, newest first."""
        with self._reading() as session:
            return records.contracts(session, self._customer_id(session, customer_number))

    def list_appointments(self, customer_number: str) -> list[schemas.Appointment]:
        """Return the customer's appointments, latest first."""
        with self._reading() as session:
            return records.appointments(session, self._customer_id(session, customer_number))

    def list_cases(self, customer_number: str) -> list[schemas.Case]:
        """Return the customer's cases, newest first."""
        with self._reading() as session:
            return records.cases(session, self._customer_id(session, customer_number))

    def list_interactions(self, customer_number: str, limit: int = 50) -> list[schemas.Interaction]:
        """Return the customer's contact history, newest first."""
        with self._reading() as session:
            customer_id = self._customer_id(session, customer_number)
            return records.interactions(session, customer_id, limit)

    def update_contact(
        self, customer_number: str, change: schemas.ContactChange
    ) -> schemas.Customer:
        """Change address, e-mail or phone; the old values go into the history.

        Raises:
            CustomerNotFound: No such customer.
            CRMValidationError: The postal code does not fit the country.

        """
        with self._writing() as session:
            customer = self._customer(session, customer_number)
            wanted = change.changed_fields()
            if "postal_code" in wanted:
                country = wanted.get("country", customer.country.value)
                if not is_valid_postal_code(country, wanted["postal_code"]):
                    raise CRMValidationError(f"postal_code does not fit country {country}")
            diff = {}
            for field, new in wanted.items():
                old = getattr(customer, field)
                old = getattr(old, "value", old)
                if old != new:
                    diff[field] = {"old": old, "new": new}
                    setattr(customer, field, new)
            if diff:
                labels = ", ".join(_FIELD_LABELS[field] for field in diff)
                self._log(
                    session,
                    customer.id,
                    channel=change.channel,
                    topic="contact_change",
                    summary=f"Kontaktdaten geändert: {labels}",
                    conversation_id=change.conversation_id,
                    details={"changes": diff},
                )
            session.flush()
            return mapping.customer(customer)
