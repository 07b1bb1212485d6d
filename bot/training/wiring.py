"""Assemble the training inbox for the bot service (``create_app`` mounts it)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from fastapi import APIRouter

from bot.clock import Clock, system_clock
from bot.crm.service import CRMService
from bot.escalation.service import EscalationService
from bot.settings import PROJECT_ROOT
from bot.training.api import training_router
from bot.training.collector import InboxCollector
from bot.training.inbox import TrainingInbox
from bot.training.masking import CrmNames
from bot.training.settings import TrainingSettings
from bot.training.sources import EventQueueSource, TrackerStoreSource

DOMAIN = PROJECT_ROOT / "domain.yml"
COMMON_WORDS = ("Mai", "Winter", "Sommer", "Lange", "Klein", "Kurz", "Name", "Service")
"""Customers' names that are also everyday words in our customers' messages."""


def domain_labels(domain: Path = DOMAIN) -> tuple[list[str], list[str]]:
    """Return the domain's intents and entities (what a label may name)."""
    content = yaml.safe_load(domain.read_text(encoding="utf-8")) or {}

    def names(entries: Any) -> list[str]:
        return [next(iter(e)) if isinstance(e, dict) else str(e) for e in entries or []]

    return names(content.get("intents")), names(content.get("entities"))


@dataclass
class TrainingFeature:
    """The inbox, its collector and event source, and the API router."""

    settings: TrainingSettings
    inbox: TrainingInbox
    collector: InboxCollector
    source: TrackerStoreSource | EventQueueSource | None
    router: APIRouter

    @classmethod
    def create(
        cls,
        settings: TrainingSettings,
        crm: CRMService,
        escalations: EscalationService,
        *,
        trainer: Callable[..., Any],
        agent: Callable[..., Any],
        clock: Clock = system_clock,
    ) -> TrainingFeature:
        """Build the feature over the CRM's database (see :class:`TrainingSettings`)."""
        intents, entities = domain_labels()
        inbox = TrainingInbox(crm.session_factory, intents, entities, clock)
        names = CrmNames(crm.session_factory, common_words=COMMON_WORDS)
        collector = InboxCollector(inbox, names)
        source: TrackerStoreSource | EventQueueSource | None = None
        if settings.source == "tracker_store" and settings.tracker_store_url:
            source = TrackerStoreSource(settings.tracker_store_url, collector)
        elif settings.source == "rabbitmq" and settings.amqp_url:
            source = EventQueueSource(settings.amqp_url.reveal(), settings.queue, collector)
        router = training_router(
            inbox,
            escalations,
            trainer=trainer,
            agent=agent,
            names=names,
            nlu_summary=settings.nlu_summary,
            clock=clock,
        )
        return cls(settings, inbox, collector, source, router)

    @asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        """Collect from the event source while the app runs."""
        task = None
        if self.source is not None:
            task = asyncio.create_task(self.source.run_forever(self.settings.sweep_seconds))
        try:
            yield
        finally:
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            if isinstance(self.source, TrackerStoreSource):
                self.source.close()
