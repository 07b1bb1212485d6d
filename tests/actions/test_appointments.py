"""Booking, rescheduling, cancelling and the appointment status over the real CRM (in process).

The demo CRM's clock stands at Monday 23.11.2026, 09:00 in Berlin. K-100001
(Frau Schmidt) has one car, the usual workshop München-Mitte and T-5001 on
02.12.2026 (Wednesday) at 09:00; K-100004's car is ready for pick-up in Zürich.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.appointments import (
    appointment_status,
    book_appointment,
    cancel_appointment,
    reschedule_appointment,
)
from actions.appointments_ask import (
    ActionAskAppointmentConfirmed,
    ActionAskAppointmentNumber,
    ActionAskAppointmentStart,
    ActionAskAppointmentWorkshop,
)
from actions.appointments_form import (
    ValidateBookAppointmentForm,
    ValidateCancelAppointmentForm,
)
from actions.appointments_submit import (
    ActionBookAppointment,
    ActionCancelAppointment,
    ActionRescheduleAppointment,
)
from actions.services import Services
from bot.clock import NETWORK_TIMEZONE
from bot.crm.enums import AppointmentStatus
from tests.actions.conftest import action, as_dict, demo_clock, make_tracker, responses, slot, user

SCHMIDT = "K-100001"
SCHMIDT_VIN = "WNL0AUR0T2021A001"
FREE_MONDAY_NOON = "2026-11-23T12:00"
VERIFIED = {"verified_customer_number": SCHMIDT, "verification_method": "postal_code"}


def turn(domain, message, *, form: str, asked: str | None, values: dict[str, Any] | None = None):
    """The tracker a form's validation action gets after ``message``."""
    return make_tracker(
        domain,
        [action("action_listen"), message, slot("requested_slot", asked), action(form)],
        {**VERIFIED, "requested_slot": asked, **(values or {})},
        active_loop=form,
    )


async def validate(services, domain, message, *, asked, values=None, form="book_appointment_form"):
    dispatcher = CollectingDispatcher()
    validator = (
        ValidateCancelAppointmentForm(services)
        if form == "cancel_appointment_form"
        else ValidateBookAppointmentForm(services)
    )
    tracker = turn(domain, message, form=form, asked=asked, values=values)
    events = await validator.run(dispatcher, tracker, domain)
    return as_dict(events), dispatcher


def followups(events) -> list[str]:
    return [e["name"] for e in events if e.get("event") == "followup"]


# --- journeys ------------------------------------------------------------------


async def test_booking_starts_the_form_with_what_the_customer_already_said(
    services, domain
) -> None:
    dispatcher = CollectingDispatcher()
    request = user(
        "Ölwechsel morgen um 10 bitte", "book_appointment", [("service_type", "oil_change")]
    )
    tracker = make_tracker(domain, [request, user("80331", "inform")], VERIFIED)
    events = await book_appointment(dispatcher, tracker, services, SCHMIDT)
    values = as_dict(events)
    assert values["appointment_service"] == "oil_change"
    assert values["appointment_vehicle"] == SCHMIDT_VIN  # her only car: not asked
    assert values["appointment_preference"] == "2026-11-24|2026-11-24|10:00|"
    assert followups(events) == ["book_appointment_form"]
    assert dispatcher.messages == []


async def test_a_customer_without_a_vehicle_is_not_asked_for_one(services, domain) -> None:
    tracker = make_tracker(domain, [user("Termin bitte", "book_appointment")], VERIFIED)
    events = await book_appointment(CollectingDispatcher(), tracker, services, "K-100005")
    assert as_dict(events)["appointment_vehicle"] == "none"


async def test_booking_with_the_crm_down_is_answered_politely(unreachable_services, domain) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(domain, [user("Termin bitte", "book_appointment")], VERIFIED)
    events = await book_appointment(dispatcher, tracker, unreachable_services, SCHMIDT)
    assert responses(dispatcher) == ["utter_crm_unavailable"]
    assert followups(events) == []


# --- the booking form ------------------------------------------------------------


