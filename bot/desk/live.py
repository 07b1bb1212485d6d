"""Live updates of the agent desk: long polling over the escalation service.

The desk asks ``GET /desk/api/updates?cursor=<c>&escalation=<id>``. The answer is
a snapshot (open and claimed queue, and the escalation the agent has open)
with a new cursor, the fingerprint of that snapshot. When the agent's cursor
is still current, the request waits, reading the service every
``poll_seconds``, until the snapshot changes or ``wait_seconds`` pass. The
service reads the database, so every path that changes an escalation (the
action server's intake, a customer's message during a takeover, another
agent's claim, the tracker-store sweeper, another bot-service process)
reaches the desk the same way. A :class:`ChangeSignal` cuts the wait short
when this process has just answered a call that may have changed an
escalation.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import time
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from anyio import to_thread
from fastapi.encoders import jsonable_encoder

from bot.escalation import schemas
from bot.escalation.errors import EscalationNotFound


class EscalationReader(Protocol):
    """What the desk reads from the escalation service."""

    def list_escalations(self, status: str = "open") -> list[schemas.EscalationItem]:
        """Return the escalations of one status in queue order."""

    def get_escalation(self, escalation_id: int) -> schemas.EscalationDetail:
        """Return one escalation's context package (raises EscalationNotFound)."""


class ChangeSignal:
    """Wakes waiting live-update requests when something may have changed in this process."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def notify(self) -> None:
        """Wake every current waiter; later waiters wait for the next notification."""
        self._event.set()
        self._event = asyncio.Event()

    async def wait(self, seconds: float) -> None:
        """Return after a notification or after ``seconds``, whichever comes first."""
        event = self._event
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(event.wait(), timeout=seconds)


def read_snapshot(reader: EscalationReader, escalation_id: int | None) -> dict[str, Any]:
    """Return what the desk shows live, as JSON-ready data.

    Args:
        reader: The escalation service.
        escalation_id: The escalation the agent has open, if any.

    Returns:
        ``{"open": [...], "claimed": [...], "escalation": {...} | None,
        "missing": bool}``; ``missing`` tells that ``escalation_id`` does not exist.

    """
    snapshot: dict[str, Any] = {
        "open": reader.list_escalations("open"),
        "claimed": reader.list_escalations("claimed"),
        "escalation": None,
        "missing": False,
    }
    if escalation_id is not None:
        try:
            snapshot["escalation"] = reader.get_escalation(escalation_id)
        except EscalationNotFound:
            snapshot["missing"] = True
    return jsonable_encoder(snapshot)


def fingerprint(snapshot: dict[str, Any]) -> str:
    """Return a short, stable fingerprint of a snapshot (the cursor)."""
    encoded = json.dumps(snapshot, sort_keys=True, separators=(",", ":")).encode("utf-8")
    return hashlib.sha256(encoded).hexdigest()[:32]


async def next_update(
    reader: EscalationReader,
    escalation_id: int | None,
    cursor: str,
    *,
    wait_seconds: float,
    poll_seconds: float,
    gone: Callable[[], Awaitable[bool]] | None = None,
    changes: ChangeSignal | None = None,
) -> dict[str, Any]:
    """Wait until the snapshot differs from ``cursor`` (or time is up); return it.

    Args:
        reader: The escalation service (synchronous; read in a worker thread).
        escalation_id: The escalation the agent has open, if any.
        cursor: The fingerprint the agent has; empty for "answer at once".
        wait_seconds: Longest wait for a change.
        poll_seconds: Time between two reads.
        gone: Tells whether the client has disconnected (then stop early).
        changes: Ends a pause between two reads early when notified.

    Returns:
        The snapshot plus ``cursor`` and ``changed``.

    """
    deadline = time.monotonic() + wait_seconds
    while True:
        snapshot = await to_thread.run_sync(read_snapshot, reader, escalation_id)
        current = fingerprint(snapshot)
        changed = current != cursor
        remaining = deadline - time.monotonic()
        if changed or remaining <= 0 or (gone is not None and await gone()):
            return {"cursor": current, "changed": changed, **snapshot}
        pause = min(poll_seconds, remaining)
        if changes is not None:
            await changes.wait(pause)
        else:
            await asyncio.sleep(pause)
