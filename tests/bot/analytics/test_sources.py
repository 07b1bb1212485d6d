"""Both sources give the same rows: Rasa's tracker store and the RabbitMQ event stream."""

from __future__ import annotations

import asyncio
import json
import uuid

from sqlalchemy import create_engine, select

from bot.analytics.models import AnalyticsEvent, ConversationStat
from bot.analytics.sources import EventStreamSource, TrackerStoreSource
from bot.analytics.store import AnalyticsStore
from tests.bot.analytics.conversations import HOUR, escalated_invoice, served_order_status
from tests.bot.analytics.test_api import write_tracker_store
from tests.support.requirements import unavailable

AMQP_URL = "amqp://guest:guest@127.0.0.1:5672/"
CONVERSATIONS = {"web-1": served_order_status(0), "fb-1": escalated_invoice(HOUR)}


def summary_of(store_sessions) -> list[tuple]:
    with store_sessions() as session:
        rows = session.scalars(select(ConversationStat).order_by(ConversationStat.started_at))
        return [
            (r.sender_id, r.channel, r.turns, r.journeys_started, r.journeys_completed, r.escalated)
            for r in rows
        ]


def test_the_tracker_store_source_reads_new_events_once(crm_service_local, tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    write_tracker_store(url, CONVERSATIONS)
    store = AnalyticsStore(crm_service_local.session_factory)
    source = TrackerStoreSource(create_engine(url), store)
    assert source.poll() == 2
    assert source.poll() == 0  # nothing new
    assert summary_of(crm_service_local.session_factory) == [
        ("web-1", "website", 2, ["order_status"], ["order_status"], False),
        ("fb-1", "website", 2, ["invoice_question"], ["invoice_question"], True),
    ]
    with crm_service_local.session_factory() as session:
        stored = session.scalars(select(AnalyticsEvent.data)).all()
    assert all("text" not in event for event in stored)  # no message text is kept


def stored_events(sessions) -> int:
    with sessions() as session:
        return len(session.scalars(select(AnalyticsEvent.id)).all())


async def publish(queue: str, conversations: dict) -> None:
    import aio_pika

    connection = await aio_pika.connect(AMQP_URL, timeout=5)
    async with connection:
        channel = await connection.channel()
        await channel.declare_queue(queue, durable=True)
        for sender, events in conversations.items():
            for event in events:
                body = json.dumps({**event, "sender_id": sender}).encode()
                await channel.default_exchange.publish(aio_pika.Message(body), routing_key=queue)


async def delete_queue(queue: str) -> None:
    import aio_pika

    connection = await aio_pika.connect(AMQP_URL, timeout=5)
    async with connection:
        channel = await connection.channel()
        await channel.queue_delete(queue)


def test_the_event_stream_source_gives_the_same_rows(crm_service_local) -> None:
    queue = f"analytics_test_{uuid.uuid4().hex[:8]}"
    try:
        asyncio.run(publish(queue, CONVERSATIONS))
    except Exception as error:
        unavailable(f"RabbitMQ at 127.0.0.1:5672 unreachable: {type(error).__name__}")
    try:
        store = AnalyticsStore(crm_service_local.session_factory)
        source = EventStreamSource(AMQP_URL, queue, store)
        assert source.poll() == 2
        assert source.poll() == 0  # acknowledged: the queue is empty
        assert summary_of(crm_service_local.session_factory) == [
            ("web-1", "website", 2, ["order_status"], ["order_status"], False),
            ("fb-1", "website", 2, ["invoice_question"], ["invoice_question"], True),
        ]
        # a message delivered again (a consumer crashed before its ack) is stored once
        before = stored_events(crm_service_local.session_factory)
        asyncio.run(publish(queue, {"web-1": CONVERSATIONS["web-1"]}))
        source.poll()
        assert stored_events(crm_service_local.session_factory) == before
    finally:
        asyncio.run(delete_queue(queue))
