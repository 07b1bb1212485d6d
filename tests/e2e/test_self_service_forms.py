"""End to end: the self-service forms (contact change, complaint, breakdown, dealers, test drive).

Writes go to customers whose greeting tests do not depend on them
(K-100005, a generated customer) or to prospects, because the CRM server is
shared by the whole session.
"""

from __future__ import annotations

import pytest

from tests.conversations.corpus import loops
from tests.e2e.chat import Chat, crm_customer, crm_history, crm_lead, customer_token, wait_for

pytestmark = [pytest.mark.model, pytest.mark.e2e]

GENERATED_CUSTOMER = "K-200007"


def test_phone_change_with_invalid_input_a_question_in_between_and_a_yes(
    rasa_server, crm_server
) -> None:
    chat = Chat(rasa_server, metadata={"customer_token": customer_token("K-100005")})
    assert "neue Telefonnummer" in chat.say("Ich habe eine neue Handynummer").text
    assert "nicht nach einer Telefonnummer" in chat.say("12").text
    between = chat.say("Bist du ein Bot?").text
    assert "digitale Assistent" in between and "neue Telefonnummer" in between
    lookup = chat.say("Wo ist meine Bestellung?").text  # answered in between, then back
    assert "Fahrradträger" in lookup and "storniert" in lookup and "neue Telefonnummer" in lookup
    confirm = chat.say("0171 2345678")
    assert "von +49 30 2223344 auf 0171 2345678" in confirm.text
    assert confirm.buttons == ["/affirm", "/deny"]
    assert "gespeichert" in chat.say("/affirm").text
    changes = [e for e in crm_history(crm_server, "K-100005") if e["topic"] == "contact_change"]
    assert changes[0]["details"]["changes"]["phone"] == {
        "old": "+49 30 2223344",
        "new": "0171 2345678",
    }


def test_complaint_gets_a_case_number_and_abbrechen_stops_a_form(rasa_server, crm_server) -> None:
    chat = Chat(rasa_server, metadata={"customer_token": customer_token("K-100005")})
    assert "Was ist passiert?" in chat.say("Ich möchte mich beschweren").text
    assert "Seit wann" in chat.say("Die Lieferung kam beschädigt an").text
    done = chat.say("seit gestern").text
    assert "Ihre Reklamation ist als Fall C-" in done
    number = done.split("Fall ")[1].split(" ")[0]
    history = lambda: crm_history(crm_server, "K-100005")  # noqa: E731
    assert wait_for(lambda: any(e["case_number"] == number for e in history()))
    chat.say("Ich möchte einen Garantiefall melden")
    stopped = chat.say("abbrechen").text
    assert "abgebrochen" in stopped


def test_breakdown_of_a_verified_customer_becomes_an_urgent_case(rasa_server, crm_server) -> None:
    chat = Chat(rasa_server, metadata={"customer_token": customer_token(GENERATED_CUSTOMER)})
    first = chat.say("Mein Auto springt nicht an, ich stehe auf der A9").text
    assert "+49 800 6673 5448" in first  # the hotline first
    assert "Wo stehen Sie gerade?" in first
    several = len(crm_customer(crm_server, GENERATED_CUSTOMER)["vehicles"]) > 1
    turn = chat.say("A9 Richtung München, Kilometer 234")
    assert ("Welches Fahrzeug ist betroffen?" in turn.text) == several, turn.text
    if several:  # the first button
        turn = chat.say(turn.buttons[0])
    assert "dringenden Fall C-" in turn.text
    number = turn.text.split("dringenden Fall ")[1].split(" ")[0].rstrip(".,")
    (case,) = [
        c
        for c in crm_customer(crm_server, GENERATED_CUSTOMER)["cases"]
        if c["case_number"] == number
    ]
    assert (case["kind"], case["priority"]) == ("breakdown", "urgent")
    assert "A9 Richtung München, Kilometer 234" in case["description"]
    events = chat.tracker()["events"]
    actions = [e["name"] for e in events if e["event"] == "action"]
    assert actions.index("action_request_human") > actions.index("action_submit_breakdown")
    reasons = [e["value"] for e in events if e["event"] == "slot" and e["name"] == "handoff_reason"]
    assert "breakdown_urgent" in reasons


