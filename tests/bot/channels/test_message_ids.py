from collections.abc import Iterator

import pytest

from bot.channels.message_ids import InMemoryMessageIdStore, RedisMessageIdStore
from tests.support.processes import free_port
from tests.support.redis_server import running_redis


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


async def test_in_memory_store_remembers_ids_until_the_ttl() -> None:
    clock = FakeClock()
    store = InMemoryMessageIdStore(ttl_seconds=60, clock=clock)

    assert await store.first_seen("m_1")
    assert not await store.first_seen("m_1")
    clock.now += 59
    assert not await store.first_seen("m_1")
    clock.now += 1
    assert await store.first_seen("m_1")


async def test_in_memory_store_is_bounded() -> None:
    store = InMemoryMessageIdStore(max_entries=3, clock=FakeClock())
    for mid in ("m_1", "m_2", "m_3", "m_4"):
        assert await store.first_seen(mid)

    assert len(store) == 3
    assert await store.first_seen("m_1")  # the oldest id was evicted
    assert not await store.first_seen("m_4")


@pytest.fixture
def redis_url() -> Iterator[str]:
    with running_redis() as url:
        yield url


async def test_redis_store_shares_ids_between_processes(redis_url: str) -> None:
    first_process = RedisMessageIdStore.from_url(redis_url, ttl_seconds=60)
    second_process = RedisMessageIdStore.from_url(redis_url, ttl_seconds=60)
    try:
        assert await first_process.first_seen("m_shared")
        assert not await second_process.first_seen("m_shared")
        assert await second_process.first_seen("m_other")
    finally:
        await first_process.aclose()
        await second_process.aclose()


async def test_unreachable_redis_counts_ids_as_new() -> None:
    store = RedisMessageIdStore.from_url(f"redis://127.0.0.1:{free_port()}/0")
    try:
        assert await store.first_seen("m_1")
        assert await store.first_seen("m_1")
    finally:
        await store.aclose()
