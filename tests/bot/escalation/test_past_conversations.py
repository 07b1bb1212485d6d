"""An agent sees the verified customer's earlier conversations with the assistant.

Also those no human ever saw: they are read from Rasa's tracker store, found
through the customer's own CRM history (``sender@session-start``), so no other
customer's conversation can appear.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone

import pytest
from sqlalchemy import create_engine

from bot.conversation_log import conversation_id_for
from bot.crm.schemas import InteractionCreate
from bot.escalation.schemas import EscalationIntake
from bot.escalation.wiring import EscalationFeature
from tests.bot.escalation.conftest import SERVICE_TOKEN, Clock, settings
from tests.bot.privacy.conftest import T0, handoff_chat, order_chat, write_tracker_store

JULIA, ANNA = "K-100005", "K-100001"
EARLIER_WEB, LATER_MESSENGER, ANNA_WEB = "web-julia-1", "fb-7001234567", "web-anna-1"
START = datetime.fromtimestamp(T0, tz=timezone.utc)


@pytest.fixture
def feature(crm_service_local, tmp_path) -> Iterator[EscalationFeature]:
    tracker = f"sqlite:///{tmp_path / 'tracker.db'}"
    engine = create_engine(tracker)
    write_tracker_store(
        engine,
        {
            # Julia's first session, a second one an hour later, and Anna's
            EARLIER_WEB: [
                *order_chat(JULIA, "10115", "socketio"),
                *order_chat(JULIA, "10115", "socketio", at=3600),
            ],
            ANNA_WEB: order_chat(ANNA, "80331", "socketio"),
            LATER_MESSENGER: handoff_chat(JULIA, "10115", "facebook", at=7200),
        },
    )
    engine.dispose()
    for number, sender in ((JULIA, EARLIER_WEB), (ANNA, ANNA_WEB)):
        crm_service_local.record_interaction(
            number,
            InteractionCreate(
                channel="chat",
                conversation_id=conversation_id_for(sender, START),
                topic="order_status",
                summary="Digitaler Assistent: Frage zum Stand einer Bestellung",
            ),
        )
    feature = EscalationFeature.create(
        settings(tracker_store_url=tracker), crm_service_local, SERVICE_TOKEN, Clock()
    )
    yield feature
    if feature.service.past is not None:
        feature.service.past.close()


def escalate(feature: EscalationFeature, verified: str | None) -> int:
    intake = EscalationIntake(
        conversation_id=LATER_MESSENGER,
        verified_customer_number=verified,
        claimed_customer_number=JULIA,
        events=handoff_chat(JULIA, "10115", "facebook", at=7200),
    )
    return feature.service.open_escalation(intake).escalation_id


def test_the_earlier_session_comes_with_its_transcript_and_nothing_else(feature) -> None:
    detail = feature.service.get_escalation(escalate(feature, JULIA))
    [earlier] = detail.previous_conversations
    assert earlier.conversation_id == conversation_id_for(EARLIER_WEB, START)
    assert earlier.summary == "Digitaler Assistent: Frage zum Stand einer Bestellung"
    texts = [(line.role, line.text) for line in earlier.transcript]
    assert texts[0] == ("customer", "Wo ist meine Bestellung?")
    assert ("bot", "Ihre Bestellung ist versandt.") in texts
    # the session ends where the next one starts; Anna's conversation never shows
    assert len([t for t in texts if t[1] == "Wo ist meine Bestellung?"]) == 1
    assert all(line.timestamp < START.replace(hour=10) for line in earlier.transcript)
    assert "80331" not in {line.text for line in earlier.transcript}


def test_an_unverified_customer_gets_no_earlier_conversations(feature) -> None:
    detail = feature.service.get_escalation(escalate(feature, None))
    assert detail.previous_conversations == []


def test_without_a_tracker_store_only_earlier_escalations_are_shown(crm_service_local) -> None:
    feature = EscalationFeature.create(settings(), crm_service_local, SERVICE_TOKEN, Clock())
    assert feature.service.past is None
    assert feature.service.get_escalation(escalate(feature, JULIA)).previous_conversations == []


def test_the_desk_asking_again_does_not_read_the_tracker_store_again(feature) -> None:
    """Live updates and replies ask for the package often; a past session is read once."""
    past = feature.service.past
    reads = []
    original = past._read_transcript
    past._read_transcript = lambda *args: reads.append(args) or original(*args)
    escalation_id = escalate(feature, JULIA)
    for _ in range(5):
        assert feature.service.get_escalation(escalation_id).previous_conversations
    assert len(reads) == 1
