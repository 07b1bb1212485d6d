"""The atomic Redis lock store against a real Redis server, beside Rasa's own."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from urllib.parse import urlparse

import pytest
from rasa.core.lock_store import LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

from bot.rasa.lock_store import ConcurrentRedisLockStore
from tests.support.redis_server import running_redis


@pytest.fixture(scope="module")
def redis_port() -> Iterator[int]:
    with running_redis() as url:
        yield int(urlparse(url).port or 0)


def store(port: int, prefix: str = "test") -> ConcurrentRedisLockStore:
    """A store as Rasa builds it from ``lock_store:`` in the endpoints file."""
    config = EndpointConfig(
        url="127.0.0.1", type="bot.rasa.lock_store.ConcurrentRedisLockStore", port=port, db=0
    )
    config.kwargs["key_prefix"] = prefix
    return ConcurrentRedisLockStore(endpoint_config=config)


def test_rasas_redis_lock_store_gives_two_servers_the_same_ticket(redis_port: int) -> None:
    """The race this store exists for: read-modify-write of one JSON value."""
    server_a = RedisLockStore(host="127.0.0.1", port=redis_port, db=0, key_prefix="stock")
    server_b = RedisLockStore(host="127.0.0.1", port=redis_port, db=0, key_prefix="stock")
    lock_a = server_a.get_or_create_lock("c1")  # both read the (empty) lock ...
    lock_b = server_b.get_or_create_lock("c1")
    ticket_a = lock_a.issue_ticket(10)
    server_a.save_lock(lock_a)
    ticket_b = lock_b.issue_ticket(10)
    server_b.save_lock(lock_b)  # ... and B's write drops A's ticket

    assert ticket_a == ticket_b == 0
    lock = server_a.get_lock("c1")
    assert lock is not None
    assert not lock.is_locked(ticket_a) and not lock.is_locked(ticket_b)  # both "hold" it


def test_tickets_are_unique_and_served_in_order_across_servers(redis_port: int) -> None:
    server_a, server_b = store(redis_port), store(redis_port)
    first = server_a.issue_ticket("c2", 10)
    second = server_b.issue_ticket("c2", 10)
    assert second == first + 1

    lock = server_b.get_lock("c2")
    assert lock is not None and lock.now_serving == first
    assert lock.is_locked(second)

    server_a.cleanup("c2", first)
    lock = server_b.get_lock("c2")
    assert lock is not None and not lock.is_locked(second)
    server_b.cleanup("c2", second)
    assert server_a.get_lock("c2") is None
    assert not server_a.red.exists(f"{server_a.key_prefix}c2:tickets")


def test_two_servers_never_hold_one_conversation_at_once(redis_port: int) -> None:
    """Threads with their own stores and event loops stand in for two Rasa processes."""
    inside = 0
    overlaps = 0
    entered = 0
    guard = threading.Lock()

    async def turns(lock_store: ConcurrentRedisLockStore) -> None:
        nonlocal inside, overlaps, entered
        for _ in range(15):
            async with lock_store.lock("c3", lock_lifetime=10, wait_time_in_seconds=0.005):
                with guard:
                    inside += 1
                    entered += 1
                    overlaps += inside > 1
                await asyncio.sleep(0.002)
                with guard:
                    inside -= 1

    threads = [
        threading.Thread(target=asyncio.run, args=(turns(store(redis_port)),)) for _ in range(3)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert entered == 45
    assert overlaps == 0


async def test_a_dead_servers_ticket_expires_and_the_next_one_is_served(redis_port: int) -> None:
    dead, alive = store(redis_port), store(redis_port)
    held = dead.issue_ticket("c4", lock_lifetime=1)  # taken, never cleaned up (SIGKILL)
    lock = alive.get_lock("c4")
    assert lock is not None and lock.now_serving == held
    async with alive.lock("c4", lock_lifetime=10, wait_time_in_seconds=0.05) as lock:
        assert lock.now_serving not in (None, held)


def test_unreachable_redis_is_a_lock_error() -> None:
    config = EndpointConfig(url="127.0.0.1", port=1, db=0, socket_timeout=0.5)
    with pytest.raises(LockError):
        ConcurrentRedisLockStore(endpoint_config=config).issue_ticket("c5")
