"""The inbox is filled from Rasa's tracker store and from the real RabbitMQ event queue."""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import datetime, timezone

import aio_pika
import pytest
from sqlalchemy import event

from bot.escalation.tracker_sweeper import EVENTS
from bot.training.collector import InboxCollector
from bot.training.inbox import TurnCount
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


def test_a_sweep_counts_its_messages_in_one_write_and_a_restart_counts_nothing_again(
    training, crm_service_local, tmp_path
) -> None:
    conversations = {f"conv-{n}": conversation() for n in range(3)}
    url = tracker_store(tmp_path / "tracker.db", conversations)
    writes: list[str] = []

    def note(_conn, _cursor, statement: str, *_args) -> None:
        if statement.startswith("INSERT INTO training_turns"):
            writes.append(statement)

    engine = crm_service_local.session_factory.kw["bind"]
    event.listen(engine, "before_cursor_execute", note)
    source = TrackerStoreSource(url, InboxCollector(training.inbox, settle_seconds=30))
    assert source.sweep(now=T0 + 100) == 9  # three misread messages in each conversation
    source.close()
    assert len(writes) == 1  # fifteen messages, one statement in one transaction
    assert sorted(i.count for i in training.inbox.list_items()) == [3, 3, 3]
    counts = training.inbox.intent_counts()
    assert counts["greet"][:2] == (3, 0)
    assert counts["inform"][:2] == (3, 3)
    assert counts["request_human"][:2] == (3, 0)
    assert sum(predicted for predicted, _, _ in counts.values()) == 15
    restarted = TrackerStoreSource(url, InboxCollector(training.inbox, settle_seconds=30))
    assert restarted.sweep(now=T0 + 300) == 0
    restarted.close()
    assert len(writes) == 1
    assert training.inbox.intent_counts() == counts


def test_turn_counts_in_one_batch_count_once_and_never_again(training) -> None:
    at = datetime.fromtimestamp(T0, tz=timezone.utc)
    first = [TurnCount("a", "greet", False, at), TurnCount("a", "greet", False, at)]
    assert training.inbox.count_turns(first) == 1
    again = [TurnCount("a", "greet", False, at), TurnCount("b", "", True, at)]
    assert training.inbox.count_turns(again) == 1
    assert training.inbox.count_turns([]) == 0
    counts = training.inbox.intent_counts()
    assert (counts["greet"][:2], counts["unknown"][:2]) == ((1, 0), (1, 1))


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
