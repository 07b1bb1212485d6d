"""The analytics page in headless Chromium against `bot serve` over a written tracker store."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from tests.bot.analytics.conversations import (
    HOUR,
    booking,
    ended_in_fallback,
    escalated_invoice,
    served_order_status,
)
from tests.bot.analytics.test_api import write_tracker_store
from tests.support.agents import create_agent
from tests.support.browser import DESKTOP
from tests.support.crm_server import CRMServer, seed
from tests.support.processes import free_port

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

PASSWORD = "Auswertung-2026"
DAY = date(2026, 11, 23)  # the day of the hand-written conversations


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CRMServer]:
    """`bot serve` reading a tracker store with four conversations of one day."""
    folder = tmp_path_factory.mktemp("analytics-service")
    seed(folder / "crm.db", population=0)
    tracker = f"sqlite:///{folder / 'tracker.db'}"
    write_tracker_store(
        tracker,
        {
            "served": served_order_status(0),
            "handoff": escalated_invoice(HOUR),
            "lost": ended_in_fallback(2 * HOUR),
            "booked": booking(3 * HOUR),
        },
    )
    server = CRMServer(folder / "crm.db", folder)
    server.env.update(
        RASA_URL=f"http://127.0.0.1:{free_port()}",
        RASA_TRACKER_STORE_URL=tracker,
        ANALYTICS_INTERVAL_SECONDS="1",
    )
    server.start()
    create_agent(server, "leitung", PASSWORD, "Frau Leitung", "lead")
    create_agent(server, "keller", PASSWORD, "Frau Keller")
    yield server
    server.stop()


def open_analytics(open_page, service: CRMServer, username: str):
    watched = open_page(DESKTOP)
    page = watched.page
    page.goto(f"{service.url}/desk/analytics?from={DAY}&to={DAY}")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("#login-form button[type=submit]")
    return watched


def test_a_lead_sees_the_figures_and_four_charts_without_any_outside_resource(
    open_page, service, shoot
) -> None:
    watched = open_analytics(open_page, service, "leitung")
    page = watched.page
    page.wait_for_selector("body[data-ready=true]")
    figures = page.locator(".kpi__value").all_inner_texts()
    assert figures[:3] == ["4", "2 (50 %)", "1 (25 %)"]
    assert page.locator("#chart-containment svg circle").count() == 1
    assert page.locator("#chart-reasons svg rect").count() == 1
    journeys = page.eval_on_selector_all(
        "#chart-journeys svg text", "nodes => nodes.map((node) => node.textContent)"
    )
    assert {"book_appointment", "order_status", "invoice_question", "dealer_info"} <= set(journeys)
    assert page.locator("#chart-csat .chart-empty").inner_text() == "Keine Daten im Zeitraum."
    assert watched.csp_violations() == [] and watched.console_errors == []
    shoot(page, "desk-analytics")


def test_an_agent_without_the_role_is_told_so(open_page, service) -> None:
    watched = open_analytics(open_page, service, "keller")
    message = watched.page.locator("#analytics-error")
    message.wait_for(state="visible")
    watched.page.wait_for_function(
        "document.getElementById('analytics-error').textContent.length > 0"
    )
    assert "Teamleitung und dem Training vorbehalten" in message.inner_text()
