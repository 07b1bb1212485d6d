"""The inbox is filled from Rasa's tracker store and from the real RabbitMQ event queue."""

from __future__ import annotations

import asyncio
import json
import uuid

import aio_pika
import pytest

from bot.escalation.tracker_sweeper import EVENTS
from bot.training.collector import InboxCollector
from bot.training.sources import EventQueueSource, TrackerStoreSource
from tests.bot.escalation.test_tracker_sweeper import tracker_store
from tests.bot.training.events import T0, conversation

AMQP = "amqp://guest:guest@127.0.0.1:5672/"


def test_the_tracker_store_sweep_fills_the_inbox_once(training, tmp_path) -> None:
    url = tracker_store(tmp_path / "tracker.db", {"conv-1": conversation()[:7]})
    source = TrackerStoreSource(url, InboxCollector(training.inbox, settle_seconds=30))
    assert source.sweep(now=T0 + 12) == 1  # the fallback's turn is over; the last is not
    # the rest of the conversation arrives
    from sqlalchemy import create_engine

    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(
            EVENTS.insert(),
            [
                {"sender_id": "conv-1", "type_name": e["event"], "timestamp": e["timestamp"],
                 "action_name": e.get("name"), "data": json.dumps(e)}
                for e in conversation()[7:]
            ],
        )  # fmt: skip
    engine.dispose()
    assert source.sweep(now=T0 + 100) == 2
    assert source.sweep(now=T0 + 200) == 0
    source.close()
    restarted = TrackerStoreSource(url, InboxCollector(training.inbox, settle_seconds=30))
    assert restarted.sweep(now=T0 + 300) == 0  # read again after a restart: nothing new
    restarted.close()
    assert sorted(i.count for i in training.inbox.list_items()) == [1, 1, 1]


@pytest.mark.asyncio
async def test_the_event_queue_consumer_fills_the_inbox(training) -> None:
    queue = f"nordlicht_events_test_{uuid.uuid4().hex[:8]}"
    connection = await aio_pika.connect_robust(AMQP)
    async with connection:
        channel = await connection.channel()
        declared = await channel.declare_queue(queue, durable=True)
        for event in conversation():  # as Rasa's pika broker publishes them
            body = json.dumps({**event, "sender_id": "conv-q"}).encode()
            await channel.default_exchange.publish(aio_pika.Message(body), routing_key=queue)
        await channel.default_exchange.publish(aio_pika.Message(b"not json"), routing_key=queue)
        source = EventQueueSource(AMQP, queue, InboxCollector(training.inbox, settle_seconds=0.5))
        task = asyncio.create_task(source.run_forever(flush_seconds=0.2))
        try:
            for _ in range(100):
                if len(training.inbox.list_items()) == 3:
                    break
                await asyncio.sleep(0.1)
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
        texts = sorted(i.text for i in training.inbox.list_items())
        assert texts == [
            "I find de Login nöd, K-000000",
            "des war nix, Anna Schmidt hier",
            "kannst du den termin canceln pls",
        ]
        left = await channel.declare_queue(queue, durable=True, passive=True)
        assert left.declaration_result.message_count == 0  # every event acknowledged
        await declared.delete(if_unused=False, if_empty=False)
