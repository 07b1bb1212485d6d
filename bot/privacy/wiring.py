"""Assemble erasure and retention for the bot service and the ``bot privacy`` command."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from bot.clock import Clock, system_clock
from bot.privacy.crm_eraser import CRMEraser
from bot.privacy.erasers import ErasureRegistry
from bot.privacy.service import PrivacyService, RetentionPeriods
from bot.privacy.store_erasers import (
    AnalyticsEraser,
    EscalationEraser,
    FeedbackEraser,
    TrainingInboxEraser,
)
from bot.privacy.tracker_eraser import TrackerStoreEraser
from bot.settings import PROJECT_ROOT, Settings

logger = logging.getLogger(__name__)


@dataclass
class PrivacyFeature:
    """The privacy service and the tracker-store eraser it may own."""

    service: PrivacyService
    interval_hours: float
    tracker: TrackerStoreEraser | None
    on_error: Callable[[str], None] = field(default=lambda _kind: None)

    @classmethod
    def create(
        cls,
        settings: Settings,
        sessions: object,
        clock: Clock = system_clock,
        *,
        escalation_sessions: object = None,
        tracker_store_url: str | None = None,
    ) -> PrivacyFeature:
        """Register every store's eraser over the CRM's sessions and Rasa's tracker store.

        ``escalation_sessions`` reach the escalation tables and the audit log
        when they live in a database of their own (ESCALATION_DATABASE_URL).
        """
        registry = ErasureRegistry()
        crm = CRMEraser(sessions)
        registry.register(crm)
        tracker = None
        url = tracker_store_url or _embedded_tracker_store()
        if url:
            tracker = TrackerStoreEraser(url)
            registry.register(tracker)
        else:
            logger.warning("No tracker store: RASA_TRACKER_STORE_URL is not set")
        registry.register(EscalationEraser(escalation_sessions or sessions))
        registry.register(FeedbackEraser(sessions))
        registry.register(AnalyticsEraser(sessions))
        registry.register(TrainingInboxEraser(sessions))
        periods = RetentionPeriods(
            settings.retention_conversation_days, settings.retention_escalation_days
        )
        service = PrivacyService(
            sessions, crm, registry, periods, clock, audit_sessions=escalation_sessions
        )
        return cls(service, settings.retention_interval_hours, tracker)

    async def retention_forever(self, first_delay_seconds: float = 300.0) -> None:
        """Run the retention after a start-up delay, then every ``interval_hours``."""
        await asyncio.sleep(first_delay_seconds)
        while True:
            try:
                report = await asyncio.to_thread(self.service.retention)
                logger.info("Retention run: %s", report["stores"])
            except Exception as error:
                logger.error("Retention run failed: %s", type(error).__name__)
                self.on_error("retention_run")
            await asyncio.sleep(self.interval_hours * 3600)

    @asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        """Run the daily retention while the app runs."""
        task = asyncio.create_task(self.retention_forever())
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            self.close()

    def close(self) -> None:
        """Release the tracker store's connections."""
        if self.tracker is not None:
            self.tracker.close()


def _embedded_tracker_store() -> str | None:
    """Return the URL of ``endpoints.yml``'s SQLite tracker store when it exists."""
    path = PROJECT_ROOT / "var" / "rasa_tracker.db"
    return f"sqlite:///{path}" if path.exists() else None
