"""The trainers' workbench in headless Chromium against a real bot service (`bot serve`).

The bot service reads a Rasa tracker store (SQLite, written here as Rasa
writes it) with its own collector, so the inbox is filled the way it is in
the embedded default. A trainer then labels the inbox from the keyboard.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine

from bot.escalation.tracker_sweeper import EVENTS
from tests.browser.desk import AgentDesk, hand_over
from tests.support.agents import agent_token, create_agent
from tests.support.browser import DESKTOP
from tests.support.crm_server import CRMServer, seed

try:
    from playwright.sync_api import expect
except ImportError:  # the `chromium` fixture reports it: fails in CI, skips locally
    expect = None

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

PASSWORD = "Werkbank-Passwort-2026"
SUBJECTS = ["den Termin", "die Probefahrt", "das Leasing", "die Rechnung", "den Login",
            "die Garantie", "den Rückruf", "die Lieferung", "die Adresse", "den Service",
            "die Bremsen", "das Pickerl"]  # fmt: skip
VERBS = ["canceln pls", "am weekend", "checken", "nöd finden", "grad nicht sehen",
         "leiwand finden", "heute noch klären", "asap erledigen", "nicht verstehen"]  # fmt: skip


def messages() -> list[tuple[str, str]]:
    """108 different misread messages (text, the intent the model guessed)."""
    guesses = ["inform", "book_appointment", "dealer_info"]
    return [
        (f"Ich will {subject} {verb}", guesses[(i + j) % 3])
        for i, subject in enumerate(SUBJECTS)
        for j, verb in enumerate(VERBS)
    ]


def write_tracker_store(path: Path) -> str:
    """Rasa's SQL tracker store with one conversation per message; the first one three times."""
    start = time.time() - 3600
    rows = []
    for n, (text, guess) in enumerate(messages() + [messages()[0]] * 2):
        sender = f"conversation-{n}"
        parse = {
            "intent": {"name": "nlu_fallback", "confidence": 0.4},
            "intent_ranking": [
                {"name": "nlu_fallback", "confidence": 0.4},
                {"name": guess, "confidence": 0.35},
                {"name": "help", "confidence": 0.2},
                {"name": "out_of_scope", "confidence": 0.1},
            ],
        }
        events = [
            {"event": "bot", "timestamp": start + n, "text": "Wie kann ich helfen?"},
            {"event": "user", "timestamp": start + n + 0.5, "text": text,
             "input_channel": "socketio", "parse_data": parse},
            {"event": "action", "timestamp": start + n + 0.6, "name": "utter_ask_rephrase"},
        ]  # fmt: skip
        rows += [
            {"sender_id": sender, "type_name": e["event"], "timestamp": e["timestamp"],
             "action_name": e.get("name"), "data": json.dumps(e)}
            for e in events
        ]  # fmt: skip
    url = f"sqlite:///{path}"
    engine = create_engine(url)
    EVENTS.metadata.create_all(engine)
    with engine.begin() as connection:
        connection.execute(EVENTS.insert(), rows)
    engine.dispose()
    return url


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CRMServer]:
    """`bot serve` over a seeded CRM, reading a filled tracker store for the inbox."""
    folder = tmp_path_factory.mktemp("workbench-service")
    seed(folder / "crm.db", population=0)
    server = CRMServer(folder / "crm.db", folder)
    server.env.update(
        RASA_TRACKER_STORE_URL=write_tracker_store(folder / "tracker.db"),
        TRAINING_SWEEP_SECONDS="0.5",
        TRAINING_NLU_SUMMARY=str(folder / "no-summary.json"),
    )
    server.start()
    create_agent(server, "keller", PASSWORD, "Frau Keller")
    create_agent(server, "lorenz", PASSWORD, "Herr Lorenz", "trainer")
    yield server
    server.stop()


