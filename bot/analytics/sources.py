"""Where the analytics events come from: Rasa's tracker store, or RabbitMQ in production.

Embedded (``endpoints.yml``): the bot service reads the tracker store's
``events`` table (``RASA_TRACKER_STORE_URL``) above a watermark, the
highest ``events.id`` seen, like the escalation sweeper. Production
(``endpoints.production.yml``): Rasa publishes every event to RabbitMQ; with
``ANALYTICS_AMQP_URL`` set, the bot service consumes the queue
(``ANALYTICS_QUEUE``, default ``nordlicht_events_analytics``: its own queue,
beside the training inbox's ``nordlicht_events``) instead. Both hand the
same stripped events to :class:`~bot.analytics.store.AnalyticsStore`, so the
rows do not depend on the source.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from typing import Any

from sqlalchemy import create_engine, select
from sqlalchemy.engine import Engine

from bot.analytics.events import strip_event
from bot.analytics.store import AnalyticsStore
from bot.escalation.tracker_sweeper import EVENTS

logger = logging.getLogger(__name__)

BATCH = 5000
"""Events read per query from the tracker store."""


class TrackerStoreSource:
    """Reads new events from Rasa's SQL tracker store.

    Args:
        url_or_engine: SQLAlchemy URL (or engine) of the tracker store.
        store: Where events and rows go.

    """

    def __init__(self, url_or_engine: str | Engine, store: AnalyticsStore) -> None:
        self._engine = (
            create_engine(url_or_engine, pool_pre_ping=True)
            if isinstance(url_or_engine, str)
            else url_or_engine
        )
        self._store = store
        self._watermark = 0

    def poll(self) -> int:
        """Read everything new, rebuild the touched conversations; return rows written."""
        touched: set[str] = set()
        while True:
            query = (
                select(EVENTS.c.id, EVENTS.c.sender_id, EVENTS.c.data)
                .where(EVENTS.c.id > self._watermark)
                .order_by(EVENTS.c.id)
                .limit(BATCH)
            )
            try:
                with self._engine.connect() as connection:
                    rows = connection.execute(query).all()
            except Exception as error:
                logger.warning("Tracker store unreadable for analytics: %s", type(error).__name__)
                return 0
            batch = []
            for event_id, sender, data in rows:
                stripped = strip_event(_parse(data))
                if stripped is not None:
                    batch.append((f"t:{event_id}", str(sender), stripped))
            touched |= self._store.add_events(batch)
            if rows:
                self._watermark = int(rows[-1][0])
            if len(rows) < BATCH:
                break
        return self._store.rebuild(touched)

    def close(self) -> None:
        """Release the connection pool."""
        self._engine.dispose()


class EventStreamSource:
    """Consumes Rasa's events from RabbitMQ (the production event broker).

    Rasa's ``PikaEventBroker`` declares the queue durable and publishes every
    event as JSON with its ``sender_id``; this source takes what is waiting,
    stores it and only then acknowledges, so a crash loses nothing (a message
    delivered twice is stored once, by its hash).

    Args:
        amqp_url: ``amqp://user:password@host:5672/vhost``.
        queue: The queue Rasa publishes to.
        store: Where events and rows go.

    """

    def __init__(self, amqp_url: str, queue: str, store: AnalyticsStore) -> None:
        self._url = amqp_url
        self._queue = queue
        self._store = store

    def poll(self, limit: int = 5000) -> int:
        """Take up to ``limit`` waiting messages, store them, acknowledge; return rows written."""
        return asyncio.run(self._poll(limit))

    async def _poll(self, limit: int) -> int:
        import aio_pika

        connection = await aio_pika.connect(self._url, timeout=5)
        try:
            channel = await connection.channel()
            queue = await channel.declare_queue(self._queue, durable=True)
            messages = []
            for _ in range(limit):
                message = await queue.get(no_ack=False, fail=False, timeout=5)
                if message is None:
                    break
                messages.append(message)
            batch = [item for item in map(_message, (m.body for m in messages)) if item]
            touched = await asyncio.to_thread(self._store.add_events, batch)
            for message in messages:
                await message.ack()
        finally:
            await connection.close()
        return await asyncio.to_thread(self._store.rebuild, touched)

    def close(self) -> None:
        """Nothing to release: each poll opens its own connection."""


def _message(body: bytes) -> tuple[str, str, dict[str, Any]] | None:
    event = _parse(body)
    sender = event.get("sender_id")
    stripped = strip_event(event)
    if not isinstance(sender, str) or not sender or stripped is None:
        return None
    return f"q:{hashlib.sha256(body).hexdigest()[:64]}", sender, stripped


def _parse(data: str | bytes | None) -> dict[str, Any]:
    try:
        parsed = json.loads(data or "{}")
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}
