"""The agent desk in headless Chromium against a real bot service (`bot serve`).

The first tests open escalations the way the action server does (the internal
API) on a bot service whose Rasa server is down, so claims work but nothing
reaches a customer. The last test runs the whole chain: a customer asks for a
human in the website's chat widget (real Rasa, real actions), the agent sees
it appear, claims it, replies, and the reply reaches the widget.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import httpx
import pytest

from tests.browser.desk import AgentDesk, HeldUpdates, berlin, expect, hand_over
from tests.browser.widget import ChatWidget
from tests.support.agents import agent_token, create_agent
from tests.support.browser import DESKTOP
from tests.support.crm_server import CRMServer, seed
from tests.support.processes import free_port

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

PASSWORD = "Desk-Passwort-2026"
HUMAN = "Ich möchte mit einem Menschen sprechen"
INJECTION = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CRMServer]:
    """`bot serve` over a seeded CRM; its Rasa server is down (a closed port)."""
    folder = tmp_path_factory.mktemp("desk-service")
    seed(folder / "crm.db", population=0)
    server = CRMServer(folder / "crm.db", folder)
    server.env.update(
        RASA_URL=f"http://127.0.0.1:{free_port()}",
        RASA_JWT_SECRET="desk-test-rasa-jwt-secret",
        RASA_TIMEOUT_SECONDS="1",
        ESCALATION_BUSINESS_HOURS="always",
    )
    server.start()
    create_agent(server, "keller", PASSWORD, "Frau Keller")
    create_agent(server, "braun", PASSWORD, "Herr Braun")
    yield server
    server.stop()


def conversation(start: float) -> list[dict]:
    """K-100001 verified, asked about an invoice, then for a human (Rasa events)."""

    def user(text: str, intent: str, confidence: float, at: float, **entities: str) -> dict:
        return {
            "event": "user",
            "timestamp": start + at,
            "text": text,
            "input_channel": "socketio",
            "parse_data": {
                "intent": {"name": intent, "confidence": confidence},
                "entities": [{"entity": k, "value": v} for k, v in entities.items()],
            },
        }

    def bot(text: str, at: float) -> dict:
        return {"event": "bot", "timestamp": start + at, "text": text}

    return [
        user("Meine Rechnung R-20250100 ist zu hoch", "invoice_question", 0.93, 0,
             invoice_number="R-20250100"),
        bot("Wie lautet Ihre Kundennummer?", 1),
        user("K-100001", "inform", 0.88, 20, customer_number="K-100001"),
        {"event": "slot", "timestamp": start + 30, "name": "verified_customer_number",
         "value": "K-100001"},
        bot("Vielen Dank, Ihre Angaben sind bestätigt.", 31),
        user(HUMAN, "request_human", 0.99, 60),
        bot("Gern verbinde ich Sie mit einer Mitarbeiterin oder einem Mitarbeiter.", 61),
    ]  # fmt: skip


def desk_page(open_page, service: CRMServer):
    watched = open_page(DESKTOP)
    desk = AgentDesk(watched.page, service.url)
    desk.open()
    return watched, desk


def unexpected_errors(console_errors: list[str]) -> list[str]:
    """Console errors other than the HTTP statuses a test provokes on purpose."""
    return [text for text in console_errors if not text.startswith("Failed to load resource")]


def test_an_agent_logs_in_sees_escalations_arrive_live_and_reads_the_context(
    open_page, service, shoot
) -> None:
    watched, desk = desk_page(open_page, service)
    page = watched.page
    expect(page.get_by_role("heading", name="Anmeldung für Mitarbeitende")).to_be_visible()
    desk.log_in("keller", "falsches-passwort")
    expect(page.get_by_role("alert")).to_have_text("Benutzername oder Passwort ist falsch.")
    shoot(page, "desk-login-error")
    desk.log_in("keller", PASSWORD)
    expect(page.locator("#session")).to_contain_text("Angemeldet als Frau Keller (keller)")
    expect(page.locator("#live-status")).to_have_text("Live")

    start = time.time() - 300
    asked = time.perf_counter()
    normal = hand_over(
        service, f"web-{start}", conversation(start), reason="invoice_dispute",
        verified_customer_number="K-100001", case_number="C-2000017",
    )  # fmt: skip
    expect(desk.queue_entry("Frau Anna Schmidt")).to_be_visible(timeout=5_000)
    seconds = time.perf_counter() - asked
    print(f"escalation visible in the desk {seconds:.2f} s after the hand-over")  # no reload

    urgent = hand_over(
        service, f"fb-{start}", conversation(start)[:1], channel="facebook",
        reason="breakdown_urgent", claimed_customer_number="K-100003",
    )  # fmt: skip
    expect(desk.queue.locator(".qitem")).to_have_count(2)
    first, second = desk.queue_texts()
    assert first.startswith(f"Dringend #{urgent} Platz 1") and "nicht verifiziert" in first
    assert second.startswith(f"Hoch #{normal} Platz 2") and "Frau Anna Schmidt" in second
    expect(desk.tab("Offen")).to_contain_text("2")
    expect(page.locator("#queue-news")).to_have_text(
        f"Neue Anfrage #{urgent}: Panne eines verifizierten Kunden"
    )  # a live region: screen readers hear the new one, not the whole queue again
    expect(page).to_have_title("(2) Agent-Desk – Nordlicht Automobile")
    shoot(page, "desk-queue")

    # Keyboard: the queue entries are links; Enter opens one.
    desk.queue_entry("Frau Anna Schmidt").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=f"Anfrage #{normal}")).to_be_visible()
    case = desk.case
    expect(case.locator("#case-priority")).to_have_text("Hoch")
    expect(case.get_by_text("Rechnung wird bestritten", exact=True)).to_be_visible()
    expect(case.locator("#customer-verified")).to_have_text("✓ Identität verifiziert")
    facts = case.locator("#customer-facts")
    for text in ["Frau Anna Schmidt", "K-100001", "Gold", "15.03.2004", "München"]:
        expect(facts).to_contain_text(text)
    expect(case.locator("#customer-vehicles")).to_contain_text("Aurora Touring")
    expect(case.locator("#customer-orders")).to_contain_text("B-20250001")
    expect(case.locator("#case-summary")).to_contain_text("R-20250100")
    expect(case.locator("#case-facts")).to_contain_text("C-2000017")
    expect(case.locator("#case-facts")).to_contain_text("Platz 2")
    expect(case.locator("#case-intents")).to_contain_text("invoice_question93 %")
    expect(case.locator("#case-slots")).to_contain_text("K-100001")
    expect(desk.lines("customer").first).to_contain_text(berlin(start))
    expect(desk.lines("customer").first).to_contain_text("Meine Rechnung R-20250100 ist zu hoch")
    expect(desk.lines("bot")).to_have_count(3)
    assert re.fullmatch(
        r"\d\d\.\d\d\.\d{4} \d\d:\d\d", desk.lines("bot").first.locator("time").inner_text()
    )
    expect(desk.button("Übernehmen")).to_be_visible()
    expect(page.get_by_label("Antwort an den Kunden")).to_be_disabled()
    shoot(page, "desk-escalation")

    # Unverified: marked as such, no profile shown.
    desk.queue_entry("nicht verifiziert").click()
    expect(page.get_by_role("heading", name=f"Anfrage #{urgent}")).to_be_visible()
    expect(case.locator("#customer-verified")).to_contain_text("Nicht verifiziert")
    expect(case.locator("#customer-profile")).to_be_hidden()
    assert watched.dialogs == [] and watched.csp_violations() == []
    assert unexpected_errors(watched.console_errors) == []


def test_claim_conflict_reply_note_resolve_and_an_expired_session(
    open_page, service, shoot
) -> None:
    start = time.time() - 120
    events = conversation(start)
    events[0] = {**events[0], "text": INJECTION}
    mine = hand_over(service, f"web-mine-{start}", events, claimed_customer_number="K-100002")
    theirs = hand_over(service, f"web-theirs-{start}", conversation(start))
    watched, desk = desk_page(open_page, service)
    page = watched.page
    held = HeldUpdates(page)  # every live update passes through the test from now on
    desk.log_in("keller", PASSWORD)
    page.goto(f"{service.url}/desk#/anfrage/{theirs}")
    expect(page.get_by_role("heading", name=f"Anfrage #{theirs}")).to_be_visible()

    # Herr Braun claims it a moment before Frau Keller clicks (her live updates held back).
    try:
        held.holding = True
        braun = agent_token(service, "braun", PASSWORD)
        claimed = httpx.post(
            f"{service.url}/api/escalations/{theirs}/claim",
            headers={"Authorization": f"Bearer {braun}"},
            timeout=15,
        )
        assert claimed.status_code == 200
        desk.button("Übernehmen").click()
        expect(desk.message).to_have_text("Bereits von Herr Braun übernommen.")
        expect(desk.status()).to_have_text("In Bearbeitung (Herr Braun)")
        expect(desk.button("Übernehmen")).to_be_hidden()
        shoot(page, "desk-claim-conflict")
    finally:
        held.stop()

    desk.queue_entry(f"#{mine}").click()
    expect(page.get_by_role("heading", name=f"Anfrage #{mine}")).to_be_visible()
    expect(desk.lines("customer").first).to_contain_text(INJECTION)
    expect(desk.transcript.locator("img")).to_have_count(0)
    desk.button("Übernehmen").click()
    expect(desk.status()).to_have_text("In Bearbeitung (von Ihnen)")
    expect(page.get_by_label("Antwort an den Kunden")).to_be_focused()

    # The Rasa server is down: the reply is refused and stays in the box for another try.
    desk.reply("Guten Tag, hier ist Frau Keller.")
    expect(desk.message).to_contain_text("Der Chat-Server hat die Nachricht nicht angenommen")
    expect(page.get_by_label("Antwort an den Kunden")).to_have_value(
        "Guten Tag, hier ist Frau Keller."
    )

    desk.add_note("Kunde hat <b>zweimal</b> angerufen")
    expect(page.locator("#notes")).to_contain_text("Frau Keller")
    expect(page.locator("#notes")).to_contain_text("Kunde hat <b>zweimal</b> angerufen")
    desk.resolve("Rückruf vereinbart")
    expect(desk.status()).to_have_text("Erledigt (von Ihnen)")
    expect(desk.case.locator("#case-facts")).to_contain_text("Rückruf vereinbart")
    expect(page.get_by_label("Antwort an den Kunden")).to_be_disabled()
    shoot(page, "desk-resolved")
    desk.tab("Erledigt").click()
    expect(desk.queue_entry(f"#{mine}")).to_be_visible()

    # A token the server no longer accepts sends the agent back to the login.
    page.evaluate(
        """() => {
          const key = "nordlicht-desk.session.v1";
          const session = JSON.parse(sessionStorage.getItem(key));
          session.token = "abgelaufen.abgelaufen.abgelaufen";
          sessionStorage.setItem(key, JSON.stringify(session));
        }"""
    )
    page.reload()
    expect(page.get_by_role("alert")).to_have_text(
        "Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an."
    )
    expect(page.get_by_label("Benutzername")).to_be_focused()
    assert watched.dialogs == [] and watched.csp_violations() == []
    assert unexpected_errors(watched.console_errors) == []


# --- the whole chain: widget, Rasa, actions, bot service, desk -------------------------------


def escalation_of(service: CRMServer, token: str, conversation_id: str) -> dict:
    """Wait (briefly) for the open escalation of a conversation, as the API lists it."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        response = httpx.get(
            f"{service.url}/api/escalations",
            params={"status": "open"},
            headers={"Authorization": f"Bearer {token}"},
            timeout=10,
        )
        for item in response.json():
            if item["conversation_id"] == conversation_id:
                return item
        time.sleep(0.1)
    raise AssertionError(f"no escalation for {conversation_id}")


