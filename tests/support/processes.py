"""Start project servers as real subprocesses on free loopback ports."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

PROJECT_ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent

ACTION_SERVER_TEST_TOKEN = "test-action-server-token-0123456789abcdef"
"""What Rasa presents to the action server in tests (ACTION_SERVER_TOKEN)."""
REST_CHANNEL_TEST_TOKEN = "test-rest-channel-token-0123456789abcdef"
"""The REST channel's bearer token in tests (REST_CHANNEL_TOKEN)."""
IDENTITY_CLAIM_TEST_SECRET = "test-identity-claim-secret-0123456789abcdef"
"""Signs verified identities in tests, in the pytest process and the action server."""


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that is free right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class RunningServer:
    """A server subprocess and where it answers."""

    name: str
    url: str
    process: subprocess.Popen
    log_path: Path
    startup_seconds: float
    started_at: float = 0.0
    """``time.perf_counter()`` when the process was spawned."""

    def log(self) -> str:
        """Return what the server printed so far."""
        return self.log_path.read_text(errors="replace")


def rasa_api_auth(jwt_secret: str) -> dict[str, str]:
    """Return the header Rasa's HTTP API wants (``rasa run --jwt-secret``): a fresh admin JWT."""
    from bot.escalation.rasa_conversations import rasa_api_headers
    from bot.settings import Secret

    return rasa_api_headers(Secret(jwt_secret))


def server_environment(**extra: str) -> dict[str, str]:
    """Return the environment for a server started by a test."""
    env = dict(os.environ)
    secrets = (
        "CHAT_SESSION_SECRET",
        "FACEBOOK_APP_SECRET",
        "CUSTOMER_TOKEN_SECRET",
        "AGENT_TOKEN_SECRET",
    )
    for name in secrets:
        env.setdefault(name, f"test-{name.lower()}-0123456789abcdef0123456789")
    env.setdefault("FACEBOOK_VERIFY_TOKEN", "test-verify-token")
    env.setdefault("IDENTITY_CLAIM_SECRET", IDENTITY_CLAIM_TEST_SECRET)
    env.setdefault("FACEBOOK_PAGE_ACCESS_TOKEN", "test-page-token")
    env.update(
        ACTION_SERVER_TOKEN=ACTION_SERVER_TEST_TOKEN,
        REST_CHANNEL_TOKEN=REST_CHANNEL_TEST_TOKEN,
        RASA_TELEMETRY_ENABLED="false",
        TF_CPP_MIN_LOG_LEVEL="2",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


@contextmanager
def running_server(
    name: str,
    command: Sequence[str],
    ready_url: str,
    log_dir: Path,
    env: dict[str, str] | None = None,
    timeout: float = 180.0,
    ready_headers: Callable[[], Mapping[str, str]] | None = None,
) -> Iterator[RunningServer]:
    """Run ``command`` until the ``with`` block ends; wait until ``ready_url`` answers 200.

    ``ready_headers`` returns the headers of each readiness request (a fresh token).
    """
    server = spawn_server(name, command, log_dir, env, ready_url)
    try:
        wait_until_ready(server, ready_url, timeout, ready_headers)
        yield server
    finally:
        stop_server(server)


def spawn_server(
    name: str,
    command: Sequence[str],
    log_dir: Path,
    env: dict[str, str] | None,
    ready_url: str,
) -> RunningServer:
    """Start ``command`` in its own process group, logging to ``<log_dir>/<name>.log``.

    Does not wait: call :func:`wait_until_ready` (several servers can start side by side).
    """
    log_path = log_dir / f"{name}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            list(command),
            cwd=PROJECT_ROOT,
            env=env or server_environment(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = ready_url.rsplit("/", 1)[0]
    return RunningServer(name, url, process, log_path, 0.0, started_at=time.perf_counter())


def wait_until_ready(
    server: RunningServer,
    url: str,
    timeout: float = 180.0,
    headers: Callable[[], Mapping[str, str]] | None = None,
) -> None:
    """Wait until ``url`` answers 200; set ``server.startup_seconds`` (since the spawn)."""
    _wait_until_ready(server, url, timeout, headers)
    server.startup_seconds = time.perf_counter() - server.started_at


def stop_server(server: RunningServer) -> None:
    """Stop the server's process group (SIGTERM, SIGKILL after 15 s)."""
    _stop(server.process)


def action_server_command() -> list[str]:
    """Return the command that starts our action server (port: ACTION_SERVER_PORT)."""
    return [str(VENV_BIN / "python"), "-m", "actions.server"]


def action_endpoint_yaml(url: str) -> str:
    """Return the ``action_endpoint`` section of endpoints.yml for ``url`` (with the token)."""
    return (
        f'action_endpoint:\n  url: "{url}"\n  enable_selective_domain: true\n'
        "  headers:\n    Authorization: Bearer ${ACTION_SERVER_TOKEN}\n"
    )


@contextmanager
def running_action_server(
    name: str, port: int | str, log_dir: Path, env: dict[str, str]
) -> Iterator[RunningServer]:
    """Run ``python -m actions.server`` on ``port`` until the block ends."""
    env = {**env, "ACTION_SERVER_PORT": str(port)}
    ready_url = f"http://127.0.0.1:{port}/health"
    with running_server(name, action_server_command(), ready_url, log_dir, env=env) as server:
        yield server


@contextmanager
def running_rasa(
    name: str,
    model_path: Path,
    *,
    port: int,
    jwt_secret: str,
    endpoints: Path | str,
    log_dir: Path,
    env: dict[str, str],
    extra_args: Sequence[str] = (),
) -> Iterator[RunningServer]:
    """Run `rasa run` with ``model_path`` until the block ends.

    Its HTTP API wants a bearer JWT signed with ``jwt_secret`` (:func:`rasa_api_auth`),
    as in the Procfile; no ``--auth-token``, whose token would go in the query string.
    """
    command = [
        str(VENV_BIN / "rasa"),
        "run",
        "--model",
        str(model_path),
        "--port",
        str(port),
        "--enable-api",
        "--jwt-secret",
        jwt_secret,
        "--jwt-method",
        "HS256",
        "--endpoints",
        str(endpoints),
        *extra_args,
    ]
    ready_url = f"http://127.0.0.1:{port}/status"
    with running_server(
        name, command, ready_url, log_dir, env=env, ready_headers=lambda: rasa_api_auth(jwt_secret)
    ) as server:
        yield server


def _wait_until_ready(
    server: RunningServer,
    url: str,
    timeout: float,
    headers: Callable[[], Mapping[str, str]] | None = None,
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"{server.name} exited early:\n{server.log()[-3000:]}")
        try:
            if httpx.get(url, headers=headers() if headers else None, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise TimeoutError(f"{server.name} not ready after {timeout:.0f} s:\n{server.log()[-3000:]}")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


def real_clock_environment() -> dict[str, str]:
    """This environment without libfaketime, for programs that break under it.

    The suite can run on another day with ``faketime`` (our servers see that
    day); Chromium hangs under it and a Redis server expires keys at once,
    so those two keep the real clock, which none of their checks depends on.
    """
    return {
        name: value
        for name, value in os.environ.items()
        if name != "LD_PRELOAD" and not name.startswith("FAKETIME")
    }
