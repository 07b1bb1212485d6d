"""A visitor's journey in headless Chromium: demo website, real Rasa server, real actions.

The website (``bot serve`` in demo mode) and the Rasa server with the trained
model and the action server run as real processes on loopback ports.
"""

from __future__ import annotations

import pytest

from bot.customer_tokens import verify_customer_token
from tests.browser.widget import ChatWidget, expect
from tests.e2e.chat import tracker
from tests.support.browser import DESKTOP, PHONE
from tests.support.crm_server import CUSTOMER_TOKEN_SECRET

pytestmark = [pytest.mark.browser, pytest.mark.e2e, pytest.mark.model]

HANDOFF = "Gern verbinde ich Sie mit einer Mitarbeiterin oder einem Mitarbeiter."


@pytest.fixture
def watched(open_page, website):
    def open_(viewport: dict[str, int] = DESKTOP):
        page = open_page(viewport)
        page.page.goto(website.url + "/")
        return page

    yield open_


def test_a_visitor_gets_a_human_and_keeps_the_conversation_across_pages(watched, shoot) -> None:
    desktop = watched()
    page = desktop.page
    chat = ChatWidget(page)
    shoot(page, "site-desktop-home")
    chat.open()
    chat.say("Hallo")
    expect(chat.messages("bot").last).to_contain_text("Nordlicht Automobile", timeout=30_000)

    chat.say("Ich möchte eine Probefahrt machen")
    model = chat.log.get_by_role("button", name="Vela e")
    expect(model).to_be_visible(timeout=30_000)  # the test-drive form asks for the model
    shoot(page, "widget-desktop-rasa-button")
    answered = len(chat.bubble_texts("bot"))
    model.click()
    expect(chat.messages("bot").nth(answered)).to_be_visible(timeout=30_000)  # the next question
    chat.say("Ich möchte lieber mit einem Menschen sprechen")
    expect(chat.log.get_by_text(HANDOFF)).to_be_visible(timeout=30_000)
    # the handoff's second sentence (queue position; agents always on duty here) ends the turn
    expect(chat.log.get_by_text("Warteschlange")).to_be_visible(timeout=30_000)
    assert chat.bubble_texts("user") == [
        "Hallo",
        "Ich möchte eine Probefahrt machen",
        "Vela e",
        "Ich möchte lieber mit einem Menschen sprechen",
    ]
    before = chat.bubble_texts("bot")

    page.reload()
    chat.wait_until_online()
    assert chat.bubble_texts("bot") == before
    expect(model).to_have_count(0)  # answered quick replies stay answered

    page.get_by_role("link", name="Service & Werkstatt").first.click()
    expect(page.get_by_role("heading", name="Service & Werkstatt", level=1)).to_be_visible()
    chat.wait_until_online()
    assert chat.bubble_texts("bot") == before
    shoot(page, "widget-desktop-after-navigation")
    assert desktop.dialogs == [] and desktop.csp_violations() == []


def test_html_typed_by_a_visitor_is_shown_as_text(watched) -> None:
    desktop = watched()
    chat = ChatWidget(desktop.page)
    chat.open()
    chat.say("<img src=x onerror=alert(1)>")
    chat.wait_for_bot_messages(1)
    assert chat.bubble_texts("user") == ["<img src=x onerror=alert(1)>"]
    expect(chat.log.locator("img")).to_have_count(0)
    assert desktop.dialogs == []


def test_a_logged_in_customer_is_greeted_personally_and_sends_the_token(
    watched, rasa_server, shoot
) -> None:
    phone = watched(PHONE)
    page = phone.page
    page.get_by_label("Als Demo-Kundin oder -Kunde anmelden").select_option("K-100001")
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_text("Angemeldet als Frau Anna Schmidt")).to_be_visible()
    shoot(page, "site-phone-logged-in")

    chat = ChatWidget(page)
    chat.open()
    chat.say("Hallo")
    # Recognised by the token: greeted by name, never asked for a customer number.
    expect(chat.messages("bot").first).to_contain_text("Guten Tag Frau Schmidt", timeout=30_000)
    assert not any("Kundennummer" in text for text in chat.bubble_texts("bot"))
    shoot(page, "widget-phone-personal-greeting")

    events = tracker(rasa_server, chat.session_id())["events"]
    user_events = [event for event in events if event["event"] == "user"]
    tokens = {event["metadata"].get("customer_token") for event in user_events}
    assert len(tokens) == 1
    (token,) = tokens
    assert verify_customer_token(token, CUSTOMER_TOKEN_SECRET) == "K-100001"
    assert user_events[0]["metadata"]["channel"] == "socketio"

    page.get_by_role("button", name="Chat schließen").click()
    page.get_by_role("button", name="Abmelden").click()
    expect(page.get_by_role("button", name="Anmelden")).to_be_visible()
    # Logged out: the customer's conversation is gone from this browser.
    expect(chat.log.locator(".nlc-msg")).to_have_count(0)
