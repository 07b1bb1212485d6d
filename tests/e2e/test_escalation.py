"""End to end: escalations against running servers (Rasa, action server, bot service).

The bot service reads the Rasa server's tracker store and calls its HTTP API
(tests/conftest.py wires them); agents are created with `bot agents create`.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from tests.e2e.chat import Chat, customer_token, wait_for
from tests.support.agents import agent_token, create_agent

pytestmark = [pytest.mark.model, pytest.mark.e2e]

HANDED_OVER = "Ihr Anliegen und unser bisheriger Chat werden übergeben"
PASSWORD = "e2e-geheim-123"


class Desk:
    """An agent using the escalation API of the running bot service."""

    def __init__(
        self, crm_server, username: str = "keller", display_name: str = "Frau Keller"
    ) -> None:
        create_agent(crm_server, username, PASSWORD, display_name)
        self.url = crm_server.url
        self.headers = {"Authorization": f"Bearer {agent_token(crm_server, username, PASSWORD)}"}

    def get(self, path: str, **params: Any) -> httpx.Response:
        return httpx.get(f"{self.url}{path}", params=params, headers=self.headers, timeout=10)

    def post(self, path: str, body: dict | None = None) -> httpx.Response:
        return httpx.post(f"{self.url}{path}", json=body, headers=self.headers, timeout=15)

    def find(self, conversation_id: str, status: str = "open") -> list[dict[str, Any]]:
        queue = self.get("/api/escalations", status=status).json()
        return [e for e in queue if e["conversation_id"] == conversation_id]

    def escalation_of(self, chat: Chat, seconds: float = 10.0) -> dict[str, Any]:
        assert wait_for(lambda: len(self.find(chat.sender)) == 1, seconds), self.find(chat.sender)
        [item] = self.find(chat.sender)
        return self.get(f"/api/escalations/{item['id']}").json()


@pytest.fixture(scope="module")
def desk(crm_server) -> Desk:
    return Desk(crm_server)


def test_a_request_creates_the_context_package_field_by_field(rasa_server, desk) -> None:
    chat = Chat(rasa_server, metadata={"customer_token": customer_token("K-100001")})
    assert "Frau Schmidt" in chat.say("Hallo").text
    chat.say("Ich habe eine Frage zu meiner Rechnung R-20250100")
    turn = chat.say("Ich möchte bitte mit einem Mitarbeiter sprechen")
    assert HANDED_OVER in turn.text
    assert "Warteschlange an Position" in turn.text and "Minuten" in turn.text

    package = desk.escalation_of(chat)
    assert (package["conversation_id"], package["channel"], package["status"]) == (
        chat.sender,
        "rest",
        "open",
    )
    assert (package["reason"], package["priority"], package["mode"]) == (
        "customer_request",
        "normal",
        "live",
    )
    assert package["reason_text"] == "Kunde möchte mit einem Menschen sprechen"
    customer = package["customer"]
    assert (customer["customer_number"], customer["verified"], customer["name"]) == (
        "K-100001",
        True,
        "Frau Anna Schmidt",
    )
    assert (customer["tier"], customer["customer_since"]) == ("Gold", "2004-03-15")
    assert [v["model"] for v in customer["vehicles"]] == ["Aurora Touring"]
    assert [o["order_number"] for o in customer["open_orders"]] == ["B-20250001"]
    assert customer["recent_interactions"] and customer["recent_interactions"][0]["summary"]
    intents = [(i["intent"], i["text"]) for i in package["intents"]]
    assert intents[0] == ("greet", "Hallo")
    assert ("request_human", "Ich möchte bitte mit einem Mitarbeiter sprechen") in intents
    assert all(0 < i["confidence"] <= 1 for i in package["intents"])
    assert package["slots"]["verified_customer_number"] == "K-100001"
    assert {"entity": "invoice_number", "value": "R-20250100"} in package["entities"]
    assert "action_request_human" not in [
        a["action"] for a in package["bot_actions"]
    ]  # still running
    assert "utter_handoff_requested" in [a["action"] for a in package["bot_actions"]]
    transcript = package["transcript"]
    assert [t["role"] for t in transcript][:2] == ["customer", "bot"]
    assert transcript[0]["text"] == "Hallo" and transcript[0]["timestamp"].endswith("+00:00")
    assert any(t["role"] == "bot" and "Frau Schmidt" in t["text"] for t in transcript)
    assert "Rechnungsnummer R-20250100" in package["summary"]
    assert "Frau Anna Schmidt (K-100001, Gold, verifiziert)" in package["summary"]
    assert package["queue_position"] >= 1 and package["wait_minutes"] >= 1


def test_three_quick_requests_give_one_escalation(rasa_server, desk) -> None:
    chat = Chat(rasa_server)
    with ThreadPoolExecutor(max_workers=3) as pool:
        turns = list(
            pool.map(chat.say, ["Mitarbeiter bitte", "Ich will einen Menschen", "Mensch bitte"])
        )
    assert all(HANDED_OVER in turn.text for turn in turns)
    assert sum("bereits vor" in turn.text for turn in turns) == 2
    time.sleep(1.5)
    assert len(desk.find(chat.sender)) == 1


def test_two_fallbacks_in_a_row_escalate_after_the_offer(rasa_server, desk) -> None:
    chat = Chat(rasa_server)
    chat.say("ööh")  # unsure: nlu_fallback
    assert "verbinden" in chat.say("ööh").text
    assert HANDED_OVER in chat.say("/affirm").text  # the offer's button
    package = desk.escalation_of(chat)
    assert (package["reason"], package["priority"]) == ("repeated_fallback", "normal")


def test_frustration_escalates_with_high_priority(rasa_server, desk) -> None:
    chat = Chat(rasa_server)
    turn = chat.say("Das ist doch ein Witz, du bist völlig nutzlos!")
    assert "Das tut mir wirklich leid" in turn.text and "Position" in turn.text
    package = desk.escalation_of(chat)
    assert (package["reason"], package["priority"]) == ("frustration", "high")


@pytest.mark.parametrize("insult", ["Ihr seid doch alle Vollidioten", "Saftladen!"])
def test_an_insult_without_a_request_escalates(rasa_server, desk, insult: str) -> None:
    chat = Chat(rasa_server)
    chat.say("Hallo")
    turn = chat.say(insult)
    assert "Das tut mir wirklich leid" in turn.text and "Position" in turn.text
    package = desk.escalation_of(chat)
    assert (package["reason"], package["priority"]) == ("frustration", "high")


def test_three_failed_verifications_escalate_as_a_business_rule(rasa_server, desk) -> None:
    chat = Chat(rasa_server)
    chat.say("Ich habe eine Frage zu meiner Rechnung")
    for _ in range(3):
        chat.say("K-100001")
        last = chat.say("99999")
    assert "nicht noch einmal versuchen" in last.text
    # handed over at once, to the live queue (the desk's agent is online); then the bot waits
    assert last.messages[-1]["text"].startswith("Sie sind in der Warteschlange an Position")
    package = desk.escalation_of(chat)
    assert (package["reason"], package["priority"]) == ("verification_locked", "high")
    assert (package["customer"]["verified"], package["customer"]["customer_number"]) == (
        False,
        "K-100001",
    )


def test_concurrent_claims_have_exactly_one_winner(rasa_server, crm_server, desk) -> None:
    chat = Chat(rasa_server)
    chat.say("Ich möchte mit einem Mitarbeiter sprechen")
    escalation = desk.escalation_of(chat)["id"]
    desks = [
        desk,
        Desk(crm_server, "meier", "Herr Meier"),
        Desk(crm_server, "yilmaz", "Frau Yilmaz"),
    ]
    with ThreadPoolExecutor(max_workers=3) as pool:
        codes = sorted(
            pool.map(lambda d: d.post(f"/api/escalations/{escalation}/claim").status_code, desks)
        )
    assert codes == [200, 409, 409]
    assert desk.get(f"/api/escalations/{escalation}").json()["status"] == "claimed"


def test_out_of_hours_the_request_becomes_a_ticket_and_survives_restarts(
    rasa_server, crm_server, desk
) -> None:
    before = Chat(rasa_server)
    before.say("Mitarbeiter bitte")
    kept = desk.escalation_of(before)["id"]
    crm_server.stop()
    crm_server.env["ESCALATION_BUSINESS_HOURS"] = "closed"
    crm_server.start()
    try:
        chat = Chat(rasa_server)
        turn = chat.say("Ich möchte mit einem Mitarbeiter sprechen")
        assert "Gerade ist leider niemand aus unserem Team erreichbar" in turn.text
        package = desk.escalation_of(chat)
        assert package["mode"] == "ticket" and package["callback_due_at"]
        assert f"E-{package['id']:06d}" in turn.text
        assert desk.get(f"/api/escalations/{kept}").status_code == 200  # still there
    finally:
        crm_server.stop()
        crm_server.env["ESCALATION_BUSINESS_HOURS"] = "always"
        crm_server.start()


def test_a_journeys_business_rule_hands_over_with_its_case(rasa_server, desk) -> None:
    # A generated customer: the demo customers' open cases are asserted elsewhere.
    chat = Chat(rasa_server, metadata={"customer_token": customer_token("K-200011")})
    chat.say("Hallo")
    turn = chat.say("Die Rechnung R-50000110 ist zu hoch, das stimmt nicht")
    assert "Position" in turn.text
    package = desk.escalation_of(chat)
    assert (package["reason"], package["priority"]) == ("invoice_dispute", "high")
    assert package["case_number"] and package["case_number"].startswith("C-")
    assert f"Fall {package['case_number']}" in package["summary"]
    assert package["customer"]["verified"] is True
    assert package["customer"]["customer_number"] == "K-200011"


def test_the_agent_reads_an_earlier_conversation_no_human_saw(rasa_server, desk) -> None:
    """Said once is enough: what the customer told the assistant before is one click away."""
    token = {"customer_token": customer_token("K-100002")}
    earlier = Chat(rasa_server, metadata=token)
    earlier.say("Hallo")
    earlier.say("Welche Rechnungen sind bei mir noch offen?")
    later = Chat(rasa_server, metadata=token)
    later.say("Ich möchte bitte mit einem Mitarbeiter sprechen")
    detail = desk.escalation_of(later)
    conversations = {
        c["conversation_id"].rpartition("@")[0]: c for c in detail["previous_conversations"]
    }
    assert earlier.sender in conversations, detail["previous_conversations"]
    transcript = conversations[earlier.sender]["transcript"]
    assert ("customer", "Welche Rechnungen sind bei mir noch offen?") in {
        (line["role"], line["text"]) for line in transcript
    }
    assert later.sender not in conversations
