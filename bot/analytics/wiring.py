"""Assemble analytics for the bot service: the source, the store, the API and the refresh loop."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from bot.analytics.service import AnalyticsService
from bot.analytics.sources import EventStreamSource, TrackerStoreSource
from bot.analytics.store import AnalyticsStore
from bot.settings import Settings

logger = logging.getLogger(__name__)


@dataclass
class AnalyticsFeature:
    """The analytics service and where its events come from."""

    service: AnalyticsService
    source: TrackerStoreSource | EventStreamSource | None
    interval_seconds: float
    on_error: Callable[[str], None] = field(default=lambda _kind: None)

    @classmethod
    def create(
        cls,
        settings: Settings,
        sessions: object,
        queue: str | None = None,
        *,
        tracker_store_url: str | None = None,
    ) -> AnalyticsFeature:
        """Read RabbitMQ when ANALYTICS_AMQP_URL is set, else the tracker store (if configured)."""
        store = AnalyticsStore(sessions)
        source: TrackerStoreSource | EventStreamSource | None = None
        if settings.analytics_amqp_url:
            source = EventStreamSource(
                settings.analytics_amqp_url.reveal(), queue or settings.analytics_queue, store
            )
        elif tracker_store_url:
            source = TrackerStoreSource(tracker_store_url, store)
        return cls(AnalyticsService(store), source, settings.analytics_interval_seconds)

    def refresh(self) -> int:
        """Bring the rows up to date now; return how many were rewritten."""
        return self.source.poll() if self.source is not None else 0

    async def refresh_forever(self) -> None:
        """Refresh every ``interval_seconds`` (errors are logged, the loop goes on)."""
        while True:
            try:
                await asyncio.to_thread(self.refresh)
            except Exception as error:
                logger.error("Analytics refresh failed: %s", type(error).__name__)
                self.on_error("analytics_refresh")
            await asyncio.sleep(self.interval_seconds)

    @asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        """Refresh in the background while the app runs."""
        task = asyncio.create_task(self.refresh_forever()) if self.source is not None else None
        try:
            yield
        finally:
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            if self.source is not None:
                self.source.close()
