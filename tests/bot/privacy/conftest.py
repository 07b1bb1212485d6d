"""A small world for erasure and retention: CRM, tracker store, escalations, feedback, analytics.

``world`` runs on SQLite (a copy of the seeded CRM file, a tracker-store file)
and on the local PostgreSQL (two databases), with the same content:
K-100005 (Julia Becker) talked on the website and on Messenger, was handed
to an agent on Messenger (transcript, note), rated the conversation with a
comment and has history entries; K-100001 (Anna Schmidt) did the same on
the website. Erasing one must leave the other as it was.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import Engine

from bot.analytics.sources import TrackerStoreSource
from bot.analytics.store import AnalyticsStore
from bot.crm.db import create_crm_engine
from bot.crm.schemas import InteractionCreate
from bot.crm.service import CRMService
from bot.escalation.schemas import EscalationIntake
from bot.escalation.tracker_sweeper import EVENTS
from bot.escalation.wiring import EscalationFeature
from bot.feedback.store import FeedbackStore
from bot.privacy.crm_eraser import CRMEraser
from bot.privacy.erasers import ErasureRegistry
from bot.privacy.service import PrivacyService
from bot.privacy.store_erasers import (
    AnalyticsEraser,
    EscalationEraser,
    FeedbackEraser,
    TrainingInboxEraser,
)
from bot.privacy.tracker_eraser import TrackerStoreEraser
from bot.training.inbox import Sighting, TrainingInbox
from bot.training.schemas import Reason
from tests.bot.crm.conftest import seed_small
from tests.bot.escalation.conftest import SERVICE_TOKEN, Clock, settings
from tests.support.images import png
from tests.support.postgres import postgres_server

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc).timestamp()
JULIA, ANNA = "K-100005", "K-100001"
JULIA_WEB, JULIA_MESSENGER, ANNA_WEB = "web-julia-1", "fb-7001234567", "web-anna-1"


def user(text: str, intent: str, at: float, channel: str = "socketio") -> dict[str, Any]:
    return {
        "event": "user",
        "timestamp": T0 + at,
        "text": text,
        "input_channel": channel,
        "parse_data": {"text": text, "intent": {"name": intent, "confidence": 0.95}},
    }


def bot(text: str, at: float, response: str | None = None) -> dict[str, Any]:
    return {
        "event": "bot",
        "timestamp": T0 + at,
        "text": text,
        "metadata": {"utter_action": response},
    }


def slot(name: str, value: Any, at: float) -> dict[str, Any]:
    return {"event": "slot", "timestamp": T0 + at, "name": name, "value": value}


def action(name: str, at: float) -> dict[str, Any]:
    return {"event": "action", "timestamp": T0 + at, "name": name}


def session(at: float) -> list[dict[str, Any]]:
    return [action("action_session_start", at), {"event": "session_started", "timestamp": T0 + at}]


def order_chat(number: str, postal_code: str, channel: str, at: float = 0) -> list[dict[str, Any]]:
    """The customer verifies and asks where the order is."""
    return [
        *session(at),
        user("Wo ist meine Bestellung?", "order_status", at + 1, channel),
        bot("Wie lautet Ihre Kundennummer?", at + 1.1),
        user(number, "inform", at + 5, channel),
        user(postal_code, "inform", at + 9, channel),
        slot("verified_customer_number", number, at + 9.1),
        bot("Ihre Bestellung ist versandt.", at + 9.2, "utter_order_shipped"),
    ]


def handoff_chat(number: str, postal_code: str, channel: str, at: float) -> list[dict[str, Any]]:
    """The customer verifies, complains about an invoice and wants a human."""
    return [
        *session(at),
        user(
            "Meine Rechnung ist falsch, ich heiße Julia Becker", "invoice_question", at + 1, channel
        ),
        user(number, "inform", at + 5, channel),
        user(postal_code, "inform", at + 9, channel),
        slot("verified_customer_number", number, at + 9.1),
        user("Ich möchte mit einem Menschen sprechen", "request_human", at + 20, channel),
        action("utter_handoff_requested", at + 20.1),
        bot("Gern verbinde ich Sie.", at + 20.1, "utter_handoff_requested"),
        action("action_request_human", at + 20.2),
    ]


def write_tracker_store(engine: Engine, conversations: dict[str, list[dict[str, Any]]]) -> None:
    EVENTS.metadata.create_all(engine)
    with engine.begin() as connection:
        for sender, events in conversations.items():
            connection.execute(
                EVENTS.insert(),
                [
                    {
                        "sender_id": sender,
                        "type_name": e["event"],
                        "timestamp": e["timestamp"],
                        "intent_name": (e.get("parse_data") or {}).get("intent", {}).get("name"),
                        "action_name": e.get("name") if e["event"] == "action" else None,
                        "data": json.dumps(e),
                    }
                    for e in events
                ],
            )


@dataclass
class World:
    crm: CRMService
    tracker: Engine
    escalations: EscalationFeature
    feedback: FeedbackStore
    analytics: AnalyticsStore
    source: TrackerStoreSource
    inbox: TrainingInbox
    privacy: PrivacyService
    clock: Clock
    escalation_ids: dict[str, int]


def build_world(crm_engine: Engine, tracker: Engine) -> World:
    clock = Clock(datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc))
    crm = CRMService(crm_engine, clock=clock)
    escalations = EscalationFeature.create(settings(), crm, SERVICE_TOKEN, clock)
    sessions = crm.session_factory
    write_tracker_store(
        tracker,
        {
            JULIA_WEB: order_chat(JULIA, "10115", "socketio"),
            JULIA_MESSENGER: handoff_chat(JULIA, "10115", "facebook", at=600),
            ANNA_WEB: handoff_chat(ANNA, "80331", "socketio", at=300),
        },
    )
    agent = escalations.agents.create_agent("keller", "geheim-genug-1", "Frau Keller").id
    ids = {}
    for sender, number, at in ((JULIA_MESSENGER, JULIA, 600), (ANNA_WEB, ANNA, 300)):
        intake = EscalationIntake(
            conversation_id=sender,
            verified_customer_number=number,
            events=handoff_chat(number, "10115", "socketio", at),
        )
        ids[sender] = escalations.service.open_escalation(intake).escalation_id
        escalations.service.claim(ids[sender], agent)
        escalations.service.add_agent_message(
            ids[sender], agent, "Guten Tag, hier ist Frau Keller."
        )
        escalations.service.add_note(ids[sender], agent, f"Kunde {number} ruft wegen Rechnung an")
        assert escalations.attachments is not None
        escalations.attachments.store_upload(sender, png(), "image/png", f"{number}.png")
    for sender, number in ((JULIA_WEB, JULIA), (JULIA_MESSENGER, JULIA), (ANNA_WEB, ANNA)):
        crm.record_interaction(
            number,
            InteractionCreate(
                channel="chat",
                conversation_id=f"{sender}@20261123T090000Z",
                topic="order_status",
                summary="Digitaler Assistent: Frage zum Stand einer Bestellung",
            ),
        )
    feedback = FeedbackStore(sessions, clock)
    feedback.rate(f"{JULIA_MESSENGER}@20261123T091000Z", "messenger", 2, JULIA)
    feedback.comment(f"{JULIA_MESSENGER}@20261123T091000Z", "messenger", "Zu lange gewartet", JULIA)
    feedback.rate(f"{ANNA_WEB}@20261123T090500Z", "website", 5, ANNA)
    feedback.comment(f"{ANNA_WEB}@20261123T090500Z", "website", "Sehr hilfreich", ANNA)
    analytics = AnalyticsStore(sessions)
    source = TrackerStoreSource(tracker, analytics)
    source.poll()
    inbox = TrainingInbox(sessions, ["greet"], [], clock)
    for sender, text in (
        (JULIA_WEB, "wo bleibt mein [Auftrag] bitte"),
        (JULIA_MESSENGER, "des versteh i ned"),
        (ANNA_WEB, "des versteh i ned"),
    ):
        inbox.record(
            Sighting(
                event_key=f"{sender}:1",
                text=text,
                reason=Reason.NLU_FALLBACK,
                predictions=[{"intent": "nlu_fallback", "confidence": 0.3}],
                conversation_id=sender,
                channel="socketio",
                seen_at=clock(),
                context=[{"speaker": "customer", "text": text, "current": True}],
            )
        )
    registry = ErasureRegistry()
    crm_eraser = CRMEraser(sessions)
    for eraser in (
        crm_eraser,
        TrackerStoreEraser(tracker),
        EscalationEraser(sessions),
        FeedbackEraser(sessions),
        AnalyticsEraser(sessions),
        TrainingInboxEraser(sessions),
    ):
        registry.register(eraser)
    privacy = PrivacyService(sessions, crm_eraser, registry, clock=clock)
    return World(crm, tracker, escalations, feedback, analytics, source, inbox, privacy, clock, ids)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def world(request, seeded_crm_file: Path, tmp_path: Path) -> Iterator[World]:
    """The world on SQLite files or on two PostgreSQL databases."""
    server = None
    if request.param == "sqlite":
        shutil.copy(seeded_crm_file, tmp_path / "crm.db")
        crm_engine = create_crm_engine(f"sqlite:///{tmp_path / 'crm.db'}")
        tracker = create_engine(f"sqlite:///{tmp_path / 'tracker.db'}")
    else:
        server = postgres_server(prefix="privacy_test")
        crm_engine = create_crm_engine(server.url(server.create("crm")))
        seed_small(crm_engine)
        tracker = create_engine(server.url(server.create("tracker")))
    yield build_world(crm_engine, tracker)
    crm_engine.dispose()
    tracker.dispose()
    if server is not None:
        server.close()
