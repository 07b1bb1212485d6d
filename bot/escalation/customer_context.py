"""The customer part of the context package, from the CRM profile.

Only a verified customer gets a profile; a number the customer merely typed
is shown as such, marked unverified, and nothing is looked up for it.

The escalation needs two things from a CRM, named by :class:`CustomerRecords`:
a verified customer's profile and a line in their interaction history. Our
CRM service implements it; another company's CRM plugs in with an adapter
that does (raising :class:`~bot.crm.errors.CRMError` when it fails).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Protocol

from bot.crm.enums import CaseStatus, OrderStatus
from bot.crm.errors import CRMError
from bot.crm.schemas import CustomerProfile, InteractionCreate

logger = logging.getLogger(__name__)

ProfileLoader = Callable[[str], CustomerProfile]


class CustomerRecords(Protocol):
    """What the escalation reads from and writes to a CRM (failures raise CRMError)."""

    def get_profile(self, customer_number: str) -> CustomerProfile:
        """Return the verified customer's profile."""
        ...

    def record_interaction(self, customer_number: str, interaction: InteractionCreate) -> Any:
        """Add a line to the customer's interaction history."""
        ...


RECENT_INTERACTIONS = 5
_CLOSED_ORDERS = {OrderStatus.DELIVERED, OrderStatus.CANCELLED}


def customer_context(
    verified_number: str | None, claimed_number: str | None, load_profile: ProfileLoader | None
) -> dict[str, Any]:
    """Return the customer part of the package as a JSON-ready dict.

    Args:
        verified_number: The customer number verification or a login confirmed.
        claimed_number: A number the customer typed but did not verify.
        load_profile: Reads a profile from the CRM.

    """
    if not verified_number:
        return {
            "customer_number": claimed_number,
            "verified": False,
            "note": "nicht verifiziert" if claimed_number else "unbekannt (nicht verifiziert)",
        }
    if load_profile is None:
        return {"customer_number": verified_number, "verified": True}
    try:
        profile = load_profile(verified_number)
    except CRMError as error:
        logger.warning("No CRM profile for the escalation: %s", error)
        return {
            "customer_number": verified_number,
            "verified": True,
            "note": "Profil nicht abrufbar (CRM)",
        }
    return profile_summary(profile)


def profile_summary(profile: CustomerProfile) -> dict[str, Any]:
    """Return what an agent needs first from a CRM profile."""
    customer = profile.customer
    return {
        "customer_number": customer.customer_number,
        "verified": True,
        "name": f"{customer.salutation} {customer.first_name} {customer.last_name}".strip(),
        "address_name": f"{customer.salutation} {customer.last_name}".strip(),
        "workshop": profile.preferred_workshop.name if profile.preferred_workshop else None,
        "workshop_code": profile.preferred_workshop.code if profile.preferred_workshop else None,
        "tier": customer.tier.value,
        "customer_since": customer.customer_since.isoformat(),
        "email": customer.email,
        "phone": customer.phone,
        "city": customer.city,
        "vehicles": [
            {"model": v.model, "plate": v.plate, "vin": v.vin, "mileage_km": v.mileage_km}
            for v in profile.vehicles
        ],
        "open_orders": [
            {
                "order_number": o.order_number,
                "item": o.item,
                "status": o.status.value,
                "expected_delivery": o.expected_delivery.isoformat()
                if o.expected_delivery
                else None,
            }
            for o in profile.orders
            if o.status not in _CLOSED_ORDERS
        ],
        "open_cases": [
            {
                "case_number": c.case_number,
                "kind": c.kind.value,
                "subject": c.subject,
                "status": c.status.value,
                "priority": c.priority.value,
                "opened_at": c.opened_at.isoformat(),
            }
            for c in profile.cases
            if c.status != CaseStatus.CLOSED
        ],
        "recent_interactions": [
            {
                "occurred_at": i.occurred_at.isoformat(),
                "channel": i.channel.value,
                "summary": i.summary,
                "case_number": i.case_number,
                "conversation_id": i.conversation_id,
            }
            for i in profile.recent_interactions[:RECENT_INTERACTIONS]
        ],
    }
