"""A production-shaped cluster on this machine: HAProxy, two Rasa and two action servers.

HAProxy (Debian's package) balances round robin, without sticky sessions,
over two Rasa servers and, on a second port, over two action servers. The
Rasa servers share the production endpoints (``endpoints.production.yml``):
conversations in PostgreSQL, locks in Redis (``bot.rasa.lock_store``),
events to RabbitMQ; the socket.io channel and the Messenger message ids share
a second Redis database (``CLUSTER_REDIS_URL``, ``bot.channels.cluster``).
Used by ``make run-cluster`` (``scripts/run_cluster.py``), ``make soak``,
``make bench-load`` and ``tests/cluster/``; every caller picks its own
ports, database, Redis key prefix and RabbitMQ queue, so runs never meet.

Why these HAProxy settings: ``retry-on conn-failure`` with ``option
redispatch`` sends a request whose connection to a dead server failed to the
other server (nothing reached the dead one, so retrying is safe); a request
that a server received and then died with is not retried (it might have
been stored) and answers 502. Health checks take a dead server out within
about two seconds. ``timeout tunnel`` keeps WebSocket connections open.
Every answer names the server that gave it (``X-Served-By``).
"""

from __future__ import annotations

import os
import shutil
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from tests.support.processes import (
    PROJECT_ROOT,
    VENV_BIN,
    RunningServer,
    action_server_command,
    free_port,
    rasa_api_auth,
    spawn_server,
    stop_server,
    wait_until_ready,
)

HAPROXY = "/usr/sbin/haproxy"
LOCK_LIFETIME_SECONDS = 15
"""TICKET_LOCK_LIFETIME of the cluster: a server that dies holding a conversation's
lock holds it at most this long (Rasa's default is 60 s); far above any turn."""
SERVED_BY_HEADER = "X-Served-By"

HAPROXY_CONFIG = """\
global
    maxconn 4096

defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    timeout tunnel 1h
    timeout check 5s
    option redispatch
    retries 2
    retry-on conn-failure
    default-server inter 1s fall 2 rise 2

frontend rasa
    bind 127.0.0.1:{rasa_port}
    default_backend rasa

backend rasa
    balance roundrobin
    option httpchk GET /
    http-response set-header {served_by} %s
{rasa_servers}

frontend actions
    bind 127.0.0.1:{action_port}
    default_backend actions

backend actions
    balance roundrobin
    option httpchk GET /health
{action_servers}
"""


def haproxy_available() -> bool:
    """Tell whether HAProxy is installed (``make run-cluster`` installs it)."""
    return Path(HAPROXY).is_file() or shutil.which("haproxy") is not None


@dataclass
class ClusterSettings:
    """What one cluster runs with.

    Args:
        model: The trained model both Rasa servers load.
        work: Where configuration files and logs go.
        environment: The servers' environment: secrets, CRM_API_URL and the
            production endpoints' variables (PostgreSQL, Redis, RabbitMQ).
        jwt_secret: Rasa's ``--jwt-secret``.
        rasa_port: HAProxy's port in front of the Rasa servers.
        action_port: HAProxy's port in front of the action servers.
        queue: RabbitMQ queue of the events.
        key_prefix: Redis key prefix of the locks (letters and digits).
        rasa_args: More ``rasa run`` arguments (``--cors ...``).

    """

    model: Path
    work: Path
    environment: dict[str, str]
    jwt_secret: str
    rasa_port: int = field(default_factory=free_port)
    action_port: int = field(default_factory=free_port)
    queue: str = "nordlicht_events"
    key_prefix: str = "nordlicht"
    rasa_args: tuple[str, ...] = ()


