"""Where the collector's events come from: Rasa's tracker store, or the RabbitMQ queue.

Embedded default: :class:`TrackerStoreSource` reads Rasa's SQL tracker store
(``RASA_TRACKER_STORE_URL``, the ``events`` table) every few seconds, the
rows written since the last read (``events.id`` above a watermark, as the
escalation sweeper does). The watermark steps back a little each time so a
row whose transaction committed late is still read; ids already fed are
skipped. After a restart the look-back window is read again: the inbox's
unique keys make that harmless.

Production: :class:`EventQueueSource` consumes the queue that Rasa's event
broker feeds (``endpoints.production.yml``, ``nordlicht_events``) with
aio-pika and acknowledges each event once it is handled, so an event is
never lost between the two.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from typing import Any

import anyio
from sqlalchemy import create_engine, select
from sqlalchemy.engine import Engine

from bot.escalation.tracker_sweeper import EVENTS
from bot.training.collector import InboxCollector

logger = logging.getLogger(__name__)

LOOKBACK_SECONDS = 24 * 3600
LATE_COMMIT_MARGIN = 500
"""Rows below the watermark read again, for transactions that committed late."""
MAX_ROWS_PER_SWEEP = 5000
MAX_EVENT_BYTES = 256 * 1024


class TrackerStoreSource:
    """Feeds the collector from Rasa's SQL tracker store.

    Args:
        tracker_store_url: SQLAlchemy URL of Rasa's tracker store.
        collector: Judges the messages.

    """

    def __init__(self, tracker_store_url: str, collector: InboxCollector) -> None:
        self._engine: Engine = create_engine(tracker_store_url, future=True, pool_pre_ping=True)
        self.collector = collector
        self._watermark = 0
        self._fed: set[int] = set()

    def sweep(self, now: float | None = None) -> int:
        """Read the new events, feed them, judge settled messages; return items recorded."""
        now = time.time() if now is None else now
        read_from = max(0, self._watermark - LATE_COMMIT_MARGIN)
        try:
            with self._engine.connect() as connection:
                rows = connection.execute(
                    select(EVENTS.c.id, EVENTS.c.sender_id, EVENTS.c.data)
                    .where(EVENTS.c.id > read_from, EVENTS.c.timestamp >= now - LOOKBACK_SECONDS)
                    .order_by(EVENTS.c.id)
                    .limit(MAX_ROWS_PER_SWEEP)
                ).all()
        except Exception as error:  # the tracker store may not exist yet
            logger.debug("Tracker store not readable: %r", error)
            return 0
        recorded = 0
        for event_id, sender_id, data in rows:
            if event_id in self._fed:
                continue
            self._fed.add(event_id)
            event = _decoded(data)
            if event is not None:
                recorded += self.collector.feed(str(sender_id), event)
        if rows:
            self._watermark = max(self._watermark, rows[-1][0])
        self._fed = {i for i in self._fed if i > self._watermark - LATE_COMMIT_MARGIN}
        return recorded + self.collector.flush(now)

    async def run_forever(self, every_seconds: float) -> None:
        """Sweep every ``every_seconds`` until cancelled (errors are logged, never fatal)."""
        while True:
            try:
                await anyio.to_thread.run_sync(self.sweep)
            except Exception:
                logger.exception("Training inbox sweep of the tracker store failed")
            await asyncio.sleep(every_seconds)

    def close(self) -> None:
        """Release the tracker store connections."""
        self._engine.dispose()


class EventQueueSource:
    """Feeds the collector from the RabbitMQ queue Rasa's event broker publishes to.

    Args:
        amqp_url: ``amqp://user:password@host:port/`` (built from RABBITMQ_*).
        queue: The queue name (``nordlicht_events``).
        collector: Judges the messages.

    """

    def __init__(self, amqp_url: str, queue: str, collector: InboxCollector) -> None:
        self._url = amqp_url
        self._queue = queue
        self.collector = collector

    def handle(self, body: bytes) -> int:
        """Feed one queue message (a Rasa event with ``sender_id``); return items recorded."""
        event = _decoded(body)
        if event is None:
            return 0
        recorded = self.collector.feed(str(event.get("sender_id") or ""), event)
        self.collector.save_counts()  # before the message is acknowledged
        return recorded

    async def run_forever(self, flush_seconds: float) -> None:
        """Consume until cancelled; reconnect after a lost connection (logged, never fatal)."""
        while True:
            try:
                await self._consume(flush_seconds)
            except asyncio.CancelledError:
                raise
            except Exception as error:
                logger.warning("Training inbox: event queue unavailable (%r), retrying", error)
                await asyncio.sleep(5)

    async def _consume(self, flush_seconds: float) -> None:
        import aio_pika

        connection = await aio_pika.connect_robust(self._url, timeout=10)
        async with connection:
            channel = await connection.channel()
            await channel.set_qos(prefetch_count=100)
            queue = await channel.declare_queue(self._queue, durable=True)
            async with queue.iterator() as messages:
                flushed = time.time()
                async for message in _with_ticks(messages, flush_seconds):
                    if message is not None:
                        async with message.process(requeue=False):
                            await anyio.to_thread.run_sync(self.handle, message.body)
                    if time.time() - flushed >= flush_seconds:
                        flushed = time.time()
                        await anyio.to_thread.run_sync(self.collector.flush, flushed)


async def _with_ticks(messages: Any, seconds: float) -> Any:
    """Yield the queue's messages, and ``None`` every ``seconds`` while it is quiet."""
    iterator = messages.__aiter__()
    while True:
        try:
            yield await asyncio.wait_for(iterator.__anext__(), timeout=seconds)
        except asyncio.TimeoutError:
            yield None


def _decoded(data: str | bytes | None) -> dict[str, Any] | None:
    if not data or len(data) > MAX_EVENT_BYTES:
        return None
    try:
        event = json.loads(data)
    except ValueError:
        logger.warning("Training inbox: an event that is not JSON was skipped")
        return None
    return event if isinstance(event, dict) else None
