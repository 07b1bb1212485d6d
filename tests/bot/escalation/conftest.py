"""Escalation fixtures: the real CRM (seeded SQLite copy), a settable clock, Rasa events."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

import httpx
import pytest

from bot.escalation.business_hours import BusinessHours
from bot.escalation.rasa_conversations import RasaConversations
from bot.escalation.settings import EscalationSettings
from bot.escalation.wiring import EscalationFeature
from bot.settings import Secret

SERVICE_TOKEN = Secret("service-token-0123456789abcdef0123456789")
AGENT_SECRET = Secret("agent-secret-0123456789abcdef0123456789ab")
MONDAY_MORNING = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)  # 10:00 in Berlin


class Clock:
    """A clock the test moves."""

    def __init__(self, now: datetime = MONDAY_MORNING) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


RASA_JWT_SECRET = "rasa-jwt-secret-for-the-escalation-tests"


class RasaRecorder:
    """Records what would go to Rasa's HTTP API (tests of bot/ only; e2e uses real Rasa)."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, str], list[dict[str, Any]]]] = []
        self.authorizations: list[str | None] = []
        self.status = 200

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.calls.append((request.url.path, dict(request.url.params), json.loads(request.content)))
        self.authorizations.append(request.headers.get("authorization"))
        return httpx.Response(self.status, json={})


def settings(schedule: str = "always", **overrides: Any) -> EscalationSettings:
    values: dict[str, Any] = {
        "agent_token_secret": AGENT_SECRET,
        "rasa_jwt_secret": Secret(RASA_JWT_SECRET),
        "business_hours": BusinessHours.parse(schedule),
        "rasa_url": "http://rasa.test",
        "messenger_file_hosts": (),  # tests never fetch from Facebook
    }
    values.update(overrides)
    return EscalationSettings(**values)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def rasa() -> RasaRecorder:
    return RasaRecorder()


@pytest.fixture
def feature(crm_service_local, clock: Clock, rasa: RasaRecorder) -> Iterator[EscalationFeature]:
    """The escalation feature over the seeded CRM, open around the clock."""
    built = EscalationFeature.create(settings(), crm_service_local, SERVICE_TOKEN, clock)
    built.live_chat.rasa = RasaConversations(
        built.settings, transport=httpx.MockTransport(rasa.handler)
    )
    yield built
    built.live_chat.rasa.close()


# --- Rasa events as the action server and the tracker store hold them ---------

T0 = 1_795_000_000.0


def user(
    text: str, intent: str, confidence: float = 0.97, at: float = 0.0, **entities: str
) -> dict:
    return {
        "event": "user",
        "timestamp": T0 + at,
        "text": text,
        "input_channel": "socketio",
        "parse_data": {
            "text": text,
            "intent": {"name": intent, "confidence": confidence},
            "entities": [{"entity": k, "value": v} for k, v in entities.items()],
        },
    }


def bot(text: str, at: float = 0.0, **metadata: str) -> dict:
    return {"event": "bot", "timestamp": T0 + at, "text": text, "metadata": metadata}


def action(name: str, at: float = 0.0) -> dict:
    return {"event": "action", "timestamp": T0 + at, "name": name}


def slot(name: str, value: Any, at: float = 0.0) -> dict:
    return {"event": "slot", "timestamp": T0 + at, "name": name, "value": value}


def invoice_conversation() -> list[dict[str, Any]]:
    """K-100001 verifies, asks about an invoice, then wants a human."""
    return [
        action("action_session_start"),
        {"event": "session_started", "timestamp": T0},
        action("action_listen"),
        user(
            "Ich habe eine Frage zu meiner Rechnung R-20250100",
            "invoice_question",
            0.93,
            1,
            invoice_number="R-20250100",
        ),
        action("action_remember_request", 1.1),
        slot("requested_intent", "invoice_question", 1.1),
        bot("Wie lautet Ihre Kundennummer?", 1.2),
        user("K-100001", "inform", 0.88, 5, customer_number="K-100001"),
        bot("Wie lautet die Postleitzahl?", 5.1),
        user("80331", "inform", 0.9, 9, postal_code="80331"),
        slot("verified_customer_number", "K-100001", 9.1),
        bot("Vielen Dank, Ihre Angaben sind bestätigt. Guten Tag Frau Schmidt!", 9.2),
        user(
            "Die Rechnung ist viel zu hoch, die Inspektion war doch im Angebot günstiger",
            "invoice_question",
            0.71,
            20,
        ),
        bot("Sie haben eine Frage zu einer Rechnung.", 20.1),
        user("Ich möchte mit einem Menschen sprechen", "request_human", 0.99, 30),
        action("utter_handoff_requested", 30.1),
        bot("Gern verbinde ich Sie mit einer Mitarbeiterin oder einem Mitarbeiter.", 30.1),
        action("action_request_human", 30.2),
    ]