async def test_service_type_by_button_text_or_not_at_all(services, domain) -> None:
    values, _ = await validate(
        services,
        domain,
        user('/inform{"service_type":"tyre_change"}', "inform", [("service_type", "tyre_change")]),
        asked="appointment_service",
    )
    assert values["appointment_service"] == "tyre_change"
    values, dispatcher = await validate(
        services, domain, user("Kaffee kochen", "inform"), asked="appointment_service"
    )
    assert values["appointment_service"] is None
    assert responses(dispatcher) == ["utter_appointment_invalid_service"]


@pytest.mark.parametrize(
    ("message", "workshop"),
    [
        (user("ja", "affirm"), "muenchen-mitte"),  # her usual workshop
        (user("in Berlin", "inform", [("city", "Berlin")]), "berlin"),
        (user("Zurich", "inform"), "zuerich"),
        (user("50667", "inform", [("postal_code", "50667")]), "koeln"),  # the nearest
    ],
)
async def test_the_workshop_is_the_usual_one_or_found_by_place(
    services, domain, message, workshop
) -> None:
    values, _ = await validate(services, domain, message, asked="appointment_workshop")
    assert values["appointment_workshop"] == workshop


async def test_an_unknown_place_is_said_and_asked_again(services, domain) -> None:
    values, dispatcher = await validate(
        services, domain, user("Atlantis", "inform"), asked="appointment_workshop"
    )
    assert values["appointment_workshop"] is None
    assert responses(dispatcher) == ["utter_appointment_workshop_not_found"]
    assert dispatcher.messages[0]["place"] == "Atlantis"


async def test_no_to_the_usual_workshop_asks_for_a_place(services, domain) -> None:
    values, _ = await validate(services, domain, user("nein", "deny"), asked="appointment_workshop")
    assert values["appointment_workshop"] is None
    ask = CollectingDispatcher()
    tracker = turn(
        domain,
        user("nein", "deny"),
        form="book_appointment_form",
        asked="appointment_workshop",
    )
    await ActionAskAppointmentWorkshop(services).run(ask, tracker, domain)
    assert responses(ask) == ["utter_ask_appointment_workshop_place"]


async def test_a_service_named_at_the_usual_workshop_question_corrects_the_service(
    services, domain
) -> None:
    message = user("ach nein, doch lieber die Inspektion", "deny", [("service_type", "inspection")])
    values, _ = await validate(
        services,
        domain,
        message,
        asked="appointment_workshop",
        values={"appointment_service": "oil_change"},
    )
    assert values["appointment_service"] == "inspection"
    assert "appointment_workshop" not in values  # the "nein" is not about the workshop


async def test_an_exact_free_time_is_taken(services, domain) -> None:
    values, dispatcher = await validate(
        services,
        domain,
        user("heute um 12", "inform"),
        asked="appointment_start",
        values={"appointment_workshop": "muenchen-mitte"},
    )
    assert values["appointment_start"] == FREE_MONDAY_NOON
    assert dispatcher.messages == []


async def test_a_taken_time_is_said_and_that_day_is_offered(services, domain) -> None:
    values, dispatcher = await validate(
        services,
        domain,
        user("am 2.12. um 9", "inform"),  # T-5001 holds it
        asked="appointment_start",
        values={"appointment_workshop": "muenchen-mitte"},
    )
    assert values["appointment_start"] is None
    assert values["appointment_preference"] == "2026-12-02|2026-12-02||"
    assert responses(dispatcher) == ["utter_appointment_slot_taken"]
    assert dispatcher.messages[0]["date"] == "02.12.2026"


async def test_gibberish_for_the_time_is_said_and_asked_again(services, domain) -> None:
    values, dispatcher = await validate(
        services,
        domain,
        user("irgendwann halt", "nlu_fallback"),
        asked="appointment_start",
        values={"appointment_workshop": "muenchen-mitte"},
    )
    assert values["appointment_start"] is None
    assert responses(dispatcher) == ["utter_appointment_invalid_time"]


