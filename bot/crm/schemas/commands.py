"""What callers send to the CRM: checks and changes, validated on the way in."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from pydantic import Field, root_validator, validator

from bot.crm.enums import CaseKind, CasePriority, Channel, Country
from bot.crm.schemas.base import Command

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
_PHONE = re.compile(r"^\+?[0-9 ()/-]{6,25}$")


def _checked_email(value: str | None) -> str | None:
    if value is not None and not _EMAIL.match(value):
        raise ValueError("is not a valid e-mail address")
    return value


def _checked_phone(value: str | None) -> str | None:
    if value is not None and (not _PHONE.match(value) or sum(c.isdigit() for c in value) < 6):
        raise ValueError("is not a valid phone number")
    return value


class VerificationRequest(Command):
    """Customer number and postal code as the customer typed them."""

    customer_number: str = Field(..., min_length=1, max_length=30)
    postal_code: str = Field(..., min_length=1, max_length=12)


class Origin(Command):
    """Where a change comes from; recorded in the interaction history."""

    channel: Channel = Channel.CHAT
    conversation_id: str | None = Field(None, max_length=100)


class InteractionCreate(Origin):
    """A contact to add to the history."""

    summary: str = Field(..., min_length=1, max_length=500)
    topic: str | None = Field(None, max_length=40)
    case_number: str | None = Field(None, max_length=16)
    occurred_at: datetime | None = Field(None, description="UTC; defaults to now.")


class CaseCreate(Origin):
    """A new case opened on behalf of the customer."""

    kind: CaseKind
    subject: str = Field(..., min_length=1, max_length=160)
    description: str = Field("", max_length=4000)
    priority: CasePriority = CasePriority.NORMAL


class Reachable(Origin):
    """E-mail and phone, each checked when given."""

    email: str | None = Field(None, max_length=254)
    phone: str | None = Field(None, max_length=40)

    @validator("email")
    def _email_format(cls, value: str | None) -> str | None:
        return _checked_email(value)

    @validator("phone")
    def _phone_format(cls, value: str | None) -> str | None:
        return _checked_phone(value)


class ContactChange(Reachable):
    """New contact data; an address is changed as a whole (street, postal code, city)."""

    street: str | None = Field(None, min_length=1, max_length=120)
    postal_code: str | None = Field(None, min_length=4, max_length=10)
    city: str | None = Field(None, min_length=1, max_length=80)
    country: Country | None = None

    @root_validator(skip_on_failure=True)
    def _complete_change(cls, values: dict[str, Any]) -> dict[str, Any]:
        address = [values.get(key) for key in ("street", "postal_code", "city")]
        if any(address) and not all(address):
            raise ValueError("an address change needs street, postal_code and city")
        if values.get("country") and not all(address):
            raise ValueError("a country change needs the full address")
        if not any(address) and not values.get("email") and not values.get("phone"):
            raise ValueError("nothing to change: give an address, email or phone")
        return values

    def changed_fields(self) -> dict[str, str]:
        """Return the fields this change sets, by name."""
        fields = ("street", "postal_code", "city", "country", "email", "phone")
        values = {name: getattr(self, name) for name in fields}
        return {
            name: value.value if isinstance(value, Country) else value
            for name, value in values.items()
            if value is not None
        }


class LeadCreate(Reachable):
    """A test-drive request; ``customer_number`` only for a verified customer."""

    customer_number: str | None = Field(None, max_length=30)
    name: str = Field(..., min_length=2, max_length=120)
    model: str = Field(..., min_length=1, max_length=80)
    workshop_code: str | None = Field(None, max_length=40)
    preferred_date: str = Field(..., min_length=1, max_length=80)

    @root_validator(skip_on_failure=True)
    def _reachable(cls, values: dict[str, Any]) -> dict[str, Any]:
        if not values.get("email") and not values.get("phone"):
            raise ValueError("a lead needs an email or a phone number")
        return values


class AppointmentBooking(Origin):
    """Book a free slot of a workshop."""

    workshop_code: str = Field(..., min_length=1, max_length=40)
    starts_at: datetime = Field(..., description="Start of a free slot (local time).")
    service: str = Field(..., min_length=1, max_length=120)
    vehicle_vin: str | None = Field(None, max_length=17)


class AppointmentReschedule(Origin):
    """Move a booked appointment to another free slot."""

    starts_at: datetime
    workshop_code: str | None = Field(
        None, max_length=40, description="Defaults to the appointment's workshop."
    )


class AppointmentCancellation(Origin):
    """Cancel a booked appointment."""

    reason: str | None = Field(None, max_length=300)
