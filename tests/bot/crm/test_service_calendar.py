"""Workshops, free slots and appointments on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine

from bot.crm import models, schemas
from bot.crm.errors import (
    AppointmentNotChangeable,
    AppointmentNotFound,
    CRMValidationError,
    SlotUnavailable,
    VehicleNotFound,
    WorkshopNotFound,
)
from bot.crm.service import CRMService

TUESDAY = date(2026, 11, 24)


def booking(hour: int, **fields: object) -> schemas.AppointmentBooking:
    values = {
        "workshop_code": "berlin",
        "starts_at": datetime(2026, 11, 24, hour),
        "service": "Ölwechsel",
    }
    values.update(fields)
    return schemas.AppointmentBooking(**values)


def free_hours(service: CRMService, code: str = "berlin", day: date = TUESDAY) -> list[int]:
    return [slot.starts_at.hour for slot in service.free_slots(code, day, days=1)]


@pytest.mark.parametrize(
    ("query", "codes"),
    [
        ({"city": "Muenchen"}, ["muenchen-mitte"]),
        ({"city": "zurich"}, ["zuerich"]),
        ({"city": "Hamburg"}, []),
        ({"postal_code": "80999"}, ["muenchen-mitte", "koeln", "berlin"]),
        ({"postal_code": "1220"}, ["wien", "zuerich"]),
        ({"postal_code": "abc"}, []),
    ],
)
def test_find_workshops(crm_service: CRMService, query: dict, codes: list[str]) -> None:
    assert [w.code for w in crm_service.find_workshops(**query)] == codes


def test_free_slots_follow_opening_hours_and_the_clock(crm_service: CRMService) -> None:
    assert free_hours(crm_service, "berlin", TUESDAY) == list(range(8, 19))
    assert free_hours(crm_service, "koeln", date(2026, 11, 28)) == [9, 10, 11, 12, 13]  # Saturday
    assert free_hours(crm_service, "wien", date(2026, 11, 28)) == []
    # today at 09:00: only later slots are offered
    assert free_hours(crm_service, "berlin", date(2026, 11, 23))[0] == 10
    week = crm_service.free_slots("wien", TUESDAY, days=7)
    assert {slot.starts_at.date() for slot in week} == {
        date(2026, 11, d) for d in (24, 25, 26, 27, 30)
    }


def test_free_slots_validation(crm_service: CRMService) -> None:
    with pytest.raises(WorkshopNotFound):
        crm_service.free_slots("hamburg", TUESDAY)
    with pytest.raises(CRMValidationError):
        crm_service.free_slots("berlin", TUESDAY, days=0)


def test_booking_takes_the_slot_and_is_recorded(
    crm_service: CRMService, crm_engine: Engine
) -> None:
    appointment = crm_service.book_appointment(
        "K-100001", booking(10, workshop_code="Berlin", conversation_id="web-9")
    )
    assert appointment.appointment_number == "T-2000001"
    assert (appointment.workshop.code, appointment.starts_at, appointment.status.value) == (
        "berlin",
        datetime(2026, 11, 24, 10),
        "booked",
    )
    assert appointment.vehicle_vin == "WNL0AUR0T2021A001"  # the customer's only vehicle
    assert 10 not in free_hours(crm_service)
    with crm_engine.connect() as connection:
        holder = connection.execute(
            select(models.Appointment.appointment_number)
            .join(models.WorkshopSlot, models.WorkshopSlot.appointment_id == models.Appointment.id)
            .where(models.WorkshopSlot.starts_at == datetime(2026, 11, 24, 10))
        ).scalar_one()
    assert holder == "T-2000001"
    [entry] = crm_service.list_interactions("K-100001", limit=1)
    assert (entry.topic, entry.conversation_id) == ("appointment_booked", "web-9")
    assert "T-2000001" in entry.summary


def test_a_taken_slot_cannot_be_booked_again(crm_service: CRMService) -> None:
    crm_service.book_appointment("K-100001", booking(11))
    with pytest.raises(SlotUnavailable):
        crm_service.book_appointment("K-100002", booking(11))
    assert [a.appointment_number for a in crm_service.list_appointments("K-100002")] == []


@pytest.mark.parametrize(
    "when",
    [
        datetime(2026, 11, 23, 8),
        datetime(2026, 11, 24, 7),
        datetime(2026, 11, 24, 10, 30),
        datetime(2026, 11, 29, 10),
    ],
)
def test_past_or_nonexistent_slots_are_unavailable(crm_service: CRMService, when: datetime) -> None:
    with pytest.raises(SlotUnavailable):
        crm_service.book_appointment("K-100001", booking(10, starts_at=when))


def test_booking_someone_elses_vehicle_fails(crm_service: CRMService) -> None:
    with pytest.raises(VehicleNotFound):
        crm_service.book_appointment("K-100001", booking(12, vehicle_vin="WNL0VEL0E2022B002"))
    assert 12 in free_hours(crm_service)


def test_rescheduling_moves_the_slot(crm_service: CRMService) -> None:
    booked = crm_service.book_appointment("K-100005", booking(13))
    assert booked.vehicle_vin is None
    moved = crm_service.reschedule_appointment(
        "K-100005",
        booked.appointment_number,
        schemas.AppointmentReschedule(starts_at=datetime(2026, 11, 25, 9)),
    )
    assert (moved.appointment_number, moved.starts_at) == (
        booked.appointment_number,
        datetime(2026, 11, 25, 9),
    )
    assert 13 in free_hours(crm_service)
    assert 9 not in free_hours(crm_service, day=date(2026, 11, 25))


def test_rescheduling_to_another_workshop_and_back(crm_service: CRMService) -> None:
    moved = crm_service.reschedule_appointment(
        "K-100001",
        "t5001",
        schemas.AppointmentReschedule(starts_at=datetime(2026, 12, 4, 14), workshop_code="koeln"),
    )
    assert (moved.workshop.code, moved.starts_at) == ("koeln", datetime(2026, 12, 4, 14))
    assert 9 in free_hours(crm_service, "muenchen-mitte", date(2026, 12, 2))
    [entry] = crm_service.list_interactions("K-100001", limit=1)
    assert entry.topic == "appointment_rescheduled" and "02.12.2026 09:00" in entry.summary


def test_rescheduling_to_a_taken_slot_keeps_the_old_one(crm_service: CRMService) -> None:
    mine = crm_service.book_appointment("K-100001", booking(14))
    crm_service.book_appointment("K-100002", booking(15))
    with pytest.raises(SlotUnavailable):
        crm_service.reschedule_appointment(
            "K-100001",
            mine.appointment_number,
            schemas.AppointmentReschedule(starts_at=datetime(2026, 11, 24, 15)),
        )
    appointments = {a.appointment_number: a for a in crm_service.list_appointments("K-100001")}
    assert appointments[mine.appointment_number].starts_at == datetime(2026, 11, 24, 14)
    assert 14 not in free_hours(crm_service)


def test_cancelling_frees_the_slot(crm_service: CRMService) -> None:
    cancelled = crm_service.cancel_appointment(
        "K-100001", "T-5001", schemas.AppointmentCancellation(reason="Urlaub")
    )
    assert cancelled.status.value == "cancelled"
    assert 9 in free_hours(crm_service, "muenchen-mitte", date(2026, 12, 2))
    [entry] = crm_service.list_interactions("K-100001", limit=1)
    assert entry.summary == "Termin T-5001 storniert (Urlaub)"
    with pytest.raises(AppointmentNotChangeable):
        crm_service.cancel_appointment("K-100001", "T-5001", schemas.AppointmentCancellation())


def test_appointments_that_are_not_booked_or_not_ones_own_cannot_change(
    crm_service: CRMService,
) -> None:
    with pytest.raises(AppointmentNotChangeable):  # ready for pickup
        crm_service.cancel_appointment("K-100004", "T-5004", schemas.AppointmentCancellation())
    with pytest.raises(AppointmentNotFound):  # Anna's appointment, asked by Mehmet
        crm_service.cancel_appointment("K-100002", "T-5001", schemas.AppointmentCancellation())
    with pytest.raises(AppointmentNotFound):
        crm_service.reschedule_appointment(
            "K-100001", "T-1", schemas.AppointmentReschedule(starts_at=datetime(2026, 11, 24, 10))
        )
