"""The widget in headless Chromium against the demo website and our real website channel.

The bot behind the channel is scripted (``tests.support.scripted_chat``) so that
every kind of message - buttons, images, links, a human agent, HTML-like text -
can be shown on demand, and the server can be stopped and started again.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.browser.widget import ChatWidget, expect
from tests.support.browser import DESKTOP, PHONE, running_website
from tests.support.processes import VENV_BIN, free_port, running_server

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

SECRET = "browser-test-customer-token-secret-0123456789"
INJECTION = "<img src=x onerror=alert(1)>"


@dataclass
class ScriptedSite:
    """The demo website and the scripted chat server it talks to (which can be restarted)."""

    site_url: str
    chat_port: int
    log_dir: Path
    stack: ExitStack | None = None
    polling_only: bool = False

    @property
    def image_url(self) -> str:
        return f"{self.site_url}/static/site/favicon.svg"

    def use_chat(self, *, polling_only: bool = False) -> None:
        """Make sure the chat server runs in this mode (restarting it only if needed)."""
        if self.stack is not None and self.polling_only == polling_only:
            return
        if self.stack is not None:
            self.stop_chat()
        self.start_chat(polling_only=polling_only)

    def start_chat(self, *, polling_only: bool = False) -> None:
        self.polling_only = polling_only
        self.stack = ExitStack()
        command = [
            str(VENV_BIN / "python"), "-m", "tests.support.scripted_chat",
            "--port", str(self.chat_port), "--image-url", self.image_url,
        ]  # fmt: skip
        if polling_only:
            command.append("--polling-only")
        health = f"http://127.0.0.1:{self.chat_port}/health"
        self.stack.enter_context(running_server("scripted-chat", command, health, self.log_dir))

    def stop_chat(self) -> None:
        assert self.stack is not None
        self.stack.close()
        self.stack = None


@pytest.fixture(scope="module")
def site(server_logs: Path) -> Iterator[ScriptedSite]:
    site_port, chat_port = free_port(), free_port()
    chat_url = f"http://127.0.0.1:{chat_port}"
    with running_website("website-scripted", site_port, chat_url, SECRET, server_logs) as web:
        scripted = ScriptedSite(web.url, chat_port, server_logs)
        yield scripted
        if scripted.stack is not None:
            scripted.stop_chat()


@pytest.fixture
def desktop(open_page, site: ScriptedSite):
    site.use_chat()
    watched = open_page(DESKTOP)
    watched.page.goto(site.site_url + "/")
    yield watched
    assert watched.dialogs == []
    assert watched.csp_violations() == []
    assert [error for error in watched.console_errors if "WebSocket" not in error] == []


def test_buttons_send_their_payload_and_show_their_title(desktop, shoot) -> None:
    chat = ChatWidget(desktop.page)
    chat.open()
    expect(chat.input).to_be_focused()
    chat.say("Knöpfe")
    typing = desktop.page.get_by_role("status").filter(has_text="Der Assistent schreibt")
    expect(typing).to_be_visible()
    yes = chat.log.get_by_role("button", name="Ja, bitte")
    expect(yes).to_be_visible()
    expect(chat.log.get_by_role("button", name="Nein, danke")).to_be_visible()
    shoot(desktop.page, "widget-desktop-buttons")

    yes.click()
    expect(chat.log.get_by_text("Gern, ich verbinde Sie.")).to_be_visible()  # "/affirm" arrived
    assert chat.bubble_texts("user") == ["Knöpfe", "Ja, bitte"]
    expect(chat.log.get_by_role("button", name="Ja, bitte")).to_have_count(0)
    expect(chat.input).to_be_focused()
    assert any("transport=websocket" in url for url in desktop.websockets)


def test_images_links_agents_and_timestamps_are_shown(desktop, site: ScriptedSite, shoot) -> None:
    chat = ChatWidget(desktop.page)
    chat.open()
    chat.say("Bild")
    expect(chat.log.get_by_role("img", name="Bild")).to_have_attribute("src", site.image_url)

    chat.say("Links")
    link = chat.log.get_by_role("link", name="https://www.nordlicht.example/service")
    expect(link).to_have_attribute("href", "https://www.nordlicht.example/service")
    expect(link).to_have_attribute("target", "_blank")
    expect(link).to_have_attribute("rel", "noopener noreferrer nofollow")
    expect(chat.log.get_by_text("Nicht klickbar: javascript:alert(1)")).to_be_visible()
    expect(chat.log.locator("a[href^='javascript']")).to_have_count(0)

    chat.say("Mensch")
    agent = chat.messages("agent")
    expect(agent).to_have_count(1)
    expect(agent.locator(".nlc-msg__name")).to_have_text("Frau Keller · Kundenservice")
    expect(agent.locator(".nlc-bubble")).to_contain_text("hier ist Frau Keller")
    times = chat.log.locator("time").all_inner_texts()
    assert times and all(len(time) == 5 and time[2] == ":" for time in times)
    shoot(desktop.page, "widget-desktop-agent")


def test_html_in_messages_is_shown_as_text(desktop) -> None:
    chat = ChatWidget(desktop.page)
    chat.open()
    chat.say(INJECTION)
    expect(chat.log.get_by_text(f"Sie schrieben: {INJECTION}")).to_be_visible()
    assert chat.bubble_texts("user") == [INJECTION]
    expect(chat.log.locator("img")).to_have_count(0)


def test_the_conversation_survives_reload_and_navigation(desktop) -> None:
    chat = ChatWidget(desktop.page)
    chat.open()
    chat.say("Hallo")
    chat.wait_for_bot_messages(1)
    session = chat.session_id()

    desktop.page.reload()
    chat.wait_until_online()  # it was open, so it opens again and resumes
    assert chat.bubble_texts("user") == ["Hallo"]
    assert chat.bubble_texts("bot") == ["Sie schrieben: Hallo"]

    desktop.page.get_by_role("navigation").get_by_role("link", name="Service & Werkstatt").click()
    expect(desktop.page).to_have_url(desktop.page.url.rstrip("/").rsplit("/", 1)[0] + "/service")
    chat.wait_until_online()
    assert chat.bubble_texts("bot") == ["Sie schrieben: Hallo"]
    chat.say("Noch da?")
    chat.wait_for_bot_messages(2)
    assert chat.session_id() == session  # the server resumed the signed session


def test_a_lost_connection_is_shown_and_recovers_by_itself(desktop, site, shoot) -> None:
    chat = ChatWidget(desktop.page)
    chat.open()
    chat.say("Hallo")
    chat.wait_for_bot_messages(1)
    session = chat.session_id()

    site.stop_chat()
    try:
        expect(chat.status).to_have_text("Verbindung unterbrochen")
        expect(chat.panel.get_by_text("Wir verbinden Sie automatisch neu")).to_be_visible()
        expect(chat.send_button).to_be_disabled()
        shoot(desktop.page, "widget-desktop-offline")
    finally:
        site.start_chat(polling_only=site.polling_only)
    chat.wait_until_online(timeout=30_000)
    desktop.console_errors.clear()  # the refused reconnection attempts were expected
    chat.say("Wieder da")
    chat.wait_for_bot_messages(2)
    assert chat.session_id() == session


def test_the_widget_works_with_the_keyboard(desktop) -> None:
    page = desktop.page
    chat = ChatWidget(page)
    expect(chat.launcher).to_have_attribute("aria-expanded", "false")
    chat.launcher.focus()
    page.keyboard.press("Enter")
    expect(chat.launcher).to_have_attribute("aria-expanded", "true")
    expect(chat.input).to_be_focused()
    expect(chat.log).to_have_attribute("aria-live", "polite")
    page.keyboard.press("Shift+Tab")
    expect(chat.log).to_be_focused()  # the history can be scrolled with the keyboard
    page.keyboard.press("Escape")
    expect(chat.panel).to_be_hidden()
    expect(chat.launcher).to_be_focused()


def test_on_a_phone_the_chat_fills_the_screen(open_page, site, shoot) -> None:
    site.use_chat()
    watched = open_page(PHONE)
    page = watched.page
    page.goto(site.site_url + "/service")
    chat = ChatWidget(page)
    shoot(page, "site-phone-service")
    chat.open()
    chat.say("Knöpfe")
    expect(chat.log.get_by_role("button", name="Ja, bitte")).to_be_visible()
    box = chat.panel.bounding_box()
    assert box is not None
    assert (box["x"], box["y"]) == (0, 0)
    assert (box["width"], box["height"]) == (PHONE["width"], PHONE["height"])
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shoot(page, "widget-phone-buttons")
    assert watched.csp_violations() == []


def test_long_polling_takes_over_when_websockets_are_refused(open_page, site) -> None:
    site.use_chat(polling_only=True)
    watched = open_page(DESKTOP)
    watched.page.goto(site.site_url + "/")
    chat = ChatWidget(watched.page)
    chat.open()
    chat.say("Hallo")
    chat.wait_for_bot_messages(1)
    assert watched.csp_violations() == []  # long-polling goes to the Rasa origin, allowed
