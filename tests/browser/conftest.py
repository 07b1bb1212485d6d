"""Fixtures of the browser tests: headless Chromium, pages that watch for trouble, screenshots.

Browser tests are marked ``browser``. Without Chromium (or the playwright
package) they fail in CI (env CI set) and are skipped on a developer's machine.
Screenshots go to $WIDGET_SCREENSHOT_DIR if set, else to a temporary folder.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.support.browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    CSP_PROBE,
    missing_browser_reason,
    running_website,
)
from tests.support.crm_server import CUSTOMER_TOKEN_SECRET
from tests.support.processes import real_clock_environment
from tests.support.requirements import unavailable


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """One headless Chromium per test module (Playwright's sync API)."""
    reason = missing_browser_reason()
    if reason:
        unavailable(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, env=real_clock_environment()
        )
        yield browser
        browser.close()


@dataclass
class WatchedPage:
    """A browser page plus what went wrong on it: dialogs, console errors, CSP violations."""

    page: Any
    dialogs: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    websockets: list[str] = field(default_factory=list)

    def csp_violations(self) -> list[str]:
        return self.page.evaluate("window.__cspViolations || []")


@pytest.fixture
def open_page(chromium) -> Iterator[Callable[..., WatchedPage]]:
    """Open a fresh browser context (own storage) with a given viewport; closed after the test."""
    contexts: list[Any] = []

    def open_(viewport: dict[str, int]) -> WatchedPage:
        context = chromium.new_context(viewport=viewport, locale="de-DE")
        context.add_init_script(CSP_PROBE)
        contexts.append(context)
        watched = WatchedPage(context.new_page())
        watched.page.set_default_timeout(15_000)

        def on_dialog(dialog: Any) -> None:
            watched.dialogs.append(dialog.message)
            dialog.dismiss()

        watched.page.on("dialog", on_dialog)
        watched.page.on(
            "console",
            lambda message: message.type == "error" and watched.console_errors.append(message.text),
        )
        watched.page.on("websocket", lambda socket: watched.websockets.append(socket.url))
        return watched

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    configured = os.environ.get("WIDGET_SCREENSHOT_DIR")
    path = Path(configured) if configured else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def shoot(screenshot_dir: Path) -> Callable[[Any, str], Path]:
    def shoot_(page: Any, name: str) -> Path:
        path = screenshot_dir / f"{name}.png"
        page.screenshot(path=str(path))
        return path

    return shoot_


@pytest.fixture(scope="session")
def website(rasa_server, website_port: int, server_logs: Path) -> Iterator[Any]:
    """The demo website (`bot serve` in demo mode) in front of the e2e Rasa server.

    It signs customer tokens with the secret the action server checks
    (``tests.support.crm_server.CUSTOMER_TOKEN_SECRET``), so a demo log-in is recognised.
    """
    with running_website(
        "website-rasa", website_port, rasa_server.url, CUSTOMER_TOKEN_SECRET, server_logs
    ) as server:
        yield server
