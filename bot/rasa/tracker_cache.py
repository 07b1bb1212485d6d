"""Conversations kept in memory between turns, checked against the database.

Loading a tracker is a tenth of the Rasa server's work on a turn: the latest
session's events are read, parsed and replayed into a new tracker. Between
two turns of a conversation, though, the tracker Rasa saved at the end of the
first turn is exactly what the second would load - unless someone else wrote
to the conversation meanwhile (the other server of a cluster, an erasure, the
retention sweep).

:class:`TrackerCache` keeps the saved tracker with the conversation's *stamp*:
the number of its stored events, the id of the newest and the newest event
time (SQLite reuses the ids of deleted rows: an erased conversation written
again elsewhere can have the same number and ids, never the same times). On the next
retrieve the database is asked for the stamp only (one aggregate over the
conversation's rows, by Rasa's index on the sender id);
the kept tracker is handed out when the stamp is unchanged, else the
conversation is loaded as usual. A kept tracker is handed out once (it leaves
the cache: whoever got it may change it) and only if it has not changed since
it was saved. It is kept only when it holds exactly the events a load would
return (a tracker that started a new session during the turn also holds the
old session's events; it is loaded afresh next time).

Stamps are taken while the conversation's lock is held (Rasa's lock store,
from retrieve to save), so no other writer can slip in between the insert and
the stamp. Entries leave after ``max_idle_seconds`` and the oldest go when
more than ``size`` conversations are kept.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

DEFAULT_SIZE = 200
"""Conversations kept at most: about 26 MiB (a six-turn conversation of 86 events is 131 KiB)."""
DEFAULT_MAX_IDLE_SECONDS = 120.0
"""A conversation quiet for longer is loaded from the database again (a customer's next
message mostly comes within seconds; a load costs about a millisecond more)."""

Stamp = tuple[int, int | None, float | None]
"""Number of a conversation's stored events, the id of its newest and the newest time."""


@dataclass
class _Kept:
    tracker: Any
    stamp: Stamp
    events: int
    domain: Any
    saved_at: float


@dataclass
class CacheCounts:
    """How often a kept tracker was handed out, and why not."""

    hits: int = 0
    misses: int = 0
    stale: int = 0


class TrackerCache:
    """Trackers saved by this process, handed out again while the database agrees.

    Args:
        events_table: Rasa's ``events`` table (``SQLTrackerStore.SQLEvent.__table__``).
        size: Conversations kept at most; 0 keeps none.
        max_idle_seconds: Age after which a kept tracker is dropped.
        clock: Monotonic seconds (tests pass their own).

    """

    def __init__(
        self,
        events_table: sa.Table,
        size: int = DEFAULT_SIZE,
        max_idle_seconds: float = DEFAULT_MAX_IDLE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._table = events_table
        self._size = max(0, int(size))
        self._max_idle = float(max_idle_seconds)
        self._clock = clock
        self._kept: OrderedDict[str, _Kept] = OrderedDict()
        self.counts = CacheCounts()
        self._stamp_query = sa.select(
            sa.func.count(events_table.c.id),
            sa.func.max(events_table.c.id),
            sa.func.max(events_table.c.timestamp),
        ).where(events_table.c.sender_id == sa.bindparam("sender_id"))

    @property
    def enabled(self) -> bool:
        """Tell whether anything is kept at all."""
        return self._size > 0

    def __len__(self) -> int:
        return len(self._kept)

    def stamp(self, session: Any, sender_id: str) -> Stamp:
        """Read the conversation's stamp in ``session``."""
        count, newest, latest = session.execute(self._stamp_query, {"sender_id": sender_id}).one()
        return (
            int(count),
            int(newest) if newest is not None else None,
            float(latest) if latest is not None else None,
        )

    def take(self, sender_id: str, domain: Any, read_stamp: Callable[[], Stamp]) -> Any | None:
        """Hand out the kept tracker of ``sender_id`` if it is still what the database holds.

        ``read_stamp`` is called only when there is a candidate. The entry
        leaves the cache either way.
        """
        kept = self._kept.pop(sender_id, None)
        if kept is None:
            self.counts.misses += 1
            return None
        if (
            kept.domain is not domain
            or self._clock() - kept.saved_at > self._max_idle
            or len(kept.tracker.events) != kept.events
            or read_stamp() != kept.stamp
        ):
            self.counts.stale += 1
            return None
        self.counts.hits += 1
        return kept.tracker

    def keep(self, tracker: Any, domain: Any, stamp: Stamp) -> None:
        """Keep a just-saved tracker (when it holds exactly what a load would return)."""
        if not self._size:
            return
        sender_id = tracker.sender_id
        self._kept.pop(sender_id, None)
        if not holds_only_latest_session(tracker):
            return
        now = self._clock()
        self._kept[sender_id] = _Kept(tracker, stamp, len(tracker.events), domain, now)
        self._drop_old(now)

    def forget(self, sender_id: str) -> None:
        """Drop what is kept of ``sender_id``."""
        self._kept.pop(sender_id, None)

    def _drop_old(self, now: float) -> None:
        while len(self._kept) > self._size:
            self._kept.popitem(last=False)
        while self._kept:
            oldest = next(iter(self._kept.values()))
            if now - oldest.saved_at <= self._max_idle:
                break
            self._kept.popitem(last=False)


def holds_only_latest_session(tracker: Any) -> bool:
    """Tell whether the tracker's events are exactly those a load of its latest session returns.

    Rasa loads the events stamped at or after the newest ``session_started``
    event (``SQLTrackerStore._event_query``); a tracker that lived through a
    session start holds older events too.
    """
    started = None
    for event in reversed(tracker.events):
        if event.type_name == "session_started":
            started = event.timestamp
            break
    if started is None:
        return True
    return all(event.timestamp >= started for event in tracker.events)
