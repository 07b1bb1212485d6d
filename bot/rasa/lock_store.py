"""A Redis lock store whose tickets are issued atomically, for several Rasa servers.

Why: Rasa 3.6's ``RedisLockStore`` keeps a conversation's ticket lock as one
JSON value and changes it by read-modify-write (``GET``, change in Python,
``SET``) in ``issue_ticket``, ``update_lock``, ``finish_serving`` and
``cleanup``. Two Rasa servers that receive messages of one conversation at the
same moment can both read the same lock and both write it back: both draw the
same ticket number, or one server's ticket is overwritten, or ``cleanup``
deletes the lock while the other server has just added its ticket. Then both
run the turn at once, and the tracker store keeps two interleaved turns (or
loses one). Rasa's issue tracker knows it (RasaHQ/rasa#9213 "RedisLockStore
don't tread safe", closed unfixed; RasaHQ/rasa#11256 added a
``ConcurrentRedisLockStore`` with ``INCR``-issued tickets to Rasa Open Source
3.3 and RasaHQ/rasa#11428 reverted it: it went to Rasa Pro only).

This store does every change in one Redis command or Lua script: ticket
numbers come from ``INCR`` (never drawn twice), the tickets live in a sorted
set scored by their expiry, and pruning, finishing and cleaning up never
rewrite another server's ticket. Rasa's ``LockStore.lock`` (the ticket
queue, waiting, expiry) works unchanged on top.

Use it in the endpoints file::

    lock_store:
      type: bot.rasa.lock_store.ConcurrentRedisLockStore
      url: ${REDIS_HOST}
      port: ${REDIS_PORT}
      ...
"""

from __future__ import annotations

import time
from collections import deque
from typing import Any

from rasa.core.lock import Ticket, TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

# How long the ticket counter of a quiet conversation is kept: numbers stay
# unique for any ticket that can still be alive (lifetimes are seconds).
COUNTER_SECONDS = 24 * 60 * 60

# KEYS: counter, tickets; ARGV: expiry time of the ticket (ms), counter lifetime (s).
_ISSUE = """
local number = redis.call('INCR', KEYS[1])
redis.call('EXPIRE', KEYS[1], ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[1], number)
local last = redis.call('ZRANGE', KEYS[2], -1, -1, 'WITHSCORES')
redis.call('PEXPIREAT', KEYS[2], last[2])
return number
"""

# KEYS: tickets; ARGV: now (ms). Drops expired tickets, returns the rest.
_LIVE = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
return redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')
"""

# KEYS: tickets; ARGV: ticket number, now (ms). Finishes a ticket; returns how many wait.
_FINISH = """
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[2])
return redis.call('ZCARD', KEYS[1])
"""


def _now_ms() -> int:
    return int(time.time() * 1000)


class ConcurrentRedisLockStore(RedisLockStore):
    """Rasa's Redis lock store with atomic ticket operations (see the module docstring).

    Args:
        endpoint_config: The ``lock_store`` section of the endpoints file
            (``url`` is the host; ``port``, ``db``, ``password``,
            ``key_prefix``... as for Rasa's ``type: redis``).
        **kwargs: Rasa's ``RedisLockStore`` arguments when built without one.

    """

    def __init__(self, endpoint_config: EndpointConfig | None = None, **kwargs: Any) -> None:
        """Connect (lazily) to Redis with the settings of ``endpoint_config``."""
        if endpoint_config is not None:
            kwargs = {**endpoint_config.kwargs, **kwargs}
            kwargs.setdefault("host", endpoint_config.url or "localhost")
        kwargs.pop("type", None)
        super().__init__(**kwargs)
        self._issue = self.red.register_script(_ISSUE)
        self._live = self.red.register_script(_LIVE)
        self._finish = self.red.register_script(_FINISH)

    def _keys(self, conversation_id: str) -> tuple[str, str]:
        base = f"{self.key_prefix}{conversation_id}"
        return f"{base}:last_ticket", f"{base}:tickets"

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        """Draw the next ticket number with ``INCR`` and queue it, in one step."""
        counter, tickets = self._keys(conversation_id)
        expires_ms = _now_ms() + int(lock_lifetime * 1000)
        try:
            return int(self._issue(keys=[counter, tickets], args=[expires_ms, COUNTER_SECONDS]))
        except Exception as error:  # redis raises many unrelated types
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error

    def get_lock(self, conversation_id: str) -> TicketLock | None:
        """Return the live tickets of the conversation as Rasa's ``TicketLock`` (``None``: none)."""
        _, tickets = self._keys(conversation_id)
        members = self._live(keys=[tickets], args=[_now_ms()])
        if not members:
            return None
        queue = sorted(
            (int(members[i]), float(members[i + 1]) / 1000) for i in range(0, len(members), 2)
        )
        return TicketLock(conversation_id, deque(Ticket(n, e) for n, e in queue))

    def update_lock(self, conversation_id: str) -> None:
        """Drop expired tickets (``get_lock`` does that, atomically)."""
        self.get_lock(conversation_id)

    def save_lock(self, lock: TicketLock) -> None:
        """Add ``lock``'s tickets (never removes another server's ticket)."""
        _, tickets = self._keys(lock.conversation_id)
        scores = {str(t.number): int(t.expires * 1000) for t in lock.tickets}
        if scores:
            self.red.zadd(tickets, scores)

    def delete_lock(self, conversation_id: str) -> None:
        """Delete the conversation's tickets (the counter stays, so numbers stay unique)."""
        _, tickets = self._keys(conversation_id)
        self._log_deletion(conversation_id, bool(self.red.delete(tickets)))

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        """Remove only ``ticket_number``."""
        _, tickets = self._keys(conversation_id)
        self._finish(keys=[tickets], args=[ticket_number, _now_ms()])

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """Finish ``ticket_number``; an empty ticket set is removed by Redis itself."""
        self.finish_serving(conversation_id, ticket_number)
