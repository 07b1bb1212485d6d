"""Remembering which incoming message ids were already processed.

Meta re-delivers a webhook when it does not get a timely 200, so the same
message id (``mid``) can arrive more than once. A ``MessageIdStore`` answers
"is this the first time we see this id?" atomically. The in-memory store is
the default (one process); ``RedisMessageIdStore`` shares the answer between
several Rasa processes.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, Protocol

logger = logging.getLogger(__name__)

# Meta retries failed webhook deliveries for up to 36 hours.
DEFAULT_TTL_SECONDS = 36 * 60 * 60
DEFAULT_MAX_ENTRIES = 10_000


class MessageIdStore(Protocol):
    """Remembers message ids for a while."""

    async def first_seen(self, message_id: str) -> bool:
        """Record ``message_id`` and tells whether it was new.

        Args:
            message_id: The platform's message id.

        Returns:
            ``True`` the first time an id is seen (within the TTL), else ``False``.

        """
        ...


class InMemoryMessageIdStore:
    """A bounded set of ids that forgets entries after a TTL (one process only)."""

    def __init__(
        self,
        ttl_seconds: float = DEFAULT_TTL_SECONDS,
        max_entries: int = DEFAULT_MAX_ENTRIES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Create the store.

        Args:
            ttl_seconds: How long an id is remembered.
            max_entries: Upper bound on remembered ids; the oldest are dropped first.
            clock: Monotonic time source; injectable for tests.

        """
        self._ttl_seconds = ttl_seconds
        self._max_entries = max_entries
        self._clock = clock
        self._expiry_by_id: OrderedDict[str, float] = OrderedDict()

    def __len__(self) -> int:
        return len(self._expiry_by_id)

    async def first_seen(self, message_id: str) -> bool:
        """Record ``message_id`` and tells whether it was new.

        Args:
            message_id: The platform's message id.

        Returns:
            ``True`` the first time an id is seen (within the TTL), else ``False``.

        """
        now = self._clock()
        self._forget_expired(now)
        if message_id in self._expiry_by_id:
            return False
        self._expiry_by_id[message_id] = now + self._ttl_seconds
        while len(self._expiry_by_id) > self._max_entries:
            self._expiry_by_id.popitem(last=False)
        return True

    def _forget_expired(self, now: float) -> None:
        # Entries are inserted in expiry order, so expired ones are at the front.
        while self._expiry_by_id:
            oldest_id, expires_at = next(iter(self._expiry_by_id.items()))
            if expires_at > now:
                return
            del self._expiry_by_id[oldest_id]


class RedisMessageIdStore:
    """Message ids in Redis (``SET key 1 NX EX ttl``), shared between processes."""

    def __init__(
        self,
        redis_client: Any,
        ttl_seconds: int = DEFAULT_TTL_SECONDS,
        key_prefix: str = "nordlicht:facebook:mid:",
    ) -> None:
        """Create the store.

        Args:
            redis_client: A ``redis.asyncio.Redis`` client (or compatible).
            ttl_seconds: How long an id is remembered.
            key_prefix: Prefix of the Redis keys.

        """
        self._redis = redis_client
        self._ttl_seconds = ttl_seconds
        self._key_prefix = key_prefix

    @classmethod
    def from_url(cls, url: str, ttl_seconds: int = DEFAULT_TTL_SECONDS) -> RedisMessageIdStore:
        """Create a store with a client for ``url`` (connects lazily).

        Args:
            url: Redis URL, e.g. ``redis://localhost:6379/0``.
            ttl_seconds: How long an id is remembered.

        Returns:
            The store.

        """
        from redis import asyncio as redis_asyncio

        client = redis_asyncio.Redis.from_url(url, socket_timeout=2.0, socket_connect_timeout=2.0)
        return cls(client, ttl_seconds=ttl_seconds)

    async def first_seen(self, message_id: str) -> bool:
        """Record ``message_id`` and tells whether it was new.

        If Redis is unreachable the id counts as new: answering a message twice
        is better than dropping it.

        Args:
            message_id: The platform's message id.

        Returns:
            ``True`` the first time an id is seen (within the TTL), else ``False``.

        """
        try:
            created = await self._redis.set(
                self._key_prefix + message_id, b"1", nx=True, ex=self._ttl_seconds
            )
        except Exception as error:  # redis raises many unrelated types
            logger.error("Message id store unavailable (%s); processing anyway.", error)
            return True
        return bool(created)

    async def aclose(self) -> None:
        """Close the Redis connection pool."""
        await self._redis.close()
