"""End to end: appointments and vehicle journeys against the running servers and the demo CRM.

Bookings that change the demo data use K-100005 (Frau Becker, Berlin, no car
on file) and workdays from 15 days after the seed on, so the greetings other
tests expect (appointments within 14 days) stay as they are. The days are
chosen where the wanted hours are free, so the tests pass on any day.
"""

from __future__ import annotations

from datetime import date, datetime

import httpx
import pytest

from bot.clock import network_now
from bot.crm.schemas import Workshop
from bot.formatting import format_date, format_weekday
from bot.time_facts import next_pickup
from tests.e2e.chat import Chat, Turn, crm_customer, crm_history, customer_token, wait_for
from tests.support.crm_server import CRM_API_TOKEN
from tests.support.demo_dates import DemoCalendar

pytestmark = [pytest.mark.model, pytest.mark.e2e]

SORRY = "unser Kundensystem antwortet gerade nicht"


def logged_in(rasa_server, number: str) -> Chat:
    return Chat(rasa_server, metadata={"customer_token": customer_token(number)})


def appointments(crm_server, number: str) -> list[dict]:
    return crm_customer(crm_server, number)["appointments"]


def zurich(crm_server) -> Workshop:
    """The Zürich workshop with its opening hours, as the CRM gives it."""
    found = httpx.get(
        f"{crm_server.url}/api/crm/workshops",
        params={"city": "Zürich"},
        headers={"Authorization": f"Bearer {CRM_API_TOKEN}"},
        timeout=10,
    )
    assert found.status_code == 200, found.text
    return Workshop.parse_obj(found.json()[0])


def free_day(crm_server, calendar: DemoCalendar, workshop: str, hours: set[int]) -> date:
    """The first workday from 15 days after the seed on with all ``hours`` free at ``workshop``."""
    for day in calendar.workdays_from(15, 10):
        free = httpx.get(
            f"{crm_server.url}/api/crm/workshops/{workshop}/slots",
            params={"from_date": day.isoformat(), "days": 1},
            headers={"Authorization": f"Bearer {CRM_API_TOKEN}"},
            timeout=10,
        )
        assert free.status_code == 200, free.text
        if hours <= {datetime.fromisoformat(slot["starts_at"]).hour for slot in free.json()}:
            return day
    raise AssertionError(f"no workday with {sorted(hours)} free at {workshop}")


def said(day: date) -> str:
    """How a customer types the day: ``9.12.``."""
    return f"{day.day}.{day.month}."


def test_booking_in_free_text_with_a_correction_is_written_to_the_crm(
    rasa_server, crm_server, demo_calendar: DemoCalendar
) -> None:
    day = free_day(crm_server, demo_calendar, "berlin", {10, 11})
    chat = logged_in(rasa_server, "K-100005")
    before = len(appointments(crm_server, "K-100005"))
    turn = chat.say(f"Ich brauche einen Termin zum Reifenwechsel am {said(day)} um 10 Uhr")
    assert "Soll der Termin wieder bei Nordlicht Autohaus Berlin sein?" in turn.text
    assert turn.buttons == ["/affirm", "/deny"]
    summary = chat.say("ja").text
    shown = format_date(day)
    assert f"Reifenwechsel am {shown} um 10:00 Uhr bei Nordlicht Autohaus Berlin" in summary
    summary = chat.say("lieber um 11").text
    assert f"am {shown} um 11:00 Uhr" in summary
    booked = chat.say("ja").text
    assert f"Ihr Termin ist gebucht: Reifenwechsel am {shown} um 11:00 Uhr" in booked
    after = appointments(crm_server, "K-100005")
    assert len(after) == before + 1
    assert any(a["starts_at"] == f"{day.isoformat()}T11:00:00" for a in after)
    assert wait_for(
        lambda: any(e["topic"] == "appointment_booked" for e in crm_history(crm_server, "K-100005"))
    )


