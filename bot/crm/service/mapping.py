"""Turn stored rows into the CRM schemas (the only place that knows both)."""

from __future__ import annotations

from bot.crm import models, schemas


def customer(row: models.Customer) -> schemas.Customer:
    """Map a customer row."""
    return schemas.Customer(
        customer_number=row.customer_number,
        salutation=row.salutation,
        first_name=row.first_name,
        last_name=row.last_name,
        email=row.email,
        phone=row.phone,
        street=row.street,
        postal_code=row.postal_code,
        city=row.city,
        country=row.country,
        customer_since=row.customer_since,
        tier=row.tier,
    )


def vehicle(row: models.Vehicle) -> schemas.Vehicle:
    """Map a vehicle row."""
    return schemas.Vehicle(
        vin=row.vin,
        model=row.model,
        plate=row.plate,
        first_registration=row.first_registration,
        mileage_km=row.mileage_km,
        next_service_due=row.next_service_due,
    )


def order(row: models.Order) -> schemas.Order:
    """Map an order row."""
    return schemas.Order(
        order_number=row.order_number,
        kind=row.kind,
        item=row.item,
        status=row.status,
        expected_delivery=row.expected_delivery,
        carrier_tracking=row.carrier_tracking,
    )


def invoice(row: models.Invoice) -> schemas.Invoice:
    """Map an invoice row."""
    return schemas.Invoice(
        invoice_number=row.invoice_number,
        amount_eur=row.amount_eur,
        status=row.status,
        issued_on=row.issued_on,
        due_on=row.due_on,
        reminder_sent_on=row.reminder_sent_on,
        subject=row.subject,
    )


def contract(row: models.Contract) -> schemas.Contract:
    """Map a contract row."""
    return schemas.Contract(
        contract_number=row.contract_number,
        kind=row.kind,
        vehicle_vin=row.vehicle.vin if row.vehicle else None,
        monthly_rate_eur=row.monthly_rate_eur,
        start_date=row.start_date,
        end_date=row.end_date,
        mileage_allowance_km_per_year=row.mileage_allowance_km_per_year,
    )


def workshop(row: models.Workshop) -> schemas.Workshop:
    """Map a workshop row with its opening hours."""
    return schemas.Workshop(
        code=row.code,
        name=row.name,
        street=row.street,
        postal_code=row.postal_code,
        city=row.city,
        country=row.country,
        phone=row.phone,
        hours_display=row.hours_display,
        opening_hours=[
            schemas.OpeningHours(weekday=hours.weekday, opens=hours.opens, closes=hours.closes)
            for hours in row.opening_hours
        ],
    )


def appointment(row: models.Appointment) -> schemas.Appointment:
    """Map an appointment row."""
    return schemas.Appointment(
        appointment_number=row.appointment_number,
        workshop=schemas.WorkshopRef(
            code=row.workshop.code, name=row.workshop.name, city=row.workshop.city
        ),
        vehicle_vin=row.vehicle.vin if row.vehicle else None,
        starts_at=row.starts_at,
        service=row.service,
        status=row.status,
    )


def case(row: models.Case) -> schemas.Case:
    """Map a case row."""
    return schemas.Case(
        case_number=row.case_number,
        kind=row.kind,
        subject=row.subject,
        description=row.description,
        status=row.status,
        priority=row.priority,
        opened_at=row.opened_at,
    )


def interaction(row: models.Interaction) -> schemas.Interaction:
    """Map an interaction row."""
    return schemas.Interaction(
        occurred_at=row.occurred_at,
        channel=row.channel,
        topic=row.topic,
        summary=row.summary,
        case_number=row.case.case_number if row.case else None,
        conversation_id=row.conversation_id,
        details=row.details,
    )


def recall_notice(
    campaign: models.RecallCampaign, vin: str, found: models.Vehicle | None
) -> schemas.RecallNotice:
    """Map a campaign and an affected VIN (with our vehicle record, if any)."""
    return schemas.RecallNotice(
        campaign_code=campaign.code,
        title=campaign.title,
        remedy=campaign.remedy,
        vin=vin,
        model=found.model if found else None,
        plate=found.plate if found else None,
    )