def inbox(service: CRMServer, token: str, status: str = "open") -> list[dict]:
    response = httpx.get(
        f"{service.url}/api/training/inbox?status={status}",
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    response.raise_for_status()
    return list(response.json())


def wait_for_inbox(service: CRMServer, token: str, size: int) -> list[dict]:
    for _ in range(200):
        items = inbox(service, token)
        if len(items) >= size:
            return items
        time.sleep(0.1)
    raise AssertionError(f"the inbox has {len(items)} items, not {size}")


def log_in(page, service: CRMServer, username: str) -> None:
    page.goto(f"{service.url}/training")
    page.get_by_label("Benutzername").fill(username)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()


def test_a_plain_agent_is_turned_away(service, open_page) -> None:
    watched = open_page(DESKTOP)
    log_in(watched.page, service, "keller")
    expect(watched.page.get_by_role("alert")).to_have_text(
        "Dieses Konto hat nicht die Rolle Trainer."
    )
    expect(watched.page.locator("#bench-view")).to_be_hidden()


def test_a_trainer_labels_a_hundred_items_from_the_keyboard(service, open_page, shoot) -> None:
    token = agent_token(service, "lorenz", PASSWORD)
    items = wait_for_inbox(service, token, len(messages()))
    assert items[0]["count"] == 3 and items[0]["text"] == messages()[0][0]  # by count
    watched = open_page(DESKTOP)
    page = watched.page
    log_in(page, service, "lorenz")
    rows = page.locator("#items").get_by_role("option")
    expect(rows).to_have_count(len(messages()))
    expect(page.locator("#item-text")).to_have_text(messages()[0][0])
    shoot(page, "workbench")

    # the conversation around the message (masked), then: pick another intent by name
    page.keyboard.press("c")
    expect(page.locator("#turns li.current")).to_have_text(messages()[0][0])
    page.keyboard.press("i")
    page.keyboard.type("cancel_appointment")
    page.keyboard.press("Enter")
    expect(rows).to_have_count(len(messages()) - 1)
    # mark an entity: select "Probefahrt" in the text, "m", then accept the first suggestion
    page.locator("#items").focus()
    page.keyboard.press("j")
    page.keyboard.press("k")
    text = page.locator("#item-text").inner_text()
    word = "Termin" if "Termin" in text else text.split()[2]
    page.evaluate(
        """(word) => {
            const node = document.getElementById("item-text").firstChild;
            const start = node.textContent.indexOf(word);
            const range = document.createRange();
            range.setStart(node, start);
            range.setEnd(node, start + word.length);
            getSelection().removeAllRanges();
            getSelection().addRange(range);
        }""",
        word,
    )
    page.locator("#entity-select").select_option("service_type")
    page.locator("#items").focus()
    page.keyboard.press("m")
    expect(page.locator("#item-text mark")).to_have_text(word)
    page.keyboard.press("1")
    expect(rows).to_have_count(len(messages()) - 2)
    # out of scope, ignore, then one key per item for the rest
    page.keyboard.press("o")
    page.keyboard.press("x")
    expect(rows).to_have_count(len(messages()) - 4)
    started, keys = time.perf_counter(), 0
    while rows.count() > len(messages()) - 104:
        before = rows.count()
        page.keyboard.press("1")
        keys += 1
        expect(rows).to_have_count(before - 1)
    seconds = time.perf_counter() - started
    print(
        f"\nworkbench: 100 items labelled with {keys + 6} keystrokes in {seconds:.1f} s (+4 above)"
    )

    labelled = {i["text"]: i["label"] for i in inbox(service, token, "labelled")}
    assert len(labelled) == 103
    assert labelled[messages()[0][0]]["intent"] == "cancel_appointment"
    marked = [label for label in labelled.values() if label["entities"]]
    assert [e["entity"] for e in marked[0]["entities"]] == ["service_type"]
    assert sum(label["intent"] == "out_of_scope" for label in labelled.values()) >= 1
    assert len(inbox(service, token, "ignored")) == 1
    assert watched.console_errors == [] and watched.csp_violations() == []
    export = httpx.get(
        f"{service.url}/api/training/export",
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    assert export.text.count("\n    - ") == 103


def test_an_agent_flags_a_misunderstood_message_in_the_desk(service, open_page) -> None:
    start = time.time() - 120
    said = "Mei Kistn springt ned an, K-100001"
    events = [
        {"event": "user", "timestamp": start, "text": said, "input_channel": "socketio",
         "parse_data": {"intent": {"name": "inform", "confidence": 0.62}}},
        {"event": "bot", "timestamp": start + 1, "text": "Danke, ich prüfe das."},
        {"event": "user", "timestamp": start + 30, "text": "Ich will einen Menschen",
         "input_channel": "socketio",
         "parse_data": {"intent": {"name": "request_human", "confidence": 0.99}}},
    ]  # fmt: skip
    escalation = hand_over(service, "flag-conversation", events)
    watched = open_page(DESKTOP)
    desk = AgentDesk(watched.page, service.url)
    desk.open()
    desk.log_in("keller", PASSWORD)
    desk.queue_entry(f"#{escalation}").click()
    line = desk.lines("customer").filter(has_text="springt ned an")
    line.get_by_role("button", name="Für das Training markieren").click()
    expect(desk.message).to_have_text("Die Nachricht ist im Trainings-Eingang.")
    token = agent_token(service, "lorenz", PASSWORD)
    flagged = [i for i in inbox(service, token) if i["reason"] == "flagged"]
    assert [(i["text"], i["predictions"]) for i in flagged] == [
        ("Mei Kistn springt ned an, K-000000", [{"intent": "inform", "confidence": 0.62}])
    ]
    assert watched.console_errors == []
