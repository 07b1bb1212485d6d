import time

from rasa_sdk.executor import CollectingDispatcher

from actions.greeting import ActionGreet
from tests.actions.conftest import as_dict, make_tracker, responses, user

TOKEN_LOGIN = {"verified_customer_number": "K-100001", "verification_method": "customer_token"}


async def greet(services, domain, slots=None):
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(domain, [user("Hallo", "greet")], slots)
    events = await ActionGreet(services).run(dispatcher, tracker, domain)
    return events, dispatcher


async def test_a_stranger_gets_the_general_greeting(services, domain) -> None:
    events, dispatcher = await greet(services, domain)
    assert events == [] and responses(dispatcher) == ["utter_greet"]


async def test_a_verified_customer_is_greeted_by_name_with_loyalty_and_news(
    services, domain
) -> None:
    events, dispatcher = await greet(services, domain, TOKEN_LOGIN)
    assert responses(dispatcher) == [
        "utter_greet_customer",
        "utter_loyalty_long_standing",
        "utter_highlight_order_shipped",
        "utter_highlight_upcoming_appointment",
        "utter_ask_how_can_i_help",
    ]
    first, thanks = dispatcher.messages[0], dispatcher.messages[1]
    assert first["addressee"] == "Frau Schmidt"
    assert (thanks["customer_since_year"], thanks["loyalty_years"]) == ("2004", "22")
    assert dispatcher.messages[2]["order_delivery_date"] == "26.11.2026"
    assert as_dict(events) == {"customer_greeted": True}


async def test_loyalty_is_said_once_not_on_every_turn(services, domain) -> None:
    events, dispatcher = await greet(services, domain, {**TOKEN_LOGIN, "customer_greeted": True})
    assert responses(dispatcher) == ["utter_greet_customer_again"]
    assert dispatcher.messages[0]["addressee"] == "Frau Schmidt"
    assert events == []


async def test_crm_down_still_gets_a_greeting_quickly(unreachable_services, domain) -> None:
    started = time.perf_counter()
    events, dispatcher = await greet(unreachable_services, domain, TOKEN_LOGIN)
    assert time.perf_counter() - started < 3
    assert responses(dispatcher) == ["utter_greet"] and events == []


async def test_a_hung_crm_still_gets_a_greeting_within_the_budget(hung_services, domain) -> None:
    started = time.perf_counter()
    _, dispatcher = await greet(hung_services, domain, TOKEN_LOGIN)
    assert time.perf_counter() - started < 2.5
    assert responses(dispatcher) == ["utter_greet"]
