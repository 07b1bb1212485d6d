"""The CRM API (`bot serve`) as a real subprocess over a freshly seeded SQLite file.

Tests can stop and restart it (the CRM is down) or freeze and thaw it (the
CRM accepts connections but never answers, as a hung server does).
"""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from tests.support.processes import (
    PROJECT_ROOT,
    VENV_BIN,
    RunningServer,
    free_port,
    running_server,
    server_environment,
)

CRM_API_TOKEN = "test-crm-api-token-0123456789abcdef0123456789"
CUSTOMER_TOKEN_SECRET = "test-customer-token-secret-0123456789abcdef"
SEED_POPULATION = 50


class CRMServer:
    """`bot serve` on a free port over ``database``; started by :meth:`start`.

    Args:
        database: The SQLite file (seeded by :func:`seed`).
        log_dir: Where the server log goes.

    """

    def __init__(self, database: Path, log_dir: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.database = database
        self.env = server_environment(
            CRM_DATABASE_URL=f"sqlite:///{database}",
            CRM_API_TOKEN=CRM_API_TOKEN,
            CUSTOMER_TOKEN_SECRET=CUSTOMER_TOKEN_SECRET,
        )
        self._log_dir = log_dir
        self._starts = 0
        self._stack: ExitStack | None = None
        self.server: RunningServer | None = None

    def start(self) -> None:
        """Start the server and wait until ``/healthz`` answers."""
        self._starts += 1
        self._stack = ExitStack()
        self.server = self._stack.enter_context(
            running_server(
                f"crm-{self._starts}",
                [str(VENV_BIN / "bot"), "serve", "--port", str(self.port)],
                f"{self.url}/healthz",
                self._log_dir,
                env=self.env,
            )
        )

    def stop(self) -> None:
        """Stop the server (connections are refused afterwards)."""
        if self._stack is not None:
            self._stack.close()
            self._stack = None
            self.server = None

    @contextmanager
    def stopped(self) -> Iterator[None]:
        """Keep the CRM down inside the block, then start it again."""
        self.stop()
        try:
            yield
        finally:
            self.start()

    @contextmanager
    def frozen(self) -> Iterator[None]:
        """Freeze the CRM inside the block: it accepts connections, never answers."""
        assert self.server is not None
        os.killpg(self.server.process.pid, signal.SIGSTOP)
        try:
            yield
        finally:
            os.killpg(self.server.process.pid, signal.SIGCONT)

    def client_environment(self) -> dict[str, str]:
        """Return what a CRM client (the action server) needs to reach this CRM."""
        return {
            "CRM_API_URL": self.url,
            "CRM_API_TOKEN": CRM_API_TOKEN,
            "CUSTOMER_TOKEN_SECRET": CUSTOMER_TOKEN_SECRET,
        }


def seed(database: Path, population: int = SEED_POPULATION) -> None:
    """Migrate and seed ``database`` with `bot seed` (demo customers plus ``population``)."""
    env = server_environment(CRM_DATABASE_URL=f"sqlite:///{database}", CRM_API_TOKEN=CRM_API_TOKEN)
    subprocess.run(
        [str(VENV_BIN / "bot"), "seed", "--population", str(population)],
        cwd=PROJECT_ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
