"""Record handoff requests the action server missed, from Rasa's tracker store.

Rasa drops a custom action that fails (action server down, crash): the
customer still gets ``utter_handoff_requested`` (the rule says it first), but
``action_request_human`` never records the escalation. The bot service
therefore reads Rasa's SQL tracker store (``RASA_TRACKER_STORE_URL``, the
``events`` table Rasa's ``SQLTrackerStore`` writes) every few seconds: every
``utter_handoff_requested`` that no escalation covers becomes one, built
from the conversation's events by the same code as the action's
(:func:`bot.escalation.handoff_reason.handoff_reason`: frustration, a locked
verification and an accepted offer after fallbacks count here too). Creation is
idempotent, so the action and the sweeper never produce two.

Each sweep reads only the events written since the previous one (``events.id``
above a watermark, a primary-key range): the table has no index on
``action_name`` or ``timestamp``, so reading the whole look-back window
every sweep would scan the entire table every few seconds. The watermark
lags one sweep behind, so a row whose transaction committed late (another
Rasa process) is still seen; event ids already handled are skipped.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from typing import Any

import anyio
from sqlalchemy import create_engine, func, select
from sqlalchemy.engine import Engine

from bot.dialogue.responses import HANDOFF_REQUESTED
from bot.dialogue.slots import CUSTOMER_NUMBER, HANDOFF_CASE_NUMBER, VERIFIED_CUSTOMER_NUMBER
from bot.escalation.handoff_reason import handoff_reason
from bot.escalation.schemas import EscalationIntake
from bot.escalation.service import EscalationService
from bot.escalation.tracker_events import EVENTS as EVENTS  # re-exported for its readers

logger = logging.getLogger(__name__)

HANDOFF_UTTERANCE = HANDOFF_REQUESTED
GRACE_SECONDS = 3.0
"""The action server gets this long to record a request itself."""
LOOKBACK_SECONDS = 24 * 3600


class TrackerStoreSweeper:
    """Finds unrecorded handoff requests in Rasa's tracker store.

    Args:
        tracker_store_url: SQLAlchemy URL of Rasa's tracker store.
        service: Where escalations are created.
        grace_seconds: Age a request must reach before the sweeper acts.

    """

    def __init__(
        self,
        tracker_store_url: str,
        service: EscalationService,
        grace_seconds: float = GRACE_SECONDS,
    ) -> None:
        self._engine: Engine = create_engine(tracker_store_url, future=True, pool_pre_ping=True)
        self._service = service
        self._grace = grace_seconds
        self._read_from = 0
        """Events with a larger id are read by the next sweep."""
        self._settled = 0
        """Every handoff request up to this event id was handled by the last sweep."""
        self._done: set[int] = set()

    def sweep(self, now: float | None = None) -> list[int]:
        """Record every uncovered handoff request; return the new escalation ids."""
        now = time.time() if now is None else now
        try:
            with self._engine.connect() as connection:
                newest = connection.execute(select(func.max(EVENTS.c.id))).scalar() or 0
                requests = connection.execute(
                    select(EVENTS.c.id, EVENTS.c.sender_id, EVENTS.c.timestamp)
                    .where(
                        EVENTS.c.id > self._read_from,
                        EVENTS.c.id <= newest,
                        EVENTS.c.action_name == HANDOFF_UTTERANCE,
                        EVENTS.c.timestamp >= now - LOOKBACK_SECONDS,
                    )
                    .order_by(EVENTS.c.id)
                ).all()
        except Exception as error:  # the tracker store may not exist yet
            logger.debug("Tracker store not readable: %r", error)
            return []
        settled = newest
        created = []
        for event_id, sender_id, stamp in requests:
            if stamp > now - self._grace:
                settled = event_id - 1  # the action server still has time; read again from here
                break
            if event_id not in self._done and not self._service.covers_request(sender_id, stamp):
                escalation_id = self._record(sender_id, stamp)
                if escalation_id is not None:
                    created.append(escalation_id)
            self._done.add(event_id)
        # read again from the older of the last two settled points: a request
        # committed late (below an id already seen) or still in its grace is
        # then read by the next sweep, never skipped
        self._read_from, self._settled = min(self._settled, settled), settled
        self._done = {event_id for event_id in self._done if event_id > self._read_from}
        return created

    def _record(self, sender_id: str, stamp: float) -> int | None:
        with self._engine.connect() as connection:
            rows = connection.execute(
                select(EVENTS.c.data)
                .where(EVENTS.c.sender_id == sender_id, EVENTS.c.timestamp <= stamp)
                .order_by(EVENTS.c.id)
            ).scalars()
            events = [json.loads(row) for row in rows if row]
        slots = _replay_slots(events)
        session = _last_session(events)
        receipt = self._service.open_escalation(
            EscalationIntake(
                conversation_id=sender_id,
                reason=handoff_reason(slots, events),
                case_number=slots.get(HANDOFF_CASE_NUMBER),
                verified_customer_number=slots.get(VERIFIED_CUSTOMER_NUMBER),
                claimed_customer_number=slots.get(CUSTOMER_NUMBER),
                channel=None,
                slots=slots,
                events=session[-2000:],
            ),
            source="tracker_store",
        )
        logger.warning(
            "Recorded a handoff request the action server missed: conversation %s -> escalation %s",
            sender_id,
            receipt.escalation_id,
        )
        return receipt.escalation_id if receipt.created else None

    async def run_forever(self, every_seconds: float) -> None:
        """Sweep every ``every_seconds`` until cancelled (errors are logged, never fatal)."""
        while True:
            try:
                await anyio.to_thread.run_sync(self.sweep)
            except Exception:
                logger.exception("Tracker store sweep failed")
            await asyncio.sleep(every_seconds)

    def close(self) -> None:
        """Release the tracker store connections."""
        self._engine.dispose()


def _replay_slots(events: list[dict[str, Any]]) -> dict[str, Any]:
    slots: dict[str, Any] = {}
    for event in events:
        if event.get("event") == "slot":
            slots[str(event.get("name"))] = event.get("value")
        elif event.get("event") == "restart":
            slots = {}
    return slots


def _last_session(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    starts = [i for i, event in enumerate(events) if event.get("event") == "session_started"]
    return events[starts[-1] :] if starts else events
