"""Talking to the running Rasa server over the REST channel, and looking into tracker and CRM."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from typing import Any

import httpx

from tests.support.crm_server import CRM_API_TOKEN, CUSTOMER_TOKEN_SECRET, CRMServer
from tests.support.processes import REST_CHANNEL_TEST_TOKEN, rasa_api_auth

REST_AUTH = {"Authorization": f"Bearer {REST_CHANNEL_TEST_TOKEN}"}
"""What an integration presents to the REST channel in tests."""


@dataclass
class Turn:
    """The bot's answer to one message."""

    messages: list[dict[str, Any]]
    seconds: float

    @property
    def text(self) -> str:
        return " ".join(m.get("text") or "" for m in self.messages)

    @property
    def buttons(self) -> list[str]:
        return [b["payload"] for m in self.messages for b in m.get("buttons", [])]


class Chat:
    """One conversation with the Rasa server (a fresh sender id)."""

    def __init__(self, rasa_server, metadata: dict[str, Any] | None = None) -> None:
        self.rasa = rasa_server
        self.sender = f"e2e-{uuid.uuid4().hex[:10]}"
        self.metadata = metadata

    def say(self, message: str, metadata: dict[str, Any] | None = None) -> Turn:
        body: dict[str, Any] = {"sender": self.sender, "message": message}
        if metadata or self.metadata:
            body["metadata"] = metadata or self.metadata
        started = time.perf_counter()
        response = httpx.post(
            f"{self.rasa.url}/webhooks/rest/webhook", json=body, headers=REST_AUTH, timeout=30
        )
        seconds = time.perf_counter() - started
        assert response.status_code == 200, response.text
        return Turn(response.json(), seconds)

    def tracker(self) -> dict[str, Any]:
        return tracker(self.rasa, self.sender)

    def slot(self, name: str) -> Any:
        return self.tracker()["slots"].get(name)

    def verify(self, number: str, postal_code: str) -> Turn:
        """Start a personal request and pass the verification."""
        assert "Kundennummer" in self.say("Wo ist meine Bestellung?").text
        self.say(number)
        return self.say(postal_code)


def tracker(rasa_server, sender: str) -> dict[str, Any]:
    """The conversation ``sender`` as the Rasa server's HTTP API returns it (bearer JWT)."""
    response = httpx.get(
        f"{rasa_server.url}/conversations/{sender}/tracker",
        headers=rasa_api_auth(rasa_server.jwt_secret),
        timeout=10,
    )
    assert response.status_code == 200, response.text
    return response.json()


def customer_token(number: str, secret: str = CUSTOMER_TOKEN_SECRET) -> str:
    from bot.customer_tokens import issue_customer_token

    return issue_customer_token(number, secret)


def crm_customer(crm_server: CRMServer, number: str) -> dict[str, Any]:
    """The customer's record (vehicles, appointments, cases ...) straight from the CRM API."""
    response = httpx.get(
        f"{crm_server.url}/api/crm/customers/{number}",
        headers={"Authorization": f"Bearer {CRM_API_TOKEN}"},
        timeout=10,
    )
    assert response.status_code == 200, response.text
    return response.json()


def crm_history(crm_server: CRMServer, number: str) -> list[dict[str, Any]]:
    """The customer's interaction history, newest first, straight from the CRM API."""
    response = httpx.get(
        f"{crm_server.url}/api/crm/customers/{number}/interactions",
        headers={"Authorization": f"Bearer {CRM_API_TOKEN}"},
        timeout=10,
    )
    assert response.status_code == 200
    return response.json()


def crm_lead(crm_server: CRMServer, lead_number: str) -> Any:
    """The stored test-drive lead (the CRM API has no read route for leads), or None."""
    from bot.crm.db import create_crm_engine
    from bot.crm.service import CRMService

    engine = create_crm_engine(f"sqlite:///{crm_server.database}")
    try:
        return CRMService(engine).get_lead(lead_number)
    finally:
        engine.dispose()


def wait_for(condition, seconds: float = 5.0) -> bool:
    """Poll ``condition`` (history entries are written in the background)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()
