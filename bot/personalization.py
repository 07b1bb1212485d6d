"""Personal answers: how to address a customer, loyalty, and what is open for them.

Pure functions over a :class:`~bot.crm.schemas.CustomerProfile` and the
current moment. They decide *what* to say; the wording lives in ``domain.yml``
responses, which receive the values prepared here (already formatted as
customers read them: 27.11.2026, 1.234,56 €).

Say a fact once: the greeting after the verification comes in the same turn
as the answer to the customer's request. Every highlight knows the topics
whose answer states the same fact (:attr:`Highlight.answered_by`, from
:data:`ANSWERED_BY`), and :func:`select_highlights` leaves those out for the
topic being answered (``answering``), so "Ihre Bestellung ist unterwegs" is
not said by the greeting and again by the order status.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from types import MappingProxyType

from bot.crm.enums import AppointmentStatus, CaseStatus, OrderStatus
from bot.crm.schemas import Customer, CustomerProfile, Vehicle
from bot.formatting import format_date, format_money, format_time
from bot.time_facts import has_passed, invoice_is_overdue, is_ahead
from bot.vehicles import vehicle_label

LONG_STANDING_YEARS = 10
"""A customer this many years or longer is thanked for their loyalty."""
NEW_CUSTOMER_DAYS = 90
"""A customer for fewer days than this is welcomed as new."""
APPOINTMENT_SOON_DAYS = 14
SERVICE_DUE_SOON_DAYS = 30
MAX_HIGHLIGHTS = 2

# Most relevant first: safety, then what the customer can act on today, then
# what they are waiting for from us, then money, then upcoming dates.
RECALL = "recall"
READY_FOR_PICKUP = "ready_for_pickup"
OPEN_CASE = "open_case"
OVERDUE_INVOICE = "overdue_invoice"
UPCOMING_APPOINTMENT = "upcoming_appointment"
ORDER_SHIPPED = "order_shipped"
ORDER_SHIPPED_UNDATED = "order_shipped_undated"
ORDER_SHIPPED_LATE = "order_shipped_late"
ORDER_DELAYED = "order_delayed"
SERVICE_OVERDUE = "service_overdue"
ORDER_IN_PRODUCTION = "order_in_production"
ORDER_CONFIRMED = "order_confirmed"
SERVICE_DUE_SOON = "service_due_soon"

_PRIORITY = {
    RECALL: 0,
    READY_FOR_PICKUP: 1,
    OPEN_CASE: 2,
    OVERDUE_INVOICE: 3,
    # an appointment soon and an order arriving soon: whichever comes first
    UPCOMING_APPOINTMENT: 4,
    ORDER_SHIPPED: 4,
    ORDER_SHIPPED_UNDATED: 4,
    ORDER_SHIPPED_LATE: 4,
    SERVICE_OVERDUE: 5,
    ORDER_DELAYED: 6,
    ORDER_IN_PRODUCTION: 6,
    ORDER_CONFIRMED: 6,
    SERVICE_DUE_SOON: 7,
}

SERVICE_VISITS = ("Inspektion", "Wartung")
"""Appointment services that are the vehicle's due service (``service_due`` names them)."""

_ORDERS = frozenset(
    {
        ORDER_SHIPPED,
        ORDER_SHIPPED_UNDATED,
        ORDER_SHIPPED_LATE,
        ORDER_DELAYED,
        ORDER_IN_PRODUCTION,
        ORDER_CONFIRMED,
    }
)
_APPOINTMENT_CHANGES = ("appointment_status", "reschedule_appointment", "cancel_appointment")

ANSWERED_BY: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        RECALL: frozenset({"recall_check"}),
        READY_FOR_PICKUP: frozenset({"appointment_status"}),
        OPEN_CASE: frozenset(),  # no answer restates an open case
        OVERDUE_INVOICE: frozenset({"invoice_question"}),
        UPCOMING_APPOINTMENT: frozenset(_APPOINTMENT_CHANGES),
        **{kind: frozenset({"order_status"}) for kind in _ORDERS},
        SERVICE_OVERDUE: frozenset({"service_due"}),
        SERVICE_DUE_SOON: frozenset({"service_due"}),
    }
)
"""Highlight kind -> the topics whose answer states the same fact (the greeting leaves it out).

The order status covers the customer's orders; the appointment status a car
ready for pick-up and the booked appointments (rescheduling and cancelling
name the appointment too); the invoice overview the overdue invoices; the
service check the service dates (and an inspection already booked, see
:func:`_appointments`); the recall check the recalls.
"""


