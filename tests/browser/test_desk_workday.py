"""A working day at the desk in headless Chromium: canned answers, transfer, several chats, search.

The bot service runs for real (`bot serve` over a seeded CRM); its Rasa
server is down, as in ``test_desk.py``: claims, notes, transfers and
resolutions work, messages to the customer are refused with 502, so the
tests look at what the desk sends (the request body), not at a customer.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import httpx
import pytest

from tests.browser.desk import AgentDesk, expect
from tests.browser.test_desk import conversation, unexpected_errors
from tests.support.agents import agent_token, create_agent
from tests.support.browser import DESKTOP
from tests.support.crm_server import CRM_API_TOKEN, CRMServer, seed
from tests.support.processes import free_port

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

PASSWORD = "Desk-Passwort-2026"


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CRMServer]:
    """`bot serve` over a seeded CRM; its Rasa server is down (a closed port)."""
    folder = tmp_path_factory.mktemp("desk-workday")
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


def hand_over(server: CRMServer, conversation_id: str, events: list[dict], **fields) -> int:
    """The action server's intake (also adds new lines to the conversation's open escalation)."""
    response = httpx.post(
        f"{server.url}/api/internal/escalations",
        json={
            "conversation_id": conversation_id,
            "channel": "socketio",
            "events": events,
            **fields,
        },
        headers={"Authorization": f"Bearer {CRM_API_TOKEN}"},
        timeout=10,
    )
    assert response.status_code in (200, 201), response.text
    return int(response.json()["escalation_id"])


def verified(server: CRMServer, name: str, **fields) -> tuple[int, list[dict]]:
    start = time.time() - 300
    events = conversation(start)
    fields.setdefault("verified_customer_number", "K-100001")
    return hand_over(server, f"{name}-{start}", events, **fields), events


def logged_in(open_page, service: CRMServer, username: str = "keller"):
    watched = open_page(DESKTOP)
    desk = AgentDesk(watched.page, service.url)
    desk.open()
    desk.log_in(username, PASSWORD)
    expect(watched.page.locator("#live-status")).to_have_text("Live")
    return watched, desk


def open_and_claim(desk: AgentDesk, escalation: int) -> None:
    desk.page.goto(f"{desk.url}/desk#/anfrage/{escalation}")
    desk.button("Übernehmen").click()
    expect(desk.status()).to_have_text("In Bearbeitung (von Ihnen)")


def test_canned_answers_are_inserted_with_a_slash_and_filled_from_the_context(
    open_page, service, shoot
) -> None:
    watched, desk = logged_in(open_page, service)
    page = watched.page
    escalation, _ = verified(service, "canned", case_number="C-2000017")
    open_and_claim(desk, escalation)
    box = page.get_by_label("Antwort an den Kunden")
    expect(box).to_be_focused()  # the claim puts the cursor into the reply box

    box.type("/re")
    suggestions = page.get_by_role("listbox", name="Textbausteine")
    expect(suggestions.get_by_role("option")).to_have_count(2)  # /rechnung, /reklamation
    expect(suggestions.get_by_role("option").first).to_contain_text("/rechnung")
    suggestions.scroll_into_view_if_needed()
    shoot(page, "desk-canned-suggestions")
    box.press("Enter")  # picks the first suggestion, does not send
    expect(suggestions).to_be_hidden()
    expect(box).to_have_value(
        "Ich prüfe Ihre Rechnung zu Kundennummer K-100001 und melde mich mit dem Ergebnis. "
        "Den Vorgang führen wir unter C-2000017."
    )
    with page.expect_request("**/messages") as sent:
        box.press("Enter")
    assert sent.value.post_data_json["text"].startswith("Ich prüfe Ihre Rechnung zu Kundennummer")

    # an unknown shortcut offers nothing; arrows choose; a placeholder without value is selected
    box.fill("")
    box.type("/xyz")
    expect(suggestions).to_be_hidden()
    box.fill("")
    box.type("Gern. /t")
    expect(suggestions.get_by_role("option")).to_have_count(1)
    box.press("Tab")
    expect(box).to_have_value(
        "Gern. Gern vereinbare ich einen Termin für Sie in Nordlicht Werkstatt München-Mitte. "
        "Welcher Tag und welche Uhrzeit passen Ihnen?"
    )
    assert watched.dialogs == [] and watched.csp_violations() == []
    assert unexpected_errors(watched.console_errors) == []


def test_a_chat_is_passed_to_a_colleague_with_a_note_and_released_to_the_queue(
    open_page, service, shoot
) -> None:
    keller_view, keller = logged_in(open_page, service)
    braun_view, braun = logged_in(open_page, service, "braun")
    escalation, _ = verified(service, "transfer")
    open_and_claim(keller, escalation)
    page = keller_view.page
    expect(page.locator("#my-chats")).to_contain_text(f"#{escalation}")
    page.get_by_label("Weitergeben an").focus()
    expect(page.get_by_label("Weitergeben an").locator("option")).to_contain_text(
        ["Zurück in die Warteschlange", "Herr Braun (braun) – online"]
    )
    page.get_by_label("Weitergeben an").select_option("braun")
    page.get_by_label("Übergabenotiz (nur intern sichtbar)").fill("Kulanz bis 50 € ist freigegeben")
    shoot(page, "desk-transfer")
    keller.button("Weitergeben").click()
    expect(keller.message).to_have_text("An Herr Braun weitergegeben.")
    expect(keller.status()).to_have_text("In Bearbeitung (Herr Braun)")
    expect(page.locator("#transfer-panel")).to_be_hidden()
    expect(page.locator("#my-chats")).not_to_contain_text(f"#{escalation}")

    # Braun has it among his chats without reloading, with the note and the customer's notice
    mine = braun_view.page.locator("#my-chats")
    expect(mine).to_contain_text(f"#{escalation}")
    mine.get_by_role("link").filter(has_text=f"#{escalation}").click()
    expect(braun.status()).to_have_text("In Bearbeitung (von Ihnen)")
    expect(braun_view.page.locator("#notes")).to_contain_text(
        "Übergeben an Herr Braun: Kulanz bis 50 € ist freigegeben"
    )
    expect(braun.lines("system").last).to_contain_text("Sie müssen nichts wiederholen")

    # and back to the queue: open again, first place
    braun.button("Weitergeben").click()
    expect(braun.message).to_have_text("Zurück in der Warteschlange.")
    expect(braun.status()).to_have_text("Offen")
    expect(keller.queue_entry(f"#{escalation}")).to_be_visible()
    for watched in (keller_view, braun_view):
        assert watched.dialogs == [] and watched.csp_violations() == []


def test_an_agent_holds_several_chats_with_unread_counts_and_drafts(
    open_page, service, shoot
) -> None:
    create_agent(service, "vogel", PASSWORD, "Frau Vogel")  # holds no chats of other tests
    watched, desk = logged_in(open_page, service, "vogel")
    page = watched.page
    first, events = verified(service, "first")
    second, _ = verified(service, "second", verified_customer_number="K-100002")
    open_and_claim(desk, first)
    box = page.get_by_label("Antwort an den Kunden")
    box.fill("Ich sehe gerade nach, einen Mom")  # half typed
    open_and_claim(desk, second)
    expect(box).to_have_value("")
    chats = page.locator("#my-chats")
    expect(chats.locator(".mychat")).to_have_count(2)
    expect(chats.locator(".mychat").filter(has_text=f"#{first}")).to_contain_text("Entwurf")

    # the customer of the first chat writes again: an unread count, a title, no reload
    conversation_id = next(
        i["conversation_id"]
        for i in httpx.get(
            f"{service.url}/api/escalations",
            params={"status": "claimed"},
            headers={"Authorization": f"Bearer {agent_token(service, 'vogel', PASSWORD)}"},
            timeout=10,
        ).json()
        if i["id"] == first
    )
    later = events[-1]["timestamp"] + 100
    hand_over(
        service, conversation_id,
        [*events, {"event": "user", "timestamp": later, "text": "Hallo? Sind Sie noch da?",
                   "input_channel": "socketio",
                   "parse_data": {"intent": {"name": "greet", "confidence": 0.9}, "entities": []}}],
        verified_customer_number="K-100001",
    )  # fmt: skip
    unread = chats.locator(".mychat").filter(has_text=f"#{first}").locator(".unread")
    expect(unread).to_have_text("1")
    expect(page).to_have_title(re.compile(r"^1 neue Nachricht · (\(\d+\) )?Agent-Desk"))
    shoot(page, "desk-several-chats")

    chats.get_by_role("link").filter(has_text=f"#{first}").click()
    expect(box).to_have_value("Ich sehe gerade nach, einen Mom")  # the draft is back
    expect(desk.lines("customer").last).to_contain_text("Hallo? Sind Sie noch da?")
    expect(unread).to_have_count(0)
    expect(page).to_have_title(re.compile(r"^(\(\d+\) )?Agent-Desk – Nordlicht Automobile$"))
    assert watched.dialogs == [] and watched.csp_violations() == []


def test_resolved_escalations_are_searched_and_paged_without_live_reloads(
    open_page, service, shoot
) -> None:
    token = agent_token(service, "braun", PASSWORD)
    headers = {"Authorization": f"Bearer {token}"}
    resolved = []
    for number in range(22):
        customer = "K-100003" if number % 7 == 0 else "K-100002"
        escalation, _ = verified(service, f"search{number}", verified_customer_number=customer)
        for action, body in (("claim", {}), ("resolve", {"resolution": f"Lösung {number}"})):
            response = httpx.post(
                f"{service.url}/api/escalations/{escalation}/{action}",
                json=body, headers=headers, timeout=10,
            )  # fmt: skip
            assert response.status_code == 200, response.text
        resolved.append(escalation)

    watched, desk = logged_in(open_page, service)
    page = watched.page
    searches: list[str] = []
    page.on("request", lambda r: "/api/history/" in r.url and searches.append(r.url))
    desk.tab("Erledigt").click()
    expect(desk.queue.locator(".qitem")).to_have_count(20)
    expect(page.locator("#page-info")).to_contain_text("Seite 1 von")
    page.get_by_role("button", name="Weiter").click()
    expect(page.locator("#page-info")).to_contain_text("Seite 2 von")

    page.get_by_label("Kundennummer").fill("K-100003")
    page.get_by_label("Bearbeitet von (Login)").fill("braun")
    page.get_by_role("button", name="Suchen").click()
    expect(desk.queue.locator(".qitem")).to_have_count(4)  # numbers 0, 7, 14, 21
    expect(page.locator("#page-info")).to_have_text("Seite 1 von 1 · 4 Treffer")
    ids = desk.queue.locator(".qitem").evaluate_all("nodes => nodes.map(n => Number(n.dataset.id))")
    assert ids == [resolved[21], resolved[14], resolved[7], resolved[0]]  # newest first
    shoot(page, "desk-search")

    # a new escalation arrives: the open count changes, the search is not asked again
    asked = len(searches)
    arrived, _ = verified(service, "arrives-live")
    expect(page.locator("#queue-news")).to_contain_text(f"Neue Anfrage #{arrived}")
    assert len(searches) == asked  # the update that brought it did not reload the results
    expect(desk.queue.locator(".qitem")).to_have_count(4)
    assert watched.dialogs == [] and watched.csp_violations() == []


def test_abmelden_revokes_the_token_on_the_server(open_page, service) -> None:
    create_agent(service, "lang", PASSWORD, "Herr Lang")
    watched, desk = logged_in(open_page, service, "lang")
    page = watched.page
    token = page.evaluate(
        "() => JSON.parse(sessionStorage.getItem('nordlicht-desk.session.v1')).token"
    )
    me = httpx.get(
        f"{service.url}/api/auth/me", headers={"Authorization": f"Bearer {token}"}, timeout=10
    )
    assert me.status_code == 200
    desk.button("Abmelden").click()
    expect(page.get_by_role("alert")).to_have_text("Sie haben sich abgemeldet.")
    refused = httpx.get(
        f"{service.url}/api/auth/me", headers={"Authorization": f"Bearer {token}"}, timeout=10
    )
    assert refused.status_code == 401  # a copied token is dead too, not only the tab's
