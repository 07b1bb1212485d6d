"""The chat widget as a user sees it: a small page object for the browser tests."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

try:
    from playwright.sync_api import expect
except ImportError:  # the `chromium` fixture reports it: fails in CI, skips locally
    expect = None

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

LAUNCHER = "Fragen? Chatten Sie mit uns"


class ChatWidget:
    """Drives the widget through its accessible names, as a keyboard or screen-reader user would."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.launcher = page.get_by_role("button", name=LAUNCHER)
        self.panel = page.get_by_role("region", name="Nordlicht Kundenservice")
        self.log = page.get_by_role("log", name="Chatverlauf")
        self.input = page.get_by_label("Ihre Nachricht")
        self.send_button = page.get_by_role("button", name="Senden")
        self.status = self.panel.locator(".nlc-status")

    def open(self) -> None:
        self.launcher.click()
        expect(self.panel).to_be_visible()
        self.wait_until_online()

    def wait_until_online(self, timeout: float = 15_000) -> None:
        expect(self.status).to_have_text("Online", timeout=timeout)

    def say(self, text: str) -> None:
        self.input.fill(text)
        self.input.press("Enter")

    def messages(self, kind: str) -> Locator:
        """The messages of ``kind``: user, bot or agent."""
        return self.log.locator(f".nlc-msg--{kind}")

    def bubble_texts(self, kind: str) -> list[str]:
        bubbles = self.messages(kind).locator(".nlc-bubble")
        return [text.strip() for text in bubbles.all_inner_texts()]

    def wait_for_bot_messages(self, count: int, timeout: float = 30_000) -> None:
        expect(self.messages("bot")).to_have_count(count, timeout=timeout)

    def stored(self) -> dict[str, Any]:
        """What the widget keeps in sessionStorage (session and rendered history)."""
        return json.loads(self.page.evaluate("sessionStorage.getItem('nordlicht-chat.v1')"))

    def session_id(self) -> str:
        return self.stored()["session"]["session_id"]
