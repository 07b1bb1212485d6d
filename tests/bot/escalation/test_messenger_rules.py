"""Agent replies on Messenger: tagged HUMAN_AGENT once the customer's last message is 24 h old."""

from __future__ import annotations

from datetime import datetime, timedelta

from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.bot.escalation.test_api import intake, login


def test_the_bot_service_asks_for_the_tag_only_after_the_window(feature, rasa, clock) -> None:
    app = FastAPI()
    feature.install(app)
    feature.agents.create_agent("keller", "geheim-genug-1", "Frau Keller")
    client = TestClient(app)
    keller = login(client)
    # the test clock starts days after the customer's last message: it is moved to one
    # minute before the window closes, then past it
    escalation = intake(client, "fb-psid-1", channel="facebook")["escalation_id"]
    website = intake(client, "web-1")["escalation_id"]
    for claimed in (escalation, website):
        assert client.post(f"/api/escalations/{claimed}/claim", headers=keller).status_code == 200
    last = max(
        line["timestamp"]
        for line in client.get(f"/api/escalations/{escalation}", headers=keller).json()[
            "transcript"
        ]
        if line["role"] == "customer"
    )
    clock.now = datetime.fromisoformat(last) + timedelta(hours=23, minutes=59)

    def send(target: int, text: str) -> dict:
        response = client.post(
            f"/api/escalations/{target}/messages", json={"text": text}, headers=keller
        )
        assert response.status_code == 201, response.text
        return rasa.calls[-1][2][0]["metadata"]

    assert "message_tag" not in send(escalation, "Noch im Fenster")
    clock.advance(minutes=2)
    assert send(escalation, "Nach dem Fenster")["message_tag"] == "HUMAN_AGENT"
    assert "message_tag" not in send(website, "Website kennt keine Tags")