class Cluster:
    """The running cluster (see :func:`running_cluster`)."""

    def __init__(self, settings: ClusterSettings) -> None:
        """Choose the servers' ports; nothing runs yet."""
        self.settings = settings
        self.url = f"http://127.0.0.1:{settings.rasa_port}"
        self.action_url = f"http://127.0.0.1:{settings.action_port}"
        self.jwt_secret = settings.jwt_secret
        self.rasa_ports = [free_port(), free_port()]
        self.action_ports = [free_port(), free_port()]
        self.rasa: list[RunningServer] = []
        self.actions: list[RunningServer] = []
        self.haproxy: RunningServer | None = None

    def processes(self) -> dict[str, RunningServer]:
        """Return every server process by name."""
        servers = [*self.rasa, *self.actions, *([self.haproxy] if self.haproxy else [])]
        return {server.name: server for server in servers}

    def start(self) -> None:
        """Start all servers side by side and wait until each answers."""
        work = self.settings.work
        work.mkdir(parents=True, exist_ok=True)
        endpoints = self._write_endpoints()
        config = self._write_haproxy_config()
        env = self._environment()
        for index, port in enumerate(self.action_ports, start=1):
            self.actions.append(
                spawn_server(
                    f"actions{index}",
                    action_server_command(),
                    work,
                    {**env, "ACTION_SERVER_PORT": str(port)},
                    f"http://127.0.0.1:{port}/health",
                )
            )
        for index, port in enumerate(self.rasa_ports, start=1):
            self.rasa.append(
                spawn_server(
                    f"rasa{index}",
                    self._rasa_command(port, endpoints),
                    work,
                    env,
                    f"http://127.0.0.1:{port}/status",
                )
            )
        self.haproxy = spawn_server(
            "haproxy", [HAPROXY, "-f", str(config), "-db"], work, env, f"{self.url}/status"
        )
        for server in self.actions:
            wait_until_ready(server, f"{server.url}/health")
        for server in self.rasa:
            wait_until_ready(server, f"{server.url}/status", headers=self._auth)
        wait_until_ready(self.haproxy, f"{self.url}/status", headers=self._auth)

    def stop(self) -> None:
        """Stop every server (the load balancer first)."""
        for server in reversed(list(self.processes().values())):
            stop_server(server)

    def kill_rasa(self, index: int) -> None:
        """SIGKILL Rasa server ``index`` (0 or 1): no shutdown, no clean-up."""
        process = self.rasa[index].process
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def _auth(self) -> dict[str, str]:
        return rasa_api_auth(self.jwt_secret)

    def _environment(self) -> dict[str, str]:
        return {
            **self.settings.environment,
            "ACTION_SERVER_URL": f"{self.action_url}/webhook",
            "TICKET_LOCK_LIFETIME": str(LOCK_LIFETIME_SECONDS),
        }

    def _rasa_command(self, port: int, endpoints: Path) -> list[str]:
        return [
            str(VENV_BIN / "rasa"),
            "run",
            "--model",
            str(self.settings.model),
            "--port",
            str(port),
            "--interface",
            "127.0.0.1",
            "--enable-api",
            "--jwt-secret",
            self.jwt_secret,
            "--jwt-method",
            "HS256",
            "--endpoints",
            str(endpoints),
            "--credentials",
            str(PROJECT_ROOT / "credentials.yml"),
            *self.settings.rasa_args,
        ]

    def _write_endpoints(self) -> Path:
        text = (PROJECT_ROOT / "endpoints.production.yml").read_text()
        text = text.replace("- nordlicht_events", f"- {self.settings.queue}")
        text = text.replace("key_prefix: nordlicht", f"key_prefix: {self.settings.key_prefix}")
        path = self.settings.work / "endpoints.cluster.yml"
        path.write_text(text)
        return path

    def _write_haproxy_config(self) -> Path:
        def servers(name: str, ports: list[int]) -> str:
            return "\n".join(
                f"    server {name}{i} 127.0.0.1:{port} check" for i, port in enumerate(ports, 1)
            )

        config = HAPROXY_CONFIG.format(
            rasa_port=self.settings.rasa_port,
            action_port=self.settings.action_port,
            served_by=SERVED_BY_HEADER,
            rasa_servers=servers("rasa", self.rasa_ports),
            action_servers=servers("actions", self.action_ports),
        )
        path = self.settings.work / "haproxy.cfg"
        path.write_text(config)
        return path


@contextmanager
def running_cluster(settings: ClusterSettings) -> Iterator[Cluster]:
    """Run the cluster until the ``with`` block ends."""
    cluster = Cluster(settings)
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()