def test_dealer_search_by_place_and_nothing_found(rasa_server) -> None:
    chat = Chat(rasa_server)
    assert "In welcher Stadt" in chat.say("Wo finde ich einen Händler?").text
    found = chat.say("Köln").text
    assert "Deutz-Mülheimer Straße 10, 50679 Köln" in found
    assert "Mo-Fr 08:00-18:30" in found and "+49 221 5000200" in found
    nearest = chat.say("Welche Werkstatt ist in der Nähe von 80331?").text
    assert "Nordlicht Werkstatt München-Mitte" in nearest
    assert "In welcher Stadt" in chat.say("Wo gibt es einen Händler?").text
    assert "In Hamburg haben wir leider keinen Standort" in chat.say("Hamburg").text


def test_a_prospect_books_a_test_drive_lead(rasa_server, crm_server) -> None:
    chat = Chat(rasa_server)
    ask_model = chat.say("Ich würde gern eine Probefahrt machen")
    assert '/inform{"vehicle_model": "Vela e"}' in ask_model.buttons
    assert "Wo möchten Sie" in chat.say('/inform{"vehicle_model": "Vela e"}').text
    assert "Wann passt es" in chat.say("1100").text
    assert "Namen" in chat.say("Samstag vormittag").text
    assert "E-Mail oder Telefon" in chat.say("Max Muster").text
    assert "E-Mail-Adresse (name@beispiel.de)" in chat.say("max@").text
    done = chat.say("max.muster@example.at").text
    assert "Probefahrt-Anfrage P-" in done
    assert "Vela e bei Nordlicht Werkstatt Wien, Wunschtermin Samstag vormittag" in done
    lead = crm_lead(crm_server, done.split("Probefahrt-Anfrage ")[1].split(" ")[0])
    assert lead is not None and lead.conversation_id.startswith(chat.sender)
    assert (lead.name, lead.email, lead.model, lead.preferred_date, lead.customer_id) == (
        "Max Muster",
        "max.muster@example.at",
        "Vela e",
        "Samstag vormittag",
        None,
    )


def test_values_for_later_questions_are_kept_while_the_place_is_asked(
    rasa_server, crm_server
) -> None:
    """The issue's example: date, name and e-mail given while the place is asked."""
    chat = Chat(rasa_server)
    chat.say("Ich würde gern eine Probefahrt machen")
    assert "Wo möchten Sie" in chat.say('/inform{"vehicle_model": "Strato GT"}').text
    turns = [(said, chat.say(said)) for said in ("am Samstag", "Peter Lustig", "peter@example.org")]
    answers = [turn.text for _, turn in turns]
    # the place is asked again each time, never three times in the same words
    assert loops([(said, [m.get("text") or "" for m in t.messages]) for said, t in turns]) == []
    assert not any("keinen Standort" in answer for answer in answers)
    assert "„am Samstag“ habe ich mir schon notiert" in answers[0]
    assert "Ihren Namen (Peter Lustig)" in answers[1]
    assert "peter@example.org habe ich mir schon notiert" in answers[2]
    assert all("Wo möchten Sie" in answer for answer in answers)
    offer = chat.say("in Hamburg")  # no workshop there: the nearest to choose from
    assert "In Hamburg haben wir leider keinen Standort" in offer.text
    assert "Nordlicht Autohaus Berlin" in offer.buttons
    done = chat.say("der erste").text  # nothing more to ask
    assert "Probefahrt-Anfrage P-" in done
    assert "bei Nordlicht Autohaus Berlin" in done
    lead = crm_lead(crm_server, done.split("Probefahrt-Anfrage ")[1].split(" ")[0])
    assert lead is not None
    assert (lead.name, lead.email, lead.model, lead.preferred_date) == (
        "Peter Lustig",
        "peter@example.org",
        "Strato GT",
        "am Samstag",
    )


@pytest.mark.parametrize("said", ["am Samstag", "Peter Lustig", "peter@example.org"])
def test_a_date_a_name_or_an_email_is_no_town_for_the_dealer_search(rasa_server, said: str) -> None:
    chat = Chat(rasa_server)
    assert "In welcher Stadt" in chat.say("Wo finde ich einen Händler?").text
    answer = chat.say(said).text
    assert "keinen Standort" not in answer and "keinem Ort zuordnen" in answer, answer


def test_an_email_address_for_what_to_change_goes_on_to_the_yes(rasa_server) -> None:
    chat = Chat(rasa_server, metadata={"customer_token": customer_token("K-100005")})
    assert "Was möchten Sie ändern?" in chat.say("Ich möchte meine Kontaktdaten ändern").text
    answer = chat.say("julia.neu@example.org")
    assert "julia.neu@example.org habe ich mir schon notiert" in answer.text
    assert "auf julia.neu@example.org" in answer.text and answer.buttons[:2] == ["/affirm", "/deny"]
    assert "abgebrochen" in chat.say("abbrechen").text