@dataclass(frozen=True)
class Highlight:
    """One thing that is open for the customer, worth one sentence.

    Attributes:
        kind: What it is (``recall``, ``open_case``, ...); the response is
            ``utter_highlight_<kind>``.
        when: The date that orders highlights of the same priority.
        values: The response's placeholders, formatted for customers.
        also_answered_by: Topics beyond :data:`ANSWERED_BY` whose answer
            states this record (an inspection booked: ``service_due``).

    """

    kind: str
    when: date
    values: dict[str, str] = field(default_factory=dict)
    also_answered_by: frozenset[str] = frozenset()

    @property
    def priority(self) -> int:
        """Lower is more relevant."""
        return _PRIORITY[self.kind]

    @property
    def answered_by(self) -> frozenset[str]:
        """The topics whose answer says this too (:data:`ANSWERED_BY`, and this record's own)."""
        return ANSWERED_BY[self.kind] | self.also_answered_by


@dataclass(frozen=True)
class Loyalty:
    """Why to thank or welcome the customer.

    Attributes:
        kind: ``long_standing`` or ``new_customer``; the response is
            ``utter_loyalty_<kind>``.
        values: The response's placeholders.

    """

    kind: str
    values: dict[str, str] = field(default_factory=dict)


def addressee(customer: Customer) -> str:
    """Return how to address the customer: "Frau Schmidt" (or the full name without salutation)."""
    if customer.salutation.strip():
        return f"{customer.salutation.strip()} {customer.last_name}"
    return f"{customer.first_name} {customer.last_name}".strip()


def completed_years(since: date, today: date) -> int:
    """Return the whole years from ``since`` to ``today``."""
    years = today.year - since.year
    if (today.month, today.day) < (since.month, since.day):
        years -= 1
    return max(0, years)


def loyalty(customer: Customer, today: date) -> Loyalty | None:
    """Return the loyalty worth mentioning: long-standing customers and new ones.

    Args:
        customer: The customer's master data.
        today: Today's date.

    Returns:
        ``long_standing`` for customers of :data:`LONG_STANDING_YEARS` years
        or more, ``new_customer`` for customers of fewer than
        :data:`NEW_CUSTOMER_DAYS` days, otherwise None.

    """
    years = completed_years(customer.customer_since, today)
    if years >= LONG_STANDING_YEARS:
        return Loyalty(
            "long_standing",
            {"customer_since_year": str(customer.customer_since.year), "loyalty_years": str(years)},
        )
    if 0 <= (today - customer.customer_since).days < NEW_CUSTOMER_DAYS:
        return Loyalty("new_customer")
    return None


def select_highlights(
    profile: CustomerProfile,
    now: datetime,
    limit: int = MAX_HIGHLIGHTS,
    *,
    answering: str | None = None,
) -> list[Highlight]:
    """Return what is open for the customer, most relevant first, at most ``limit``.

    Args:
        profile: The customer's profile from the CRM.
        now: The customers' wall-clock time (an appointment that has begun
            is no longer ahead; a date before today has passed).
        limit: How many highlights to return.
        answering: The topic answered in the same turn: what its answer
            says is left out (:attr:`Highlight.answered_by`), and the next
            highlights take its place.

    Returns:
        Highlights sorted by priority, then by date (soonest or oldest first).

    """
    today = now.date()
    found = [
        *_recalls(profile),
        *_appointments(profile, now),
        *_cases(profile),
        *_invoices(profile, today),
        *_orders(profile, today),
        *_services(profile, today),
    ]
    found = [item for item in found if answering not in item.answered_by]
    found.sort(key=lambda item: (item.priority, item.when))
    return found[:limit]


