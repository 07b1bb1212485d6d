import shutil
import socket
import subprocess
import time
from collections.abc import Iterator

import pytest

from bot.channels.message_ids import InMemoryMessageIdStore, RedisMessageIdStore
from tests.support.processes import real_clock_environment


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


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def redis_url() -> Iterator[str]:
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server not installed")
    port = _free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        env=real_clock_environment(),
    )
    try:
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=5)


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
    store = RedisMessageIdStore.from_url(f"redis://127.0.0.1:{_free_port()}/0")
    try:
        assert await store.first_seen("m_1")
        assert await store.first_seen("m_1")
    finally:
        await store.aclose()