async def test_the_three_nearest_free_slots_are_offered_as_buttons(services, domain) -> None:
    dispatcher = CollectingDispatcher()
    tracker = turn(
        domain,
        user("Inspektion", "inform"),
        form="book_appointment_form",
        asked="appointment_vehicle",
        values={"appointment_workshop": "muenchen-mitte"},
    )
    await ActionAskAppointmentStart(services).run(dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_ask_appointment_start"]
    buttons = dispatcher.messages[0]["buttons"]
    # 09:00 has begun on the demo's Monday; the next ones are offered
    assert [b["title"] for b in buttons] == [
        "Mo., 23.11.2026, 10:00 Uhr",
        "Mo., 23.11.2026, 11:00 Uhr",
        "Mo., 23.11.2026, 12:00 Uhr",
    ]
    assert buttons[0]["payload"] == "23.11.2026 10:00"


async def test_slots_fitting_the_wish_are_offered(services, domain) -> None:
    dispatcher = CollectingDispatcher()
    tracker = turn(
        domain,
        user("nächsten Dienstag vormittag", "inform"),
        form="book_appointment_form",
        asked="appointment_start",
        values={
            "appointment_workshop": "muenchen-mitte",
            "appointment_preference": "2026-11-24|2026-11-24||06:00-12:00",
        },
    )
    await ActionAskAppointmentStart(services).run(dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_ask_appointment_start_wish"]
    assert [b["payload"] for b in dispatcher.messages[0]["buttons"]] == [
        "24.11.2026 08:00",
        "24.11.2026 09:00",
        "24.11.2026 10:00",
    ]


async def test_a_full_wish_offers_the_next_free_slots(services, domain) -> None:
    dispatcher = CollectingDispatcher()
    tracker = turn(
        domain,
        user("Sonntag", "inform"),
        form="book_appointment_form",
        asked="appointment_start",
        values={
            "appointment_workshop": "muenchen-mitte",
            "appointment_preference": "2026-11-29|2026-11-29||",  # closed on Sundays
        },
    )
    await ActionAskAppointmentStart(services).run(dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_ask_appointment_start_wish_full"]
    assert dispatcher.messages[0]["buttons"][0]["payload"] == "30.11.2026 08:00"


async def test_a_later_time_alone_keeps_the_chosen_day(services, domain) -> None:
    values, _ = await validate(
        services,
        domain,
        user("lieber um 11", "inform"),
        asked="appointment_confirmed",
        values={"appointment_workshop": "muenchen-mitte", "appointment_start": "2026-11-24T09:00"},
    )
    assert values["appointment_start"] == "2026-11-24T11:00"
    assert "appointment_confirmed" not in values  # a correction, not a no


async def test_a_correction_of_the_workshop_drops_the_chosen_time(services, domain) -> None:
    values, _ = await validate(
        services,
        domain,
        user("doch lieber in Köln", "inform", [("city", "Köln")]),
        asked="appointment_confirmed",
        values={"appointment_workshop": "muenchen-mitte", "appointment_start": "2026-11-24T09:00"},
    )
    assert values["appointment_workshop"] == "koeln"
    assert values["appointment_start"] is None


async def test_the_summary_names_everything_that_will_be_booked(services, domain) -> None:
    dispatcher = CollectingDispatcher()
    tracker = turn(
        domain,
        user("24.11.2026 10:00", "inform"),
        form="book_appointment_form",
        asked="appointment_start",
        values={
            "appointment_service": "oil_change",
            "appointment_workshop": "muenchen-mitte",
            "appointment_vehicle": SCHMIDT_VIN,
            "appointment_start": "2026-11-24T10:00",
        },
    )
    await ActionAskAppointmentConfirmed(services).run(dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_ask_book_appointment_confirmed"]
    message = dispatcher.messages[0]
    assert (message["service"], message["vehicle"], message["date"], message["time"]) == (
        "Ölwechsel",
        "Aurora Touring (M-AS 2004)",
        "24.11.2026",
        "10:00",
    )
    assert message["workshop_name"] == "Nordlicht Werkstatt München-Mitte"


class WorkshopsDown:
    """The real CRM, except that its workshop directory fails (one endpoint down)."""

    def __init__(self, crm: Any) -> None:
        self._crm = crm

    def __getattr__(self, name: str) -> Any:
        return getattr(self._crm, name)

    async def find_workshops(self, *args: Any, **kwargs: Any) -> Any:
        from bot.crm.errors import CRMUnavailable

        raise CRMUnavailable("workshops down")


async def test_the_summary_without_the_workshop_directory_is_a_polite_apology(
    local_crm, domain
) -> None:
    services = Services(crm_factory=lambda: WorkshopsDown(local_crm), clock=demo_clock)
    dispatcher = CollectingDispatcher()
    tracker = turn(
        domain,
        user("24.11.2026 10:00", "inform"),
        form="book_appointment_form",
        asked="appointment_start",
        values={"appointment_workshop": "muenchen-mitte", "appointment_start": "2026-11-24T10:00"},
    )
    assert await ActionAskAppointmentConfirmed(services).run(dispatcher, tracker, domain) == []
    assert responses(dispatcher) == ["utter_crm_unavailable"]


async def test_no_to_the_summary_lets_the_customer_choose_another_time(services, domain) -> None:
    values, dispatcher = await validate(
        services,
        domain,
        user("nein", "deny"),
        asked="appointment_confirmed",
        values={"appointment_workshop": "muenchen-mitte", "appointment_start": "2026-11-24T10:00"},
    )
    assert values["appointment_start"] is None and values["appointment_confirmed"] is None
    assert responses(dispatcher) == ["utter_appointment_choose_again"]


async def test_abbrechen_stops_the_form_and_forgets_everything(services, domain) -> None:
    values, dispatcher = await validate(
        services,
        domain,
        user("abbrechen", "deny"),
        asked="appointment_start",
        values={"appointment_service": "inspection", "appointment_workshop": "berlin"},
    )
    assert responses(dispatcher) == ["utter_appointment_stopped"]
    assert values["requested_slot"] is None
    assert values["appointment_service"] is None and values["appointment_workshop"] is None


async def test_another_topic_is_left_to_the_rules(services, domain) -> None:
    values, dispatcher = await validate(
        services,
        domain,
        user("Wo ist meine Bestellung?", "order_status"),
        asked="appointment_start",
    )
    assert values == {}  # nothing extracted: the form rejects, the rules answer
    assert dispatcher.messages == []


async def test_a_failing_crm_ends_the_form_politely(unreachable_services, domain) -> None:
    values, dispatcher = await validate(
        unreachable_services, domain, user("ja", "affirm"), asked="appointment_workshop"
    )
    assert responses(dispatcher) == ["utter_crm_unavailable"]
    assert values["requested_slot"] is None


# --- submissions -----------------------------------------------------------------


def finished(domain, customer: str, **values: Any):
    return make_tracker(
        domain,
        [action("book_appointment_form")],
        {
            "verified_customer_number": customer,
            "appointment_confirmed": True,
            **{f"appointment_{k}": v for k, v in values.items()},
        },
    )


async def test_a_confirmed_booking_is_written_and_recorded(
    services, domain, crm_service_local
) -> None:
    dispatcher = CollectingDispatcher()
    tracker = finished(
        domain,
        SCHMIDT,
        service="oil_change",
        workshop="muenchen-mitte",
        vehicle=SCHMIDT_VIN,
        start="2026-11-24T10:00",
    )
    events = await ActionBookAppointment(services).run(dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_appointment_booked"]
    number = dispatcher.messages[0]["appointment_number"]
    assert dispatcher.messages[0]["appointment_date"] == "24.11.2026"
    assert as_dict(events)["appointment_start"] is None  # the form's values are forgotten
    booked = {a.appointment_number: a for a in crm_service_local.get_profile(SCHMIDT).appointments}
    assert booked[number].service == "Ölwechsel"
    assert booked[number].starts_at == datetime(2026, 11, 24, 10)
    assert booked[number].vehicle_vin == SCHMIDT_VIN
    history = crm_service_local.list_interactions(SCHMIDT)
    assert history[0].topic == "appointment_booked" and number in history[0].summary


async def test_the_second_of_two_customers_for_one_slot_chooses_again(
    services, domain, crm_service_local
) -> None:
    slot = {"service": "inspection", "workshop": "berlin", "start": "2026-11-24T10:00"}
    first, second = CollectingDispatcher(), CollectingDispatcher()
    await ActionBookAppointment(services).run(
        first, finished(domain, "K-100005", vehicle="none", **slot), domain
    )
    events = await ActionBookAppointment(services).run(
        second, finished(domain, SCHMIDT, vehicle=SCHMIDT_VIN, **slot), domain
    )
    assert responses(first) == ["utter_appointment_booked"]
    assert responses(second) == ["utter_appointment_slot_gone"]
    assert followups(events) == ["book_appointment_form"]
    assert as_dict(events) == {"appointment_start": None, "appointment_confirmed": None}
    assert not [
        a
        for a in crm_service_local.get_profile(SCHMIDT).appointments
        if a.workshop.code == "berlin"
    ]


async def test_an_unconfirmed_form_writes_nothing(services, domain, crm_service_local) -> None:
    tracker = finished(domain, SCHMIDT, workshop="berlin", start="2026-11-24T10:00")
    tracker.slots["appointment_confirmed"] = None  # stopped
    dispatcher = CollectingDispatcher()
    await ActionBookAppointment(services).run(dispatcher, tracker, domain)
    assert dispatcher.messages == []
    assert len(crm_service_local.get_profile(SCHMIDT).appointments) == 1


# --- reschedule, cancel, status ----------------------------------------------------


async def test_her_only_appointment_is_chosen_for_rescheduling(services, domain) -> None:
    tracker = make_tracker(domain, [user("Termin verschieben", "reschedule_appointment")], VERIFIED)
    events = await reschedule_appointment(CollectingDispatcher(), tracker, services, SCHMIDT)
    values = as_dict(events)
    assert (values["appointment_number"], values["appointment_workshop"]) == (
        "T-5001",
        "muenchen-mitte",
    )
    assert followups(events) == ["reschedule_appointment_form"]


async def test_nothing_to_change_is_said_with_the_offer_to_book(services, domain) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(domain, [user("Termin absagen", "cancel_appointment")], VERIFIED)
    events = await cancel_appointment(dispatcher, tracker, services, "K-100005")
    assert responses(dispatcher) == ["utter_appointment_none_booked"]
    assert followups(events) == []


async def test_rescheduling_moves_the_appointment(services, domain, crm_service_local) -> None:
    dispatcher = CollectingDispatcher()
    tracker = finished(
        domain, SCHMIDT, number="T-5001", workshop="muenchen-mitte", start="2026-12-04T10:00"
    )
    await ActionRescheduleAppointment(services).run(dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_appointment_rescheduled"]
    assert dispatcher.messages[0]["appointment_date"] == "04.12.2026"
    (moved,) = crm_service_local.get_profile(SCHMIDT).appointments
    assert moved.starts_at == datetime(2026, 12, 4, 10)
    assert crm_service_local.list_interactions(SCHMIDT)[0].topic == "appointment_rescheduled"


async def test_no_to_the_cancellation_keeps_the_appointment(services, domain) -> None:
    values, dispatcher = await validate(
        services,
        domain,
        user("nein", "deny"),
        asked="appointment_confirmed",
        values={"appointment_number": "T-5001"},
        form="cancel_appointment_form",
    )
    assert responses(dispatcher) == ["utter_appointment_kept"]
    assert values["requested_slot"] is None and values["appointment_number"] is None


async def test_a_confirmed_cancellation_is_written(services, domain, crm_service_local) -> None:
    dispatcher = CollectingDispatcher()
    tracker = finished(domain, SCHMIDT, number="T-5001")
    await ActionCancelAppointment(services).run(dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_appointment_cancelled"]
    (cancelled,) = crm_service_local.get_profile(SCHMIDT).appointments
    assert cancelled.status is AppointmentStatus.CANCELLED
    assert crm_service_local.list_interactions(SCHMIDT)[0].topic == "appointment_cancelled"


async def test_a_car_ready_for_pick_up_is_announced_with_todays_hours(services, domain) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(domain, [user("Ist mein Auto fertig?", "appointment_status")])
    await appointment_status(dispatcher, tracker, services, "K-100004")
    assert responses(dispatcher) == ["utter_appointment_ready_today"]
    message = dispatcher.messages[0]
    assert message["vehicle"] == "Strato GT (ZH 123456)"
    assert message["workshop_name"] == "Nordlicht Werkstatt Zürich"
    assert message["hours_today"] == "07:30–18:00"
    assert message["hours"] == "Mo-Fr 07:30-18:00, Sa 08:00-12:00"


async def test_the_status_of_a_booked_appointment(services, domain) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(domain, [user("Wann ist mein Termin?", "appointment_status")])
    await appointment_status(dispatcher, tracker, services, SCHMIDT)
    assert responses(dispatcher) == ["utter_appointment_booked_status"]
    assert dispatcher.messages[0]["appointment_date"] == "02.12.2026"
    assert dispatcher.messages[0]["appointment_time"] == "09:00"


async def test_an_exact_wish_is_taken_once_the_workshop_is_known(services, domain) -> None:
    values, _ = await validate(
        services,
        domain,
        user("ja", "affirm"),
        asked="appointment_workshop",
        values={"appointment_preference": "2026-11-24|2026-11-24|10:00|"},
    )
    assert values["appointment_workshop"] == "muenchen-mitte"
    assert values["appointment_start"] == "2026-11-24T10:00"
    assert values["appointment_preference"] is None


async def test_after_a_choice_of_workshops_the_question_is_not_repeated(services, domain) -> None:
    choice = {
        "event": "bot",
        "text": "Dort gibt es mehrere Werkstätten.",
        "metadata": {"utter_action": "utter_appointment_choose_workshop"},
    }
    tracker = make_tracker(
        domain,
        [user("Berlin", "inform"), choice],
        {**VERIFIED, "requested_slot": "appointment_workshop"},
        active_loop="book_appointment_form",
    )
    dispatcher = CollectingDispatcher()
    await ActionAskAppointmentWorkshop(services).run(dispatcher, tracker, domain)
    assert dispatcher.messages == []


async def test_no_with_a_new_time_is_a_correction(services, domain) -> None:
    values, dispatcher = await validate(
        services,
        domain,
        user("nein, lieber um 11", "deny"),
        asked="appointment_confirmed",
        values={"appointment_workshop": "muenchen-mitte", "appointment_start": "2026-11-24T09:00"},
    )
    assert values["appointment_start"] == "2026-11-24T11:00"
    assert "appointment_confirmed" not in values
    assert dispatcher.messages == []


async def test_a_wish_in_the_reschedule_request_is_kept(services, domain) -> None:
    tracker = make_tracker(
        domain, [user("Termin auf Freitag verschieben", "reschedule_appointment")], VERIFIED
    )
    events = await reschedule_appointment(CollectingDispatcher(), tracker, services, SCHMIDT)
    assert as_dict(events)["appointment_preference"] == "2026-11-27|2026-11-27||"
    assert followups(events) == ["reschedule_appointment_form"]


async def test_a_service_named_in_another_topics_question_is_no_answer(services, domain) -> None:
    values, _ = await validate(
        services,
        domain,
        user(
            "Wann ist mein nächster Service fällig?",
            "service_due",
            [("service_type", "inspection")],
        ),
        asked="appointment_start",
        values={"appointment_service": "oil_change", "appointment_workshop": "berlin"},
    )
    assert values == {}  # the form rejects: the service_due journey answers


async def test_the_vehicle_is_chosen_by_its_button_or_refused(services, domain) -> None:
    values, _ = await validate(
        services, domain, user("Aurora Touring (M-AS 2004)", "inform"), asked="appointment_vehicle"
    )
    assert values["appointment_vehicle"] == SCHMIDT_VIN
    values, dispatcher = await validate(
        services, domain, user("den Strato", "inform"), asked="appointment_vehicle"
    )
    assert values["appointment_vehicle"] is None
    assert responses(dispatcher) == ["utter_appointment_invalid_vehicle"]


async def test_with_several_appointments_the_customer_chooses_by_button(
    services, domain, crm_service_local
) -> None:
    from bot.crm.schemas import AppointmentBooking

    second = crm_service_local.book_appointment(
        SCHMIDT,
        AppointmentBooking(
            workshop_code="berlin", starts_at=datetime(2026, 12, 8, 10), service="Ölwechsel"
        ),
    )
    tracker = make_tracker(domain, [user("Termin absagen", "cancel_appointment")], VERIFIED)
    events = await cancel_appointment(CollectingDispatcher(), tracker, services, SCHMIDT)
    assert as_dict(events)["appointment_number"] is None  # to be chosen
    dispatcher = CollectingDispatcher()
    await ActionAskAppointmentNumber(services).run(dispatcher, tracker, domain)
    buttons = dispatcher.messages[0]["buttons"]
    assert [b["payload"] for b in buttons] == ["T-5001", second.appointment_number]
    assert buttons[1]["title"] == "Ölwechsel, 08.12.2026 10:00"
    values, _ = await validate(
        services,
        domain,
        user(second.appointment_number, "inform"),
        asked="appointment_number",
        form="cancel_appointment_form",
    )
    assert values["appointment_number"] == second.appointment_number
    assert values["appointment_workshop"] == "berlin"


async def test_no_free_slot_at_all_is_said(services, domain) -> None:
    dispatcher = CollectingDispatcher()
    tracker = turn(
        domain,
        user("im Juni", "inform"),
        form="book_appointment_form",
        asked="appointment_start",
        values={
            "appointment_workshop": "muenchen-mitte",
            "appointment_preference": "2027-06-01|2027-06-01||",  # beyond the calendar
        },
    )
    await ActionAskAppointmentStart(services).run(dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_appointment_no_free_slots"]


# --- what is said about time is true at any moment ---------------------------------

MEIER = "K-100004"
"""His car is ready at Nordlicht Werkstatt Zürich (Mo-Fr 07:30-18:00, Sa 08:00-12:00)."""


def at(services: Services, *moment: int) -> Services:
    """The same collaborators at a fixed wall-clock time in the customers' time zone."""
    fixed = datetime(*moment, tzinfo=NETWORK_TIMEZONE)
    return Services(services.crm_factory, services.token_secret, clock=lambda: fixed)


@pytest.mark.parametrize(
    ("moment", "hours_today"),
    [
        ((2026, 11, 23, 6, 30), "07:30–18:00"),  # Monday before opening
        ((2026, 11, 23, 17, 45), "07:30–18:00"),  # Monday shortly before closing
        ((2026, 11, 28, 9, 0), "08:00–12:00"),  # Saturday morning
        ((2028, 2, 29, 10, 0), "07:30–18:00"),  # leap day, a Tuesday
    ],
)
async def test_a_ready_car_can_be_picked_up_today_while_the_workshop_opens_today(
    services, domain, moment, hours_today
) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(domain, [user("Ist mein Auto fertig?", "appointment_status")])
    await appointment_status(dispatcher, tracker, at(services, *moment), MEIER)
    assert responses(dispatcher) == ["utter_appointment_ready_today"]
    assert dispatcher.messages[0]["hours_today"] == hours_today


@pytest.mark.parametrize(
    ("moment", "weekday", "day", "hours"),
    [
        ((2026, 11, 23, 18, 0), "Dienstag", "24.11.2026", "07:30–18:00"),  # Monday at closing
        ((2026, 11, 28, 12, 30), "Montag", "30.11.2026", "07:30–18:00"),  # Saturday afternoon
        ((2026, 11, 29, 10, 0), "Montag", "30.11.2026", "07:30–18:00"),  # Sunday
        ((2026, 11, 30, 20, 0), "Dienstag", "01.12.2026", "07:30–18:00"),  # month end
        ((2026, 12, 31, 18, 30), "Freitag", "01.01.2027", "07:30–18:00"),  # year end
        ((2028, 2, 28, 19, 0), "Dienstag", "29.02.2028", "07:30–18:00"),  # before a leap day
    ],
)
async def test_after_closing_and_on_a_closed_day_the_next_opening_day_is_named(
    services, domain, moment, weekday, day, hours
) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(domain, [user("Ist mein Auto fertig?", "appointment_status")])
    await appointment_status(dispatcher, tracker, at(services, *moment), MEIER)
    assert responses(dispatcher) == ["utter_appointment_ready_next_day"]
    message = dispatcher.messages[0]
    assert (message["pickup_weekday"], message["pickup_date"], message["pickup_hours"]) == (
        weekday,
        day,
        hours,
    )
    assert message["workshop_name"] == "Nordlicht Werkstatt Zürich"


async def test_an_appointment_that_has_begun_is_no_longer_offered_or_listed(
    services, domain
) -> None:
    # Schmidt's inspection is on Wednesday 02.12.2026 at 09:00
    status = CollectingDispatcher()
    tracker = make_tracker(domain, [user("Wann ist mein Termin?", "appointment_status")])
    await appointment_status(status, tracker, at(services, 2026, 12, 2, 8, 59), SCHMIDT)
    assert responses(status) == ["utter_appointment_booked_status"]
    begun = CollectingDispatcher()
    await appointment_status(begun, tracker, at(services, 2026, 12, 2, 9, 0), SCHMIDT)
    assert responses(begun) == ["utter_appointment_none_booked"]
    cancel = CollectingDispatcher()
    tracker = make_tracker(domain, [user("Termin absagen", "cancel_appointment")], VERIFIED)
    events = await cancel_appointment(cancel, tracker, at(services, 2026, 12, 2, 9, 30), SCHMIDT)
    assert responses(cancel) == ["utter_appointment_none_booked"]
    assert followups(events) == []


def test_the_pick_up_responses_exist_with_their_placeholders(domain) -> None:
    later = domain["responses"]["utter_appointment_ready_next_day"][0]["text"]
    for placeholder in ("{vehicle}", "{pickup_weekday}", "{pickup_date}", "{pickup_hours}"):
        assert placeholder in later
    assert "utter_appointment_ready_today" in domain["responses"]


@pytest.mark.parametrize(
    ("asked", "values"),
    [
        ("appointment_service", {}),
        ("appointment_workshop", {"appointment_service": "inspection"}),
    ],
)
async def test_a_day_named_before_its_question_is_kept_as_the_wish(
    services, domain, asked: str, values: dict[str, Any]
) -> None:
    found, dispatcher = await validate(
        services, domain, user("am Samstag", "inform"), asked=asked, values=values
    )
    assert responses(dispatcher) == ["utter_noted_date"]  # not "In am Samstag ..."
    assert found[asked] is None
    assert found["appointment_preference"]  # offered with the time question


async def test_an_email_address_is_no_workshop(services, domain) -> None:
    found, dispatcher = await validate(
        services,
        domain,
        user("peter@example.org", "inform"),
        asked="appointment_workshop",
        values={"appointment_service": "inspection"},
    )
    assert responses(dispatcher) == ["utter_dealer_location_unknown"]  # no "Zu peter@..."
    assert found["appointment_workshop"] is None
    assert "appointment_preference" not in found


async def test_a_town_without_a_workshop_offers_the_nearest_as_buttons(services, domain) -> None:
    found, dispatcher = await validate(
        services,
        domain,
        user("in Hamburg", "inform", entities=[("city", "Hamburg")]),
        asked="appointment_workshop",
        values={"appointment_service": "inspection"},
    )
    assert responses(dispatcher) == ["utter_appointment_workshop_nearest"]
    assert dispatcher.messages[0]["place"] == "Hamburg"
    titles = [button["title"] for button in dispatcher.messages[0]["buttons"]]
    assert titles[:2] == ["Nordlicht Autohaus Berlin", "Nordlicht Autohaus Köln"]  # from 20095 on
    assert found["appointment_workshop"] is None