def _vehicles(profile: CustomerProfile) -> dict[str, Vehicle]:
    return {vehicle.vin: vehicle for vehicle in profile.vehicles}


def _recalls(profile: CustomerProfile) -> list[Highlight]:
    vehicles = _vehicles(profile)
    return [
        Highlight(
            RECALL,
            date.min,
            {
                "vehicle": vehicle_label(vehicles.get(notice.vin), notice.model or notice.vin),
                "campaign_code": notice.campaign_code,
                "recall_title": notice.title,
            },
        )
        for notice in profile.recalls
    ]


def _appointments(profile: CustomerProfile, now: datetime) -> list[Highlight]:
    vehicles = _vehicles(profile)
    today = now.date()
    found = []
    for appointment in profile.appointments:
        day = appointment.starts_at.date()
        workshop = {"workshop_name": appointment.workshop.name}
        if appointment.status is AppointmentStatus.READY_FOR_PICKUP:
            vehicle = vehicles.get(appointment.vehicle_vin or "")
            found.append(
                Highlight(
                    READY_FOR_PICKUP,
                    day,
                    {**workshop, "vehicle": vehicle_label(vehicle, appointment.service)},
                )
            )
        elif (
            appointment.status is AppointmentStatus.BOOKED
            and is_ahead(appointment.starts_at, now)
            and day <= today + timedelta(days=APPOINTMENT_SOON_DAYS)
        ):
            found.append(
                Highlight(
                    UPCOMING_APPOINTMENT,
                    day,
                    {
                        **workshop,
                        "appointment_service": appointment.service,
                        "appointment_date": format_date(day),
                        "appointment_time": format_time(appointment.starts_at),
                    },
                    frozenset({"service_due"})
                    if appointment.service in SERVICE_VISITS
                    else frozenset(),
                )
            )
    return found


def _cases(profile: CustomerProfile) -> list[Highlight]:
    return [
        Highlight(
            OPEN_CASE,
            case.opened_at.date(),
            {"case_subject": case.subject, "case_number": case.case_number},
        )
        for case in profile.cases
        if case.status in (CaseStatus.OPEN, CaseStatus.IN_PROGRESS)
    ]


def _invoices(profile: CustomerProfile, today: date) -> list[Highlight]:
    return [
        Highlight(
            OVERDUE_INVOICE,
            invoice.due_on,
            {
                "invoice_number": invoice.invoice_number,
                "invoice_amount": format_money(invoice.amount_eur),
                "invoice_due_date": format_date(invoice.due_on),
            },
        )
        for invoice in profile.invoices
        if invoice_is_overdue(invoice, today)
    ]


def _orders(profile: CustomerProfile, today: date) -> list[Highlight]:
    kinds = {
        OrderStatus.SHIPPED: ORDER_SHIPPED,
        OrderStatus.IN_PRODUCTION: ORDER_IN_PRODUCTION,
        OrderStatus.ORDERED: ORDER_CONFIRMED,
    }
    found = []
    for order in profile.orders:
        kind = kinds.get(order.status)
        if kind is None:
            continue
        values = {"order_item": order.item}
        if order.expected_delivery is not None:
            values["order_delivery_date"] = format_date(order.expected_delivery)
            if has_passed(order.expected_delivery, today):
                kind = ORDER_SHIPPED_LATE if kind == ORDER_SHIPPED else ORDER_DELAYED
            found.append(Highlight(kind, order.expected_delivery, values))
        elif kind == ORDER_SHIPPED:
            found.append(Highlight(ORDER_SHIPPED_UNDATED, date.max, values))
    return found


def _services(profile: CustomerProfile, today: date) -> list[Highlight]:
    found = []
    for vehicle in profile.vehicles:
        due = vehicle.next_service_due
        if due is None or due > today + timedelta(days=SERVICE_DUE_SOON_DAYS):
            continue
        kind = SERVICE_OVERDUE if has_passed(due, today) else SERVICE_DUE_SOON
        found.append(
            Highlight(
                kind, due, {"vehicle": vehicle_label(vehicle), "service_due_date": format_date(due)}
            )
        )
    return found
