"""A deterministic generated customer population around the demo customers.

Customer ``index`` (1..N) is generated from its own random seed, so customer
K-200042 always looks the same however many customers are generated and in
whichever runs. Dates are relative to ``reference`` (the demo's "today"), not
to the wall clock. Numbers live in ranges of their own: customers K-2xxxxx,
orders/invoices B-/R-5xxxxxxx, contracts L-1xxxxxx, cases and appointments
C-/T-1xxxxxx, all below the run-time numbers (``RUNTIME_START``).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from faker import Faker

from bot.crm.enums import (
    AppointmentStatus,
    CaseKind,
    CasePriority,
    CaseStatus,
    Channel,
    ContractKind,
    Country,
    InvoiceStatus,
    OrderKind,
    OrderStatus,
    Tier,
)
from bot.crm.seed import catalog
from bot.crm.seed.calendar import hourly_starts

SEED = 20261123
MAX_POPULATION = 99_999
_LOCALES = {Country.DE: "de_DE", Country.AT: "de_AT", Country.CH: "de_CH"}
_CENT = Decimal("0.01")

Row = dict[str, Any]
OpeningHours = dict[int, tuple[time, time]]


def customer_number(index: int) -> str:
    """Return the number of generated customer ``index`` (1 -> K-200001)."""
    if not 1 <= index <= MAX_POPULATION:
        raise ValueError(f"generated customers are numbered 1..{MAX_POPULATION}")
    return f"K-{200_000 + index}"


@dataclass
class CustomerBundle:
    """One generated customer with all their records as plain rows.

    Rows refer to each other by natural keys (``vehicle_vin``,
    ``workshop_code``, ``case_number``); the bulk loader resolves them to ids.
    """

    customer: Row
    vehicles: list[Row] = field(default_factory=list)
    orders: list[Row] = field(default_factory=list)
    invoices: list[Row] = field(default_factory=list)
    contracts: list[Row] = field(default_factory=list)
    cases: list[Row] = field(default_factory=list)
    appointments: list[Row] = field(default_factory=list)
    interactions: list[Row] = field(default_factory=list)


class PopulationGenerator:
    """Generates customers one by one.

    Args:
        reference: The demo's "today"; all dates are relative to it.
        workshops: Opening hours (weekday -> (opens, closes)) by workshop code.
        taken: Workshop slots already booked, as (code, start); updated as
            future appointments are generated so that none collide.

    """

    def __init__(
        self,
        reference: date,
        workshops: dict[str, OpeningHours],
        taken: set[tuple[str, datetime]] | None = None,
    ) -> None:
        self._reference = reference
        self._workshops = workshops
        self._taken = taken if taken is not None else set()
        self._fakers = {country: Faker(locale) for country, locale in _LOCALES.items()}

    def customer(self, index: int) -> CustomerBundle:
        """Generate customer ``index`` with vehicles, orders, invoices and history."""
        rng = random.Random(SEED * 100_003 + index)
        country = rng.choices(list(Country), weights=[70, 15, 15])[0]
        fake = self._fakers[country]
        fake.seed_instance(SEED + index)
        female = rng.random() < 0.5
        first = fake.first_name_female() if female else fake.first_name_male()
        last = fake.last_name()
        postal_code = fake.postcode()
        since = self._reference - timedelta(days=rng.randint(30, 25 * 365))
        bundle = CustomerBundle(
            customer={
                "customer_number": customer_number(index),
                "salutation": "Frau" if female else "Herr",
                "first_name": first,
                "last_name": last,
                "email": catalog.email_address(first, last, index, country),
                "phone": fake.phone_number(),
                "street": fake.street_address(),
                "postal_code": postal_code,
                "city": fake.city(),
                "country": country,
                "customer_since": since,
                "tier": rng.choices(list(Tier), weights=[60, 20, 15, 5])[0],
                "workshop_code": catalog.preferred_workshop(country, postal_code),
            }
        )
        serial = index * 10
        for j in range(rng.choices([0, 1, 2], weights=[10, 70, 20])[0]):
            bundle.vehicles.append(self._vehicle(rng, country, since, serial + j))
        for j in range(rng.choices([0, 1, 2, 3], weights=[35, 35, 20, 10])[0]):
            bundle.orders.append(self._order(rng, serial + j))
        for j in range(rng.choices([0, 1, 2, 3, 4], weights=[20, 30, 25, 15, 10])[0]):
            bundle.invoices.append(self._invoice(rng, serial + j))
        for j, vehicle in enumerate(bundle.vehicles):
            if rng.random() < 0.35:
                bundle.contracts.append(self._contract(rng, serial + j, vehicle))
        for j in range(rng.choices([0, 1, 2], weights=[75, 20, 5])[0]):
            bundle.cases.append(self._case(rng, serial + j))
        self._appointments(rng, bundle, serial)
        self._history(rng, bundle, since)
        return bundle

    def _vehicle(self, rng: random.Random, country: Country, since: date, serial: int) -> Row:
        model, code = rng.choice(catalog.MODELS)
        year = rng.randint(max(2012, since.year), self._reference.year)
        registered = min(date(year, rng.randint(1, 12), rng.randint(1, 28)), self._reference)
        years = (self._reference - registered).days / 365
        return {
            "vin": f"WNL1{code}{year}{serial:06d}",
            "model": model,
            "plate": catalog.plate(country, rng),
            "first_registration": registered,
            "mileage_km": int(years * rng.randint(6_000, 25_000)) + rng.randint(5, 900),
            "next_service_due": self._reference + timedelta(days=rng.randint(-60, 365)),
        }

    def _order(self, rng: random.Random, serial: int) -> Row:
        kind = rng.choices(list(OrderKind), weights=[10, 45, 45])[0]
        statuses = list(OrderStatus)
        weights = [10, 10 if kind is OrderKind.VEHICLE else 0, 10, 60, 10]
        status = rng.choices(statuses, weights=weights)[0]
        delivery_in = {
            OrderStatus.ORDERED: rng.randint(7, 60),
            OrderStatus.IN_PRODUCTION: rng.randint(30, 150),
            OrderStatus.SHIPPED: rng.randint(1, 7),
            OrderStatus.DELIVERED: -rng.randint(5, 900),
        }.get(status)
        tracked = (
            status in (OrderStatus.SHIPPED, OrderStatus.DELIVERED) and kind != OrderKind.VEHICLE
        )
        return {
            "order_number": f"B-{50_000_000 + serial}",
            "kind": kind,
            "item": rng.choice(catalog.ITEMS[kind]),
            "status": status,
            "expected_delivery": (
                None if delivery_in is None else self._reference + timedelta(days=delivery_in)
            ),
            "carrier_tracking": "".join(rng.choices("0123456789", k=20)) if tracked else None,
        }

    def _invoice(self, rng: random.Random, serial: int) -> Row:
        issued = self._reference - timedelta(days=rng.randint(0, 3 * 365))
        due = issued + timedelta(days=30)
        if due < self._reference:
            statuses, weights = (
                [InvoiceStatus.PAID, InvoiceStatus.OVERDUE, InvoiceStatus.DISPUTED],
                [85, 10, 5],
            )
        else:
            statuses, weights = [InvoiceStatus.OPEN, InvoiceStatus.PAID], [90, 10]
        status = rng.choices(statuses, weights=weights)[0]
        reminder = min(due + timedelta(days=14), self._reference)
        return {
            "invoice_number": f"R-{50_000_000 + serial}",
            "amount_eur": (Decimal(rng.randint(4_900, 350_000)) / 100).quantize(_CENT),
            "status": status,
            "issued_on": issued,
            "due_on": due,
            "reminder_sent_on": reminder if status is InvoiceStatus.OVERDUE else None,
            "subject": rng.choice(catalog.INVOICE_SUBJECTS),
        }

    def _contract(self, rng: random.Random, serial: int, vehicle: Row) -> Row:
        kind = rng.choices(list(ContractKind), weights=[45, 35, 20])[0]
        start = vehicle["first_registration"]
        cents = {ContractKind.SERVICE: (2_990, 7_990)}.get(kind, (19_900, 89_900))
        return {
            "contract_number": f"L-{1_000_000 + serial}",
            "kind": kind,
            "vehicle_vin": vehicle["vin"],
            "monthly_rate_eur": (Decimal(rng.randint(*cents)) / 100).quantize(_CENT),
            "start_date": start,
            "end_date": start + timedelta(days=rng.choice([3, 4, 5]) * 365 - 1),
            "mileage_allowance_km_per_year": (
                rng.choice([10_000, 15_000, 20_000, 25_000])
                if kind is ContractKind.LEASING
                else None
            ),
        }

    def _case(self, rng: random.Random, serial: int) -> Row:
        kind = rng.choice(list(CaseKind))
        opened = self._moment(rng, self._reference - timedelta(days=rng.randint(0, 3 * 365)))
        recent = (datetime.combine(self._reference, time()) - opened).days < 30
        status = (
            rng.choice([CaseStatus.OPEN, CaseStatus.IN_PROGRESS]) if recent else CaseStatus.CLOSED
        )
        return {
            "case_number": f"C-{100_000 + serial}",
            "kind": kind,
            "subject": rng.choice(catalog.CASE_SUBJECTS[kind]),
            "description": "",
            "status": status,
            "priority": rng.choices(list(CasePriority), weights=[20, 60, 15, 5])[0],
            "opened_at": opened,
        }

    def _appointments(self, rng: random.Random, bundle: CustomerBundle, serial: int) -> None:
        code = bundle.customer["workshop_code"] or rng.choice(sorted(self._workshops))
        vins = [vehicle["vin"] for vehicle in bundle.vehicles] or [None]
        visits = [
            -rng.randint(7, 1_500) for _ in range(rng.choices([0, 1, 2, 3], [30, 35, 25, 10])[0])
        ]
        if rng.random() < 0.12:
            visits.append(rng.randint(1, 28))
        for j, days in enumerate(sorted(visits)):
            start = self._free_start(rng, code, self._reference + timedelta(days=days))
            if start is None:
                continue
            self._taken.add((code, start))
            bundle.appointments.append(
                {
                    "appointment_number": f"T-{100_000 + serial + j}",
                    "workshop_code": code,
                    "vehicle_vin": rng.choice(vins),
                    "starts_at": start,
                    "service": rng.choice(catalog.SERVICES),
                    "status": AppointmentStatus.DONE if days < 0 else AppointmentStatus.BOOKED,
                }
            )

    def _free_start(self, rng: random.Random, code: str, day: date) -> datetime | None:
        """Return a free full-hour start on ``day`` or one of the next days."""
        hours = self._workshops[code]
        for offset in range(14):
            candidate = day + timedelta(days=offset)
            if candidate.weekday() not in hours:
                continue
            starts = list(hourly_starts(candidate, *hours[candidate.weekday()]))
            rng.shuffle(starts)
            for start in starts:
                if (code, start) not in self._taken:
                    return start
        return None

    def _history(self, rng: random.Random, bundle: CustomerBundle, since: date) -> None:
        first = max(since, self._reference - timedelta(days=4 * 365))
        span = max((self._reference - first).days, 1)
        entries = []
        for _ in range(rng.randint(3, 12)):
            topic, summary = rng.choice(catalog.TOPICS)
            channel = rng.choices(catalog.CHANNELS, weights=catalog.CHANNEL_WEIGHTS)[0]
            moment = self._moment(rng, first + timedelta(days=rng.randrange(span)))
            entries.append(_interaction(moment, channel, topic, summary))
        for case in bundle.cases:
            summary = f"Fall {case['case_number']} eröffnet: {case['subject']}"
            entry = _interaction(case["opened_at"], Channel.PHONE, "case_opened", summary)
            entries.append({**entry, "case_number": case["case_number"]})
        for visit in bundle.appointments:
            if visit["status"] is AppointmentStatus.DONE:
                summary = f"Werkstattbesuch {visit['appointment_number']}: {visit['service']}"
                entries.append(
                    _interaction(visit["starts_at"], Channel.WORKSHOP, "workshop_visit", summary)
                )
        bundle.interactions = sorted(entries, key=lambda entry: entry["occurred_at"])

    @staticmethod
    def _moment(rng: random.Random, day: date) -> datetime:
        return datetime.combine(day, time(rng.randint(7, 18), rng.randrange(0, 60, 5)))


def _interaction(moment: datetime, channel: Channel, topic: str, summary: str) -> Row:
    return {
        "occurred_at": moment,
        "channel": channel,
        "topic": topic,
        "summary": summary,
        "case_number": None,
    }
