"""Retention by moving the clock: 90 days for conversations, 2 years for escalations."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.analytics.models import AnalyticsEvent, ConversationStat
from bot.escalation.models import (
    AuditEntry,
    Escalation,
    EscalationAttachment,
    EscalationMessage,
    EscalationNote,
)
from bot.escalation.tracker_sweeper import EVENTS
from bot.feedback.models import Feedback
from bot.training.models import InboxItem, InboxSighting
from tests.bot.privacy.conftest import World


def count(world: World, model) -> int:
    with world.crm.session_factory() as session:
        return int(session.execute(select(func.count()).select_from(model)).scalar_one())


def tracker_count(world: World) -> int:
    with world.tracker.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(EVENTS)).scalar_one())


def test_nothing_expires_within_the_periods(world) -> None:
    world.clock.advance(days=89)
    report = world.privacy.retention()
    assert report["stores"]["tracker_store"] == {"conversations": 0, "events": 0}
    assert report["stores"]["escalations"] == {"escalations": 0}
    assert tracker_count(world) > 0


def test_conversations_expire_after_90_days_and_escalations_after_2_years(world) -> None:
    events = tracker_count(world)
    world.clock.advance(days=91)
    dry = world.privacy.retention(dry_run=True)
    assert dry["dry_run"] is True
    assert dry["stores"]["tracker_store"] == {"conversations": 3, "events": events}
    assert dry["stores"]["feedback"] == {"feedback": 4}
    assert dry["stores"]["analytics"]["conversation_rows"] == 3
    assert dry["stores"]["escalations"] == {"escalations": 0}
    assert dry["stores"]["training_inbox"] == {"sightings": 3, "items_unlinked": 2}
    assert tracker_count(world) == events  # a dry run changes nothing
    assert count(world, AnalyticsEvent) > 0

    done = world.privacy.retention()
    assert done["stores"] == {**dry["stores"]} and done["dry_run"] is False
    assert tracker_count(world) == 0 and count(world, AnalyticsEvent) == 0
    with world.crm.session_factory() as session:
        feedback = session.scalars(select(Feedback)).all()
        assert [(f.comment, f.customer_number) for f in feedback] == [(None, None)] * 4
        assert sorted(f.score for f in feedback if f.score) == [2, 5]
        stats = session.scalars(select(ConversationStat)).all()
        assert len(stats) == 3 and all(s.erased and s.sender_id is None for s in stats)
        assert session.scalars(select(InboxSighting)).all() == []
        items = session.scalars(select(InboxItem)).all()
        assert len(items) == 2 and all(i.conversation_id is None for i in items)
    assert count(world, Escalation) == 2
    assert world.privacy.retention()["stores"]["tracker_store"]["conversations"] == 0

    world.clock.advance(days=2 * 365)
    report = world.privacy.retention()
    assert report["stores"]["escalations"] == {"escalations": 2}
    assert count(world, Escalation) == count(world, EscalationMessage) == 0
    assert count(world, EscalationNote) == count(world, EscalationAttachment) == 0
    with world.crm.session_factory() as session:
        entries = session.scalars(select(AuditEntry)).all()
    assert all(entry.escalation_id is None for entry in entries)
    assert [e.action for e in entries].count("privacy_retention") == 2


def test_the_periods_come_from_the_environment() -> None:
    from bot.settings import Settings

    settings = Settings.from_env(
        {"RETENTION_CONVERSATION_DAYS": "30", "RETENTION_ESCALATION_DAYS": "365"}
    )
    assert (settings.retention_conversation_days, settings.retention_escalation_days) == (30, 365)
    assert Settings.from_env({}).retention_conversation_days == 90
