"""Pick the customer a corpus conversation needs from the test CRM, and read their records.

Conversations name what their customer must have (``needs: [open_invoice,
several_vehicles]``); :class:`CustomerPicker` finds a generated customer
(K-2xxxxx) that has it, spreading conversations over the population so that
writes of one conversation do not change what the next one sees. Outcomes are
checked as differences between a :class:`Snapshot` before and after.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

NEEDS: dict[str, str] = {
    "one_vehicle": "(SELECT COUNT(*) FROM vehicles v WHERE v.customer_id = c.id) = 1",
    "several_vehicles": "(SELECT COUNT(*) FROM vehicles v WHERE v.customer_id = c.id) > 1",
    "preferred_workshop": "c.preferred_workshop_id IS NOT NULL",
    "open_invoice": "EXISTS (SELECT 1 FROM invoices i WHERE i.customer_id = c.id"
    " AND i.status IN ('open', 'overdue'))",
    "open_order": "EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id"
    " AND o.status IN ('ordered', 'in_production', 'shipped'))",
    "contract": "EXISTS (SELECT 1 FROM contracts k WHERE k.customer_id = c.id)",
    "leasing": "EXISTS (SELECT 1 FROM contracts k WHERE k.customer_id = c.id"
    " AND k.kind = 'leasing')",
    "active_leasing": "EXISTS (SELECT 1 FROM contracts k WHERE k.customer_id = c.id"
    " AND k.kind = 'leasing' AND k.end_date > DATE('now', '+60 days'))",
    "one_open_order": "(SELECT COUNT(*) FROM orders o WHERE o.customer_id = c.id"
    " AND o.status IN ('ordered', 'in_production', 'shipped')) = 1",
    "appointment_ahead": "EXISTS (SELECT 1 FROM appointments a WHERE a.customer_id = c.id"
    " AND a.status = 'booked' AND a.starts_at > CURRENT_TIMESTAMP)",
    "one_appointment_ahead": "(SELECT COUNT(*) FROM appointments a WHERE a.customer_id = c.id"
    " AND a.status = 'booked' AND a.starts_at > CURRENT_TIMESTAMP) = 1",
    "no_appointment_ahead": "NOT EXISTS (SELECT 1 FROM appointments a WHERE"
    " a.customer_id = c.id AND a.status = 'booked' AND a.starts_at > CURRENT_TIMESTAMP)",
    "no_preferred_workshop": "c.preferred_workshop_id IS NULL",
    "standard_tier": "c.tier IN ('Standard', 'Silver')",
    "gold_tier": "c.tier IN ('Gold', 'Platinum')",
    "german": "c.country = 'DE'",
}
"""What a conversation can ask of its customer, as SQL over customer ``c``."""

RESERVED = {"K-200001", "K-200003", "K-200007", "K-200011", "K-200042"}
"""Generated customers other end-to-end tests write to or read exactly."""


@dataclass(frozen=True)
class Customer:
    """What a script may say of its customer: ``{number}``, ``{postal_code}`` ..."""

    fields: dict[str, str]

    @property
    def number(self) -> str:
        return self.fields["number"]


class CustomerPicker:
    """Generated customers of the test CRM by what they have."""

    def __init__(self, database: Path) -> None:
        self._engine = create_engine(f"sqlite:///{database}")
        self._uses: Counter[str] = Counter()

    def close(self) -> None:
        self._engine.dispose()

    def pick(self, needs: list[str]) -> Customer:
        """Return the least-used generated customer that has everything ``needs`` names."""
        unknown = [need for need in needs if need not in NEEDS]
        assert not unknown, f"unknown needs {unknown}; known: {sorted(NEEDS)}"
        where = " AND ".join(["c.customer_number LIKE 'K-2%'", *(NEEDS[n] for n in needs)])
        with self._engine.connect() as connection:
            numbers = [
                row[0]
                for row in connection.execute(
                    text(f"SELECT c.customer_number FROM customers c WHERE {where}")
                )
                if row[0] not in RESERVED
            ]
        assert numbers, f"no generated customer has {needs}"
        number = min(numbers, key=lambda n: (self._uses[n], n))
        self._uses[number] += 1
        return Customer(self._fields(number))

    def _fields(self, number: str) -> dict[str, str]:
        with self._engine.connect() as connection:
            row = connection.execute(
                text(
                    "SELECT c.id, c.first_name, c.last_name, c.email, c.phone, c.postal_code,"
                    " c.city, w.city FROM customers c LEFT JOIN workshops w"
                    " ON w.id = c.preferred_workshop_id WHERE c.customer_number = :n"
                ),
                {"n": number},
            ).one()
            vehicle = connection.execute(
                text("SELECT model, plate FROM vehicles WHERE customer_id = :id ORDER BY id"),
                {"id": row[0]},
            ).first()
            invoice = connection.execute(
                text(
                    "SELECT invoice_number FROM invoices WHERE customer_id = :id"
                    " AND status IN ('open', 'overdue') ORDER BY id"
                ),
                {"id": row[0]},
            ).first()
            order = connection.execute(
                text(
                    "SELECT order_number FROM orders WHERE customer_id = :id"
                    " AND status IN ('ordered', 'in_production', 'shipped') ORDER BY id"
                ),
                {"id": row[0]},
            ).first()
        return {
            "number": number,
            "number_digits": number.removeprefix("K-"),
            "first_name": row[1],
            "last_name": row[2],
            "email": row[3],
            "phone": row[4],
            "postal_code": row[5],
            "city": row[6],
            "workshop_city": row[7] or "",
            "model": vehicle[0] if vehicle else "",
            "plate": (vehicle[1] or "") if vehicle else "",
            "invoice_number": invoice[0] if invoice else "",
            "order_number": order[0] if order else "",
        }

    def snapshot(self, number: str | None, conversation_id: str) -> Snapshot:
        """Return what the conversation may change, for ``number`` and the conversation."""
        with self._engine.connect() as connection:
            escalations = [
                dict(row._mapping)
                for row in connection.execute(
                    text(
                        "SELECT id, reason_code, status, case_number FROM escalations"
                        " WHERE conversation_id = :cid ORDER BY id"
                    ),
                    {"cid": conversation_id},
                )
            ]
            transcript = [
                row[0]
                for row in connection.execute(
                    text(
                        "SELECT m.text FROM escalation_messages m JOIN escalations e"
                        " ON e.id = m.escalation_id WHERE e.conversation_id = :cid"
                        " AND m.role = 'customer' ORDER BY m.id"
                    ),
                    {"cid": conversation_id},
                )
            ]
            leads = [
                dict(row._mapping)
                for row in connection.execute(
                    text(
                        "SELECT lead_number, name, email, phone, model, preferred_date"
                        " FROM leads WHERE conversation_id = :cid"
                        " OR conversation_id LIKE :cid || '@%'"
                    ),
                    {"cid": conversation_id},
                )
            ]
            if number is None:
                return Snapshot({}, [], {}, escalations, transcript, leads)
            customer = dict(
                connection.execute(
                    text(
                        "SELECT id, email, phone, street, postal_code, city FROM customers"
                        " WHERE customer_number = :n"
                    ),
                    {"n": number},
                )
                .one()
                ._mapping
            )
            appointments = {
                row[0]: (row[1], str(row[2]))
                for row in connection.execute(
                    text(
                        "SELECT appointment_number, status, starts_at FROM appointments"
                        " WHERE customer_id = :id"
                    ),
                    {"id": customer["id"]},
                )
            }
            cases = [
                dict(row._mapping)
                for row in connection.execute(
                    text(
                        "SELECT case_number, kind, priority, description FROM cases"
                        " WHERE customer_id = :id"
                    ),
                    {"id": customer["id"]},
                )
            ]
        return Snapshot(customer, cases, appointments, escalations, transcript, leads)


@dataclass
class Snapshot:
    """A customer's changeable records and a conversation's escalations at one moment."""

    customer: dict[str, Any]
    cases: list[dict[str, Any]]
    appointments: dict[str, tuple[str, str]]
    escalations: list[dict[str, Any]]
    customer_messages_to_agent: list[str]
    leads: list[dict[str, Any]]
