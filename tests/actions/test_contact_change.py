"""change_address: the form reads, checks and confirms; the CRM keeps the old value."""

from __future__ import annotations

import pytest
from rasa_sdk.events import FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions.contact_change import (
    ActionAskContactChangeConfirmed,
    ActionSubmitContactChange,
    ValidateContactChangeForm,
)
from actions.journeys import JOURNEYS
from actions.slots import identity_signer
from tests.actions.conftest import as_dict, make_tracker, responses
from tests.actions.journey_turns import form_tracker, request_tracker

FORM = "contact_change_form"
NEW_ADDRESS = {"street": "Lindenstraße 14", "postal_code": "50674", "city": "Köln", "country": "DE"}


async def test_the_request_prefills_field_and_value(services, domain) -> None:
    dispatcher = CollectingDispatcher()
    tracker = request_tracker(domain, "Neue Adresse: Lindenstraße 14, 50674 Köln", "change_address")
    events = await JOURNEYS["change_address"](dispatcher, tracker, services, "K-100001")
    assert as_dict(events) == {
        "contact_field": "address",
        "new_address": NEW_ADDRESS,
        "new_email": None,
        "new_phone": None,
        "contact_change_confirmed": None,
    }
    assert events[-1] == FollowupAction(FORM)


async def test_an_email_entity_prefills_the_email(services, domain) -> None:
    dispatcher = CollectingDispatcher()
    tracker = request_tracker(
        domain, "neue mail: a@b.de", "change_address", [("email", "anna@example.org")]
    )
    events = await JOURNEYS["change_address"](dispatcher, tracker, services, "K-100001")
    values = as_dict(events)
    assert (values["contact_field"], values["new_email"]) == ("email", "anna@example.org")


async def validate(services, domain, asked, text, intent="inform", entities=(), slots=None):
    dispatcher = CollectingDispatcher()
    tracker = form_tracker(domain, FORM, asked, text, intent, entities, slots=slots)
    events = await ValidateContactChangeForm(services).run(dispatcher, tracker, domain)
    return as_dict(events), dispatcher


async def test_the_field_from_a_button_then_the_value_is_asked(services, domain) -> None:
    values, _ = await validate(
        services, domain, "contact_field", "/inform", entities=[("contact_field", "phone")]
    )
    assert values == {"contact_field": "phone", "requested_slot": "new_phone"}


async def test_an_invalid_postal_code_is_explained(services, domain) -> None:
    values, dispatcher = await validate(
        services,
        domain,
        "new_address",
        "Musterweg 1, 12345 Wien, Österreich",
        slots={"contact_field": "address"},
    )
    assert responses(dispatcher) == ["utter_contact_invalid_postal_code"]
    assert values["new_address"] is None and values["requested_slot"] == "new_address"


async def test_an_invalid_email_is_explained(services, domain) -> None:
    values, dispatcher = await validate(
        services, domain, "new_email", "anna at example", slots={"contact_field": "email"}
    )
    assert responses(dispatcher) == ["utter_contact_invalid_email"]
    assert values["requested_slot"] == "new_email"


async def test_a_valid_value_leads_to_the_confirmation(services, domain) -> None:
    values, _ = await validate(
        services, domain, "new_phone", "0171 1234567", slots={"contact_field": "phone"}
    )
    assert values == {"new_phone": "0171 1234567", "requested_slot": "contact_change_confirmed"}


async def test_a_new_value_at_the_confirmation_is_a_correction(services, domain) -> None:
    values, _ = await validate(
        services,
        domain,
        "contact_change_confirmed",
        "nein, die richtige ist anna.s@example.org",
        "deny",
        [("email", "anna.s@example.org")],
        slots={"contact_field": "email", "new_email": "anna@example.org"},
    )
    assert values["new_email"] == "anna.s@example.org"
    assert values["contact_change_confirmed"] is None
    assert values["requested_slot"] == "contact_change_confirmed"