def test_wrong_answers_a_digression_and_stopping_the_booking(rasa_server, crm_server) -> None:
    chat = logged_in(rasa_server, "K-100005")
    before = len(appointments(crm_server, "K-100005"))
    chat.say("Hallo")
    turn = chat.say("Ich möchte einen Werkstatttermin vereinbaren")
    assert "Worum soll es bei dem Termin gehen?" in turn.text
    assert '/inform{"service_type":"inspection"}' in turn.buttons
    assert "Worum soll es bei dem Termin gehen?" in chat.say("Kaffee kochen").text  # asked again
    assert "Nordlicht Autohaus Berlin" in chat.say('/inform{"service_type":"inspection"}').text
    assert "In welcher Stadt" in chat.say("nein").text
    assert "keine Nordlicht Werkstatt" in chat.say("Atlantis").text
    offers = chat.say("Köln")
    assert "als Nächstes frei" in offers.text and len(offers.buttons) == 3
    assert "nicht als Datum" in chat.say("irgendwann halt").text
    helped = chat.say("Was kannst du alles?")  # a question in between
    # the times are offered a third time: asked differently (the loop breaker)
    assert "Pannenhilfe" in helped.text and "einen der freien Termine" in helped.text
    other = chat.say("Wann ist mein nächster Service fällig?")  # another topic
    assert "kein Fahrzeug hinterlegt" in other.text
    back = chat.say("Ich möchte doch einen Werkstatttermin")
    assert "als Nächstes frei" in back.text  # service and workshop are still known
    assert "abgebrochen" in chat.say("abbrechen").text
    assert len(appointments(crm_server, "K-100005")) == before


def test_two_customers_for_one_slot_only_one_gets_it(
    rasa_server, crm_server, demo_calendar: DemoCalendar
) -> None:
    day = free_day(crm_server, demo_calendar, "koeln", {14})
    first, second = logged_in(rasa_server, "K-100005"), logged_in(rasa_server, "K-100002")
    for chat in (first, second):
        turn = chat.say(
            f"Ich möchte am {said(day)} um 14 Uhr einen Termin zur Inspektion in Köln buchen"
        )
        assert f"am {format_date(day)} um 14:00 Uhr bei Nordlicht Autohaus Köln" in turn.text, (
            turn.text
        )
    assert "Ihr Termin ist gebucht" in first.say("ja").text
    lost = second.say("ja")
    assert "gerade vergeben" in lost.text
    assert f"{format_date(day)} 14:00" not in lost.buttons and lost.buttons
    assert not [a for a in appointments(crm_server, "K-100002") if a["workshop"]["code"] == "koeln"]


def test_cancel_and_reschedule_a_booked_appointment(
    rasa_server, crm_server, demo_calendar: DemoCalendar
) -> None:
    day = free_day(crm_server, demo_calendar, "berlin", {9, 15})
    shown = format_date(day)
    booked = httpx.post(
        f"{crm_server.url}/api/crm/customers/K-100005/appointments",
        headers={"Authorization": f"Bearer {CRM_API_TOKEN}"},
        json={
            "workshop_code": "berlin",
            "starts_at": f"{day.isoformat()}T09:00",
            "service": "Ölwechsel",
        },
        timeout=10,
    )
    assert booked.status_code == 201, booked.text
    number = booked.json()["appointment_number"]
    # other tests of the session may have booked for her too: then the bot must ask which one
    several = sum(a["status"] == "booked" for a in appointments(crm_server, "K-100005")) > 1

    def chosen(turn: Turn) -> Turn:
        assert ("Um welchen Termin geht es?" in turn.text) == several, turn.text
        if not several:
            return turn
        assert number in turn.buttons
        return chat.say(number)

    chat = logged_in(rasa_server, "K-100005")
    chosen(chat.say("Ich muss meinen Termin verschieben"))
    turn = chat.say(f"am {said(day)} um 15 Uhr")
    assert f"vom {shown}, 09:00 Uhr, auf den {shown} um 15:00 Uhr" in turn.text
    assert f"Ihr Termin {number} ist jetzt am {shown} um 15:00 Uhr" in chat.say("ja").text

    turn = chosen(chat.say("Ich möchte einen Termin absagen"))
    assert "wirklich absagen" in turn.text
    assert "bleibt bestehen" in chat.say("nein").text
    chosen(chat.say("Bitte sagen Sie meinen Termin ab"))
    assert f"Ihr Termin {number} am {shown} ist abgesagt" in chat.say("ja").text
    status = {a["appointment_number"]: a["status"] for a in appointments(crm_server, "K-100005")}
    assert status[number] == "cancelled"


