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
escalation. :class:`SharedReads` lets all waiting requests of the process
share one read per poll interval, so ten agents waiting cost the database
what one does.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import threading
import time
from collections.abc import Awaitable, Callable, Hashable
from typing import Any, Protocol, TypeVar

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
        self.generation = 0
        """Counts the notifications; reads from before the latest one are stale."""

    def notify(self) -> None:
        """Wake every current waiter; later waiters wait for the next notification."""
        self.generation += 1
        self._event.set()
        self._event = asyncio.Event()

    async def wait(self, seconds: float) -> None:
        """Return after a notification or after ``seconds``, whichever comes first."""
        event = self._event
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(event.wait(), timeout=seconds)


_T = TypeVar("_T")


class SharedReads:
    """An :class:`EscalationReader` whose answers the waiting requests share.

    An answer is reused for ``max_age`` seconds (the poll interval), unless
    ``changes`` was notified since the read began.

    Args:
        reader: The escalation service.
        changes: Notified after this process answered a write call.
        max_age: Longest reuse of one answer, in seconds.
        clock: Monotonic seconds (tests).

    """

    def __init__(
        self,
        reader: EscalationReader,
        changes: ChangeSignal,
        max_age: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._reader = reader
        self._changes = changes
        self._max_age = max_age
        self._clock = clock
        self._lock = threading.Lock()
        self._answers: dict[Hashable, tuple[float, int, Any]] = {}

    def list_escalations(self, status: str = "open") -> list[schemas.EscalationItem]:
        """Return the escalations of one status in queue order."""
        return self._shared(("list", status), lambda: self._reader.list_escalations(status))

    def get_escalation(self, escalation_id: int) -> schemas.EscalationDetail:
        """Return one escalation's context package (raises EscalationNotFound)."""
        return self._shared(
            ("detail", escalation_id), lambda: self._reader.get_escalation(escalation_id)
        )

    def _shared(self, key: Hashable, read: Callable[[], _T]) -> _T:
        with self._lock:  # one read at a time: waiters woken together share it
            started, generation = self._clock(), self._changes.generation
            answer = self._answers.get(key)
            if answer and started - answer[0] < self._max_age and answer[1] == generation:
                return answer[2]  # type: ignore[no-any-return]
            value = read()
            self._answers = {
                k: v for k, v in self._answers.items() if started - v[0] < self._max_age
            }
            self._answers[key] = (started, generation, value)
            return value


def read_snapshot(
    reader: EscalationReader,
    escalation_id: int | None,
    typing: Callable[[str], bool] | None = None,
) -> dict[str, Any]:
    """Return what the desk shows live, as JSON-ready data.

    Args:
        reader: The escalation service.
        escalation_id: The escalation the agent has open, if any.
        typing: Tells whether a conversation's customer is typing.

    Returns:
        ``{"open": [...], "claimed": [...], "escalation": {...} | None,
        "missing": bool, "customer_typing": bool}``; ``missing`` tells that
        ``escalation_id`` does not exist.

    """
    snapshot: dict[str, Any] = {
        "open": reader.list_escalations("open"),
        "claimed": reader.list_escalations("claimed"),
        "escalation": None,
        "missing": False,
        "customer_typing": False,
    }
    if escalation_id is not None:
        try:
            escalation = reader.get_escalation(escalation_id)
        except EscalationNotFound:
            snapshot["missing"] = True
        else:
            snapshot["escalation"] = escalation
            snapshot["customer_typing"] = bool(
                typing and escalation.takeover_active and typing(escalation.conversation_id)
            )
    encoded: dict[str, Any] = jsonable_encoder(snapshot)
    return encoded


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
    typing: Callable[[str], bool] | None = None,
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
        typing: Tells whether a conversation's customer is typing.

    Returns:
        The snapshot plus ``cursor`` and ``changed``.

    """
    deadline = time.monotonic() + wait_seconds
    while True:
        snapshot = await to_thread.run_sync(read_snapshot, reader, escalation_id, typing)
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