async def test_no_at_the_confirmation_asks_for_the_value_again(services, domain) -> None:
    values, dispatcher = await validate(
        services,
        domain,
        "contact_change_confirmed",
        "nein",
        "deny",
        slots={"contact_field": "email", "new_email": "anna@example.org"},
    )
    assert responses(dispatcher) == ["utter_contact_change_correct"]
    assert values["new_email"] is None and values["requested_slot"] == "new_email"


async def test_abbrechen_stops(services, domain) -> None:
    values, dispatcher = await validate(
        services, domain, "new_email", "abbrechen", slots={"contact_field": "email"}
    )
    assert responses(dispatcher) == ["utter_form_stopped"]
    assert values["requested_slot"] is None and values["contact_field"] is None


async def test_the_confirmation_shows_old_and_new(services, domain) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(
        domain,
        [],
        {
            "verified_customer_number": "K-100001",
            "contact_field": "address",
            "new_address": NEW_ADDRESS,
        },
    )
    await ActionAskContactChangeConfirmed(services).run(dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_ask_contact_change_confirmed_address"]
    assert dispatcher.messages[0]["old_value"] == "Sendlinger Straße 12, 80331 München"
    assert dispatcher.messages[0]["new_value"] == "Lindenstraße 14, 50674 Köln"


async def test_the_confirmed_change_is_written_with_the_old_value_in_the_history(
    services, domain, crm_service_local
) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(
        domain,
        [],
        {
            "verified_customer_number": "K-100001",
            "contact_field": "address",
            "new_address": NEW_ADDRESS,
            "contact_change_confirmed": True,
        },
    )
    events = await ActionSubmitContactChange(services).run(dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_contact_changed_address"]
    assert as_dict(events)["new_address"] is None
    customer = crm_service_local.get_profile("K-100001").customer
    assert (customer.street, customer.postal_code, customer.city) == (
        "Lindenstraße 14",
        "50674",
        "Köln",
    )
    entry = crm_service_local.list_interactions("K-100001")[0]
    assert entry.topic == "contact_change"
    assert entry.details["changes"]["postal_code"] == {"old": "80331", "new": "50674"}


async def test_an_unconfirmed_change_writes_nothing(services, domain, crm_service_local) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(
        domain,
        [],
        {"verified_customer_number": "K-100001", "contact_field": "email", "new_email": "x@y.de"},
    )
    await ActionSubmitContactChange(services).run(dispatcher, tracker, domain)
    assert responses(dispatcher) == []
    assert crm_service_local.get_profile("K-100001").customer.email == "anna.schmidt@example.de"


async def test_crm_down_when_writing(unreachable_services, domain) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(
        domain,
        [],
        {
            "verified_customer_number": "K-100001",
            "contact_field": "email",
            "new_email": "x@y.de",
            "contact_change_confirmed": True,
        },
    )
    await ActionSubmitContactChange(unreachable_services).run(dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_crm_unavailable"]


@pytest.mark.parametrize(
    "claim",
    [
        None,  # the slot alone, as a forged tracker would carry it
        "v1." + "0" * 64,
        "signature-of-another-kind",
        "claim-for-another-conversation",
    ],
)
async def test_a_verified_number_without_a_valid_claim_writes_nothing(
    services, domain, crm_service_local, claim
) -> None:
    if claim == "claim-for-another-conversation":
        claim = identity_signer().sign("someone-else", "K-100001")
    confirmed = {
        "verified_customer_number": "K-100001",
        "identity_claim": claim,
        "contact_field": "email",
        "new_email": "angreifer@example.org",
        "contact_change_confirmed": True,
    }
    tracker = make_tracker(domain, [], confirmed)
    await ActionSubmitContactChange(services).run(CollectingDispatcher(), tracker, domain)
    assert crm_service_local.get_profile("K-100001").customer.email == "anna.schmidt@example.de"


async def test_an_email_address_for_what_to_change_is_taken_as_the_new_one(
    services, domain
) -> None:
    values, dispatcher = await validate(services, domain, "contact_field", "peter@example.org")
    assert responses(dispatcher) == ["utter_noted_email"]
    assert (values["contact_field"], values["new_email"]) == ("email", "peter@example.org")
    assert "requested_slot" not in values  # the form goes on to the yes