@pytest.mark.model
def test_a_customer_asks_for_a_human_and_the_agent_answers_in_the_chat_widget(
    open_page, rasa_server, crm_server, website, shoot
) -> None:
    create_agent(crm_server, "desk-browser", PASSWORD, "Frau Keller")
    token = agent_token(crm_server, "desk-browser", PASSWORD)
    agent_view, desk = desk_page(open_page, crm_server)
    desk.log_in("desk-browser", PASSWORD)
    expect(agent_view.page.locator("#live-status")).to_have_text("Live")

    customer_view = open_page(DESKTOP)
    customer_view.page.goto(website.url + "/")
    chat = ChatWidget(customer_view.page)
    chat.open()
    chat.say("Hallo")
    chat.wait_for_bot_messages(1)
    asked = time.perf_counter()
    chat.say(HUMAN)
    escalation = escalation_of(crm_server, token, chat.session_id())
    entry = desk.queue.locator(f'.qitem[data-id="{escalation["id"]}"]')
    expect(entry).to_be_visible(timeout=10_000)  # the desk page was never reloaded
    print(f"customer's request -> desk: {time.perf_counter() - asked:.2f} s")

    entry.get_by_role("link").click()
    expect(desk.case.locator("#customer-verified")).to_contain_text("Nicht verifiziert")
    expect(desk.lines("customer").last).to_contain_text(HUMAN)
    desk.button("Übernehmen").click()
    expect(desk.status()).to_have_text("In Bearbeitung (von Ihnen)")
    expect(desk.case.locator("#case-facts")).to_contain_text("aktiv", timeout=10_000)

    desk.reply("Guten Tag, hier ist Frau Keller. Wie kann ich Ihnen helfen?")
    expect(desk.lines("agent").last).to_contain_text("hier ist Frau Keller")
    expect(chat.messages("agent").last).to_contain_text(
        "Guten Tag, hier ist Frau Keller. Wie kann ich Ihnen helfen?", timeout=15_000
    )
    shoot(customer_view.page, "desk-widget-agent-reply")

    chat.say("Meine Rechnung ist zu hoch")
    expect(desk.lines("customer").last).to_contain_text(
        "Meine Rechnung ist zu hoch", timeout=15_000
    )
    shoot(agent_view.page, "desk-live-chat")

    desk.button("An den Bot zurückgeben").click()
    expect(desk.message).to_have_text("Das Gespräch ist zurück beim Bot.")
    desk.resolve("Rechnung erklärt, Kunde zufrieden")
    expect(desk.status()).to_have_text("Erledigt (von Ihnen)")
    for watched in (agent_view, customer_view):
        assert watched.dialogs == [] and watched.csp_violations() == []
    assert unexpected_errors(agent_view.console_errors) == []
