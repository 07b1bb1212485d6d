"""A customer sends a photo of a warning light in the widget; the agent sees it in the desk.

The demo website and the escalation API run for real (`bot serve` over a
seeded CRM), the chat behind the widget is the scripted website channel
(``tests.support.scripted_chat``, the real signed sessions); Rasa's HTTP API
is down, so the agent's claim works but nothing is taken over in Rasa.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from tests.browser.desk import AgentDesk, expect, hand_over
from tests.browser.test_desk import conversation, unexpected_errors
from tests.browser.widget import ChatWidget
from tests.support.agents import create_agent
from tests.support.browser import DESKTOP
from tests.support.crm_server import CRMServer, seed
from tests.support.images import pdf, png
from tests.support.processes import VENV_BIN, free_port, running_server

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

PASSWORD = "Desk-Passwort-2026"
ORANGE = (230, 160, 0)
NO_AGENT = "Bilder und Dateien kann ich selbst leider nicht ansehen."
WAITING = "Ihre Datei liegt jetzt bei Ihrer Anfrage."


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CRMServer]:
    """`bot serve` in demo mode (widget and desk) and the scripted chat it connects to."""
    folder = tmp_path_factory.mktemp("attachments")
    seed(folder / "crm.db", population=0)
    chat_port = free_port()
    server = CRMServer(folder / "crm.db", folder)
    server.env.update(
        WEBSITE_DEMO_MODE="true",
        WEBSITE_RASA_URL=f"http://127.0.0.1:{chat_port}",
        RASA_URL=f"http://127.0.0.1:{free_port()}",
        RASA_JWT_SECRET="attachment-test-rasa-jwt-secret",
        RASA_TIMEOUT_SECONDS="1",
        ESCALATION_BUSINESS_HOURS="always",
        CHAT_ATTACHMENT_MAX_BYTES=str(1024 * 1024),
    )
    server.start()
    create_agent(server, "keller", PASSWORD, "Frau Keller")
    command = [
        str(VENV_BIN / "python"), "-m", "tests.support.scripted_chat",
        "--port", str(chat_port), "--image-url", f"{server.url}/static/site/favicon.svg",
    ]  # fmt: skip
    with running_server(
        "scripted-chat-attachments", command, f"http://127.0.0.1:{chat_port}/health", folder
    ):
        yield server
    server.stop()


def choose_file(chat: ChatWidget, name: str, mime_type: str, data: bytes) -> None:
    """Pick a file with the widget's button, as a customer does in the file dialog."""
    with chat.page.expect_file_chooser() as chooser:
        chat.panel.get_by_role("button", name="Bild oder PDF anhängen").click()
    chooser.value.set_files({"name": name, "mimeType": mime_type, "buffer": data})


def test_a_customer_sends_a_photo_and_the_agent_sees_it_in_the_desk(
    open_page, service: CRMServer, shoot
) -> None:
    customer = open_page(DESKTOP)
    customer.page.goto(f"{service.url}/")
    chat = ChatWidget(customer.page)
    chat.open()
    notices = chat.log.locator(".nlc-notice")

    # Nobody would read it yet: the customer is told so, nothing is stored.
    choose_file(chat, "warnleuchte.png", "image/png", png(120, 80, ORANGE))
    expect(notices.last).to_contain_text(NO_AGENT)

    escalation = hand_over(service, chat.session_id(), conversation(time.time() - 120))

    # Too large and wrong by content: clear German answers, no upload reaches the agent.
    choose_file(chat, "riesig.png", "image/png", png() + b"\0" * (1024 * 1024))
    expect(notices.last).to_have_text(
        "Diese Datei ist zu groß. Möglich sind: JPEG, PNG, PDF bis 1 MB"
    )
    choose_file(chat, "seite.png", "image/png", b"<html><script>alert(1)</script></html>")
    expect(notices.last).to_have_text(
        "Diese Datei kann ich nicht annehmen. Möglich sind: JPEG, PNG, PDF bis 1 MB"
    )

    choose_file(chat, "warnleuchte.png", "image/png", png(120, 80, ORANGE))
    expect(chat.messages("user").last).to_contain_text("Datei gesendet: warnleuchte.png (1 KB)")
    expect(notices.last).to_contain_text(WAITING)
    choose_file(chat, "Kostenvoranschlag.pdf", "application/pdf", pdf())
    expect(chat.messages("user").last).to_contain_text("Datei gesendet: Kostenvoranschlag.pdf")
    shoot(customer.page, "widget-desktop-attachment")

    agent = open_page(DESKTOP)
    desk = AgentDesk(agent.page, service.url)
    desk.open()
    desk.log_in("keller", PASSWORD)
    expect(agent.page.locator("#live-status")).to_have_text("Live")
    agent.page.goto(f"{service.url}/desk#/anfrage/{escalation}")

    photo = desk.transcript.get_by_role("img", name="Bild vom Kunden: warnleuchte.png (1 KB)")
    expect(photo).to_have_attribute("data-state", "shown")
    expect(photo.locator("xpath=ancestor::li[1]")).to_contain_text(
        "Bild gesendet: warnleuchte.png (1 KB)"
    )
    assert photo.evaluate(
        "canvas => Array.from(canvas.getContext('2d').getImageData(5, 5, 1, 1).data.slice(0, 3))"
    ) == list(ORANGE)
    assert desk.lines("customer").filter(has_text="seite.png").count() == 0
    assert desk.lines("customer").filter(has_text="riesig.png").count() == 0

    with agent.page.expect_download() as download:
        desk.button("PDF herunterladen: Kostenvoranschlag.pdf (1 KB)").click()
    assert download.value.suggested_filename == "Kostenvoranschlag.pdf"
    with open(download.value.path(), "rb") as saved:
        assert saved.read() == pdf()
    photo.scroll_into_view_if_needed()
    shoot(agent.page, "desk-attachment")

    for watched in (customer, agent):
        assert watched.csp_violations() == []
        assert watched.dialogs == []
    assert unexpected_errors(customer.console_errors) == []
    assert unexpected_errors(agent.console_errors) == []
