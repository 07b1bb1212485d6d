"""Contact details are checked the same way wherever a command carries them."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from bot.crm.schemas import ContactChange, LeadCreate

LEAD = {"name": "Max Muster", "model": "Vela e", "preferred_date": "nächste Woche"}


@pytest.mark.parametrize(
    "build",
    [
        lambda **contact: ContactChange(**contact),
        lambda **contact: LeadCreate(**LEAD, **contact),
    ],
    ids=["contact change", "lead"],
)
@pytest.mark.parametrize(
    "contact",
    [
        {"email": "max@"},
        {"email": "max muster@example.de"},
        {"phone": "12"},
        {"phone": "abc-def-ghi"},
    ],
)
def test_malformed_email_or_phone_is_refused(build, contact: dict[str, str]) -> None:
    with pytest.raises(ValidationError):
        build(**contact)


def test_wellformed_contact_details_pass() -> None:
    change = ContactChange(email="max@example.de", phone="+49 171 1234567")
    lead = LeadCreate(**LEAD, email="max@example.de", phone="+49 171 1234567")
    assert change.changed_fields() == {"email": "max@example.de", "phone": "+49 171 1234567"}
    assert (lead.email, lead.phone) == ("max@example.de", "+49 171 1234567")
