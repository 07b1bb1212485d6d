"""The demo records are in the CRM exactly as the product's demo spec lists them.

The spec's current dates are relative to the day of loading ("today+3d",
"workday(today+9d)"); these tests seed on the fixed day ``TODAY`` and write
the expected dates the way the spec does.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from bot.crm.seed.relative_dates import first_workday as workday
from bot.crm.service import CRMService
from tests.bot.crm.conftest import TODAY


def days(offset: int) -> date:
    """The spec's ``today+<offset>d`` on the day the test CRM was seeded."""
    return TODAY + timedelta(days=offset)


def test_anna_schmidt_is_seeded_exactly(crm_service: CRMService) -> None:
    profile = crm_service.get_profile("K-100001")
    customer = profile.customer
    assert (customer.salutation, customer.first_name, customer.last_name) == (
        "Frau",
        "Anna",
        "Schmidt",
    )
    assert (customer.email, customer.phone) == ("anna.schmidt@example.de", "+49 89 1234567")
    assert (customer.street, customer.postal_code, customer.city, customer.country.value) == (
        "Sendlinger Straße 12",
        "80331",
        "München",
        "DE",
    )
    assert (customer.customer_since, customer.tier.value) == (date(2004, 3, 15), "Gold")
    [vehicle] = profile.vehicles
    assert vehicle.dict() == {
        "vin": "WNL0AUR0T2021A001",
        "model": "Aurora Touring",
        "plate": "M-AS 2004",
        "first_registration": date(2021, 5, 10),
        "mileage_km": 48210,
        "next_service_due": days(42),
    }
    [order] = profile.orders
    assert (order.order_number, order.kind.value, order.item, order.status.value) == (
        "B-20250001",
        "accessory",
        "Dachbox Nordlicht 420 L",
        "shipped",
    )
    assert (order.expected_delivery, order.carrier_tracking) == (
        days(3),
        "00340434161094042557",
    )
    [invoice] = profile.invoices
    assert (invoice.invoice_number, invoice.amount_eur, invoice.status.value) == (
        "R-20250100",
        Decimal("389.00"),
        "open",
    )
    assert (invoice.issued_on, invoice.due_on, invoice.reminder_sent_on, invoice.subject) == (
        days(-18),
        days(12),
        None,
        "Inspektion Aurora Touring",
    )
    [appointment] = profile.appointments
    assert (appointment.appointment_number, appointment.starts_at) == (
        "T-5001",
        datetime.combine(workday(days(9)), time(9, 0)),
    )
    assert (appointment.workshop.name, appointment.service, appointment.status.value) == (
        "Nordlicht Werkstatt München-Mitte",
        "Inspektion",
        "booked",
    )
    assert profile.cases == [] and profile.contracts == [] and profile.recalls == []
    history = [
        (i.occurred_at.date(), i.channel.value, i.summary)
        for i in reversed(profile.recent_interactions)
    ]
    assert history == [
        (date(2004, 3, 15), "dealership", "Erstkauf Nordlicht Kombi"),
        (date(2021, 5, 10), "dealership", "Kauf Aurora Touring"),
        (days(-18), "workshop", "Inspektion durchgeführt"),
    ]
    assert (
        profile.preferred_workshop is not None
        and profile.preferred_workshop.code == "muenchen-mitte"
    )


def test_mehmet_yilmaz_is_seeded_exactly(crm_service: CRMService) -> None:
    profile = crm_service.get_profile("K-100002")
    customer = profile.customer
    assert (customer.salutation, customer.first_name, customer.last_name, customer.email) == (
        "Herr",
        "Mehmet",
        "Yilmaz",
        "m.yilmaz@example.de",
    )
    assert (customer.phone, customer.street, customer.postal_code, customer.city) == (
        "+49 221 9876543",
        "Aachener Straße 200",
        "50667",
        "Köln",
    )
    assert (customer.customer_since, customer.tier.value, customer.country.value) == (
        date(2022, 8, 1),
        "Standard",
        "DE",
    )
    [vehicle] = profile.vehicles
    assert (vehicle.vin, vehicle.model, vehicle.plate, vehicle.first_registration) == (
        "WNL0VEL0E2022B002",
        "Vela e",
        "K-MY 812",
        date(2022, 9, 1),
    )
    assert (vehicle.mileage_km, vehicle.next_service_due) == (61500, days(16))
    [order] = profile.orders
    assert (
        order.order_number,
        order.kind.value,
        order.item,
        order.status.value,
        order.expected_delivery,
    ) == ("B-20250002", "vehicle", "Vela e Long Range", "in_production", days(82))
    [contract] = profile.contracts
    assert contract.dict() == {
        "contract_number": "L-77001",
        "kind": contract.kind,
        "vehicle_vin": "WNL0VEL0E2022B002",
        "monthly_rate_eur": Decimal("489.00"),
        "start_date": date(2022, 9, 1),
        "end_date": days(270),
        "mileage_allowance_km_per_year": 15000,
    }
    assert contract.kind.value == "leasing"
    [case] = profile.cases
    assert (
        case.case_number,
        case.subject,
        case.kind.value,
        case.status.value,
        case.opened_at.date(),
    ) == ("C-9001", "Ladekabel defekt", "warranty", "open", days(-5))
    history = [
        (i.occurred_at.date(), i.channel.value, i.summary, i.case_number)
        for i in reversed(profile.recent_interactions)
    ]
    assert history == [
        (date(2022, 8, 1), "website", "Leasinganfrage Vela e", None),
        (days(-5), "phone", "Meldung Ladekabel defekt, Fall C-9001 eröffnet", "C-9001"),
    ]
    assert profile.invoices == [] and profile.appointments == []