def test_a_car_ready_for_pick_up_is_announced_with_the_opening_hours(
    rasa_server, crm_server
) -> None:
    chat = logged_in(rasa_server, "K-100004")
    chat.say("Hallo")
    text = chat.say("Ist mein Auto schon fertig?").text
    assert "Ihr Fahrzeug Strato GT (ZH 123456) ist fertig" in text
    assert "Nordlicht Werkstatt Zürich" in text and "Mo-Fr 07:30-18:00, Sa 08:00-12:00" in text
    # today while Zürich is open or still opens today, else its next opening day
    pickup = next_pickup(zurich(crm_server), network_now())
    assert pickup is not None
    if pickup.today:
        assert "kann heute bei Nordlicht Werkstatt Zürich abgeholt werden" in text, text
    else:
        day = f"{format_weekday(pickup.day)}, {format_date(pickup.day)}"
        assert f"hat heute geschlossen – abholen können Sie es ab {day}" in text, text


def test_service_due_offers_a_booking_that_starts_with_the_service_known(
    rasa_server, demo_calendar: DemoCalendar
) -> None:
    chat = logged_in(rasa_server, "K-100002")
    chat.say("Hallo")
    turn = chat.say("Wann muss mein Auto zum Service?")
    due = demo_calendar.shown("today+16d")
    assert f"am {due} fällig" in turn.text and turn.buttons == ["/affirm", "/deny"]
    turn = chat.say("ja")
    assert "Soll der Termin wieder bei Nordlicht Autohaus Köln sein?" in turn.text
    assert "abgebrochen" in chat.say("abbrechen").text


def test_recall_check_names_the_campaign_and_the_remedy(rasa_server) -> None:
    chat = logged_in(rasa_server, "K-100003")
    chat.say("Hallo")
    turn = chat.say("Ist mein Auto von einem Rückruf betroffen?")
    assert "RC-2026-07" in turn.text and "Kostenloser Austausch" in turn.text
    assert "Rückrufreparatur" in turn.text
    assert "In Ordnung" in chat.say("nein danke").text
    unaffected = logged_in(rasa_server, "K-100001")
    unaffected.say("Hallo")
    assert (
        "keine offene Rückrufaktion" in unaffected.say("Gibt es einen Rückruf für mein Auto?").text
    )


def test_the_crm_failing_during_the_booking_is_answered_politely(rasa_server, crm_server) -> None:
    chat = logged_in(rasa_server, "K-100005")
    assert "Worum soll es" in chat.say("Ich möchte einen Werkstatttermin buchen").text
    chat.say('/inform{"service_type":"oil_change"}')
    with crm_server.stopped():
        turn = chat.say("nein")
        turn = chat.say("Köln")
        assert SORRY in turn.text
        assert turn.seconds < 3.0
    again = chat.say("Ich möchte einen Werkstatttermin buchen")
    assert "Worum soll es" in again.text  # starts afresh


def test_a_day_named_while_the_service_is_asked_is_kept_as_the_wish(rasa_server) -> None:
    chat = logged_in(rasa_server, "K-200011")
    chat.say("Ich brauche einen Werkstatttermin")
    noted = chat.say("am Samstag")
    assert "„am Samstag“ habe ich mir schon notiert" in noted.text
    assert "Worum soll es bei dem Termin gehen?" in noted.text  # asked again
    chat.say("Inspektion")
    offered = chat.say("ja")  # the usual workshop
    assert "Zu Ihrem Wunsch passen" in offered.text
    titles = [b["title"] for m in offered.messages for b in m.get("buttons", [])]
    assert titles and all(title.startswith("Sa., ") for title in titles), titles
    chat.say("abbrechen")


def test_a_town_without_a_workshop_offers_the_nearest_to_choose(rasa_server) -> None:
    chat = logged_in(rasa_server, "K-200011")
    chat.say("Ich brauche einen Werkstatttermin")
    chat.say("Inspektion")
    assert "In welcher Stadt" in chat.say("nein").text  # not the usual workshop
    nearest = chat.say("Hamburg")
    assert "In Hamburg haben wir leider keine Werkstatt" in nearest.text
    assert nearest.buttons[:2] == ["Nordlicht Autohaus Berlin", "Nordlicht Autohaus Köln"]
    assert "frei" in chat.say("Nordlicht Autohaus Berlin").text  # chosen: the times there
    chat.say("abbrechen")
