"""The agent desk as an agent sees it, and the bot service it runs on: helpers of the desk tests."""

from __future__ import annotations

import re
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import httpx

from tests.support.crm_server import CRM_API_TOKEN, CRMServer

try:
    from playwright.sync_api import expect
except ImportError:  # the `chromium` fixture reports it: fails in CI, skips locally
    expect = None

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

BERLIN = ZoneInfo("Europe/Berlin")


def hand_over(server: CRMServer, conversation_id: str, events: list[dict], **fields: Any) -> int:
    """Open an escalation the way the action server does (internal API); return its id."""
    body = {"conversation_id": conversation_id, "channel": "socketio", "events": events, **fields}
    response = httpx.post(
        f"{server.url}/api/internal/escalations",
        json=body,
        headers={"Authorization": f"Bearer {CRM_API_TOKEN}"},
        timeout=10,
    )
    assert response.status_code == 201, response.text
    return int(response.json()["escalation_id"])


def berlin(timestamp: float) -> str:
    """What the desk shows for a Unix time: DD.MM.YYYY HH:MM in Europe/Berlin."""
    return datetime.fromtimestamp(timestamp, BERLIN).strftime("%d.%m.%Y %H:%M")


class AgentDesk:
    """Drives the desk through its labels and roles, as a keyboard or screen-reader user would."""

    def __init__(self, page: Page, url: str) -> None:
        self.page = page
        self.url = url
        self.queue = page.locator("#queue-list")
        self.case = page.get_by_role("article")
        self.message = page.locator("#case-message")
        self.transcript = page.get_by_role("log", name="Gesprächsverlauf")

    def open(self) -> None:
        self.page.goto(f"{self.url}/desk")

    def log_in(self, username: str, password: str) -> None:
        self.page.get_by_label("Benutzername").fill(username)
        self.page.get_by_label("Passwort").fill(password)
        self.page.get_by_role("button", name="Anmelden").click()

    def queue_entry(self, text: str | re.Pattern[str]) -> Locator:
        return self.queue.get_by_role("link").filter(has_text=text)

    def queue_texts(self) -> list[str]:
        return [" ".join(text.split()) for text in self.queue.locator(".qitem").all_inner_texts()]

    def tab(self, name: str) -> Locator:
        return self.page.get_by_role("tab", name=re.compile(name))

    def button(self, name: str) -> Locator:
        return self.page.get_by_role("button", name=name, exact=True)

    def status(self) -> Locator:
        return self.page.locator("#case-status")

    def lines(self, role: str) -> Locator:
        return self.transcript.locator(f".line--{role}")

    def reply(self, text: str) -> None:
        box = self.page.get_by_label("Antwort an den Kunden")
        box.fill(text)
        box.press("Enter")

    def add_note(self, text: str) -> None:
        self.page.get_by_label("Neue Notiz (nur intern sichtbar)").fill(text)
        self.button("Notiz speichern").click()

    def resolve(self, text: str) -> None:
        self.page.get_by_label("Lösung (landet in der Kundenhistorie)").fill(text)
        self.button("Als erledigt markieren").click()


class HeldUpdates:
    """Holds the desk's live updates back (Playwright routing), so a race can be staged."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.holding = False
        self.held: list[tuple[Any, Any]] = []
        page.route("**/desk/api/updates*", self._handle)

    def _handle(self, route: Any) -> None:
        try:
            response = route.fetch(timeout=60_000)
        except Exception:  # the page went away meanwhile
            return
        if self.holding:
            self.held.append((route, response))
        else:
            route.fulfill(response=response)

    def release(self) -> None:
        self.holding = False
        for route, response in self.held:
            route.fulfill(response=response)
        self.held.clear()

    def stop(self) -> None:
        self.release()
        self.page.unroute_all(behavior="ignoreErrors")