def test_sophie_wagner_is_seeded_exactly_with_the_recall(crm_service: CRMService) -> None:
    profile = crm_service.get_profile("K-100003")
    customer = profile.customer
    assert (
        customer.salutation,
        customer.first_name,
        customer.last_name,
        customer.email,
        customer.phone,
    ) == ("Frau", "Sophie", "Wagner", "sophie.wagner@example.at", "+43 1 5551234")
    assert (customer.street, customer.postal_code, customer.city, customer.country.value) == (
        "Mariahilfer Straße 5",
        "1010",
        "Wien",
        "AT",
    )
    assert (customer.customer_since, customer.tier.value) == (date(2015, 2, 20), "Standard")
    [vehicle] = profile.vehicles
    assert (vehicle.vin, vehicle.model, vehicle.plate, vehicle.first_registration) == (
        "WNL0AUR0S2019C003",
        "Aurora Limousine",
        "W-12345A",
        date(2019, 4, 2),
    )
    assert (vehicle.mileage_km, vehicle.next_service_due) == (90300, days(-53))
    [invoice] = profile.invoices
    assert (invoice.invoice_number, invoice.amount_eur, invoice.status.value) == (
        "R-20250201",
        Decimal("1245.50"),
        "overdue",
    )
    assert (invoice.issued_on, invoice.due_on, invoice.reminder_sent_on, invoice.subject) == (
        days(-74),
        days(-44),
        days(-21),
        "Reparatur Kupplung",
    )
    [recall] = profile.recalls
    assert (recall.campaign_code, recall.title, recall.vin) == (
        "RC-2026-07",
        "Austausch Bremsschlauch vorne",
        "WNL0AUR0S2019C003",
    )
    assert recall.remedy == "Kostenloser Austausch in jeder Nordlicht Werkstatt, ca. 1 Stunde"
    assert profile.cases == [] and profile.orders == [] and profile.recent_interactions == []


def test_lukas_meier_is_seeded_exactly(crm_service: CRMService) -> None:
    profile = crm_service.get_profile("K-100004")
    customer = profile.customer
    assert (
        customer.salutation,
        customer.first_name,
        customer.last_name,
        customer.email,
        customer.phone,
    ) == ("Herr", "Lukas", "Meier", "lukas.meier@example.ch", "+41 44 1112233")
    assert (customer.street, customer.postal_code, customer.city, customer.country.value) == (
        "Bahnhofstrasse 1",
        "8001",
        "Zürich",
        "CH",
    )
    assert (customer.customer_since, customer.tier.value) == (date(2019, 6, 30), "Platinum")
    [vehicle] = profile.vehicles
    assert (vehicle.vin, vehicle.model, vehicle.plate, vehicle.first_registration) == (
        "WNL0STR0X2024D004",
        "Strato GT",
        "ZH 123456",
        date(2024, 1, 15),
    )
    assert (vehicle.mileage_km, vehicle.next_service_due) == (21000, days(42))
    [appointment] = profile.appointments
    assert (appointment.appointment_number, appointment.starts_at, appointment.workshop.name) == (
        "T-5004",
        datetime.combine(days(0), time(8, 0)),
        "Nordlicht Werkstatt Zürich",
    )
    assert (appointment.service, appointment.status.value) == (
        "Reparatur Fahrwerk",
        "ready_for_pickup",
    )
    cases = [
        (c.case_number, c.subject, c.kind.value, c.status.value, c.opened_at.date())
        for c in profile.cases
    ]
    assert cases == [
        ("C-8950", "Geräusch Fahrwerk erneut", "complaint", "closed", days(-70)),
        ("C-8801", "Geräusch Fahrwerk", "complaint", "closed", date(2026, 6, 2)),
    ]


def test_julia_becker_is_seeded_exactly(crm_service: CRMService) -> None:
    profile = crm_service.get_profile("K-100005")
    customer = profile.customer
    assert (
        customer.salutation,
        customer.first_name,
        customer.last_name,
        customer.email,
        customer.phone,
    ) == ("Frau", "Julia", "Becker", "julia.becker@example.de", "+49 30 2223344")
    assert (customer.street, customer.postal_code, customer.city, customer.country.value) == (
        "Invalidenstraße 50",
        "10115",
        "Berlin",
        "DE",
    )
    assert (customer.customer_since, customer.tier.value) == (days(-64), "Standard")
    assert profile.vehicles == [] and profile.cases == [] and profile.invoices == []
    [order] = profile.orders
    assert (
        order.order_number,
        order.kind.value,
        order.item,
        order.status.value,
        order.expected_delivery,
    ) == ("B-20250005", "accessory", "Fahrradträger", "cancelled", None)
