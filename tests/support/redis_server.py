"""A throw-away Redis server of the test's own on a free loopback port."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager

from tests.support.processes import free_port, real_clock_environment
from tests.support.requirements import unavailable


@contextmanager
def running_redis() -> Iterator[str]:
    """Run ``redis-server`` (no persistence) until the block ends; yield its URL (db 0)."""
    binary = shutil.which("redis-server")
    if binary is None:
        unavailable("redis-server not installed")
    port = free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        env=real_clock_environment(),  # under libfaketime Redis expires keys at once
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
