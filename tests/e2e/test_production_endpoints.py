"""The production endpoints (endpoints.production.yml) on the real services.

Rasa keeps conversations in PostgreSQL, takes its locks in Redis and
publishes events to RabbitMQ; a conversation survives a restart of the Rasa
server. The services run on every machine of this project and in CI.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.e2e.chat import REST_AUTH
from tests.support.postgres import PG_HOST, PG_PORT, PG_USER, PostgresServer, postgres_server
from tests.support.processes import (
    PROJECT_ROOT,
    free_port,
    rasa_api_auth,
    running_rasa,
)
from tests.support.production import production_environment

pytestmark = [pytest.mark.model, pytest.mark.e2e, pytest.mark.postgres]

TOKEN = "test-production-token"


@pytest.fixture(scope="module")
def tracker_database() -> Iterator[tuple[PostgresServer, str]]:
    server = postgres_server(prefix="rasa_test")
    name = server.create("tracker")
    yield server, name
    server.close()


@pytest.fixture(scope="module")
def queue_name() -> str:
    return f"nordlicht_test_{uuid.uuid4().hex[:8]}"


@pytest.fixture(scope="module")
def production_env(
    tracker_database, queue_name: str, action_server, tmp_path_factory
) -> dict[str, str]:
    _, database = tracker_database
    endpoints = (PROJECT_ROOT / "endpoints.production.yml").read_text()
    # one queue per test run, so the test reads only its own events
    config = tmp_path_factory.mktemp("prod") / "endpoints.yml"
    config.write_text(endpoints.replace("nordlicht_events", queue_name))
    return production_environment(action_server.url, database, ENDPOINTS_FILE=str(config))


def start_rasa(model_path: Path, env: dict[str, str], logs: Path, name: str):
    return running_rasa(
        name,
        model_path,
        port=free_port(),
        jwt_secret=TOKEN,
        endpoints=env["ENDPOINTS_FILE"],
        log_dir=logs,
        env=env,
    )


def user_texts(url: str, sender: str) -> list[str]:
    tracker = httpx.get(
        f"{url}/conversations/{sender}/tracker", headers=rasa_api_auth(TOKEN), timeout=10
    )
    assert tracker.status_code == 200
    return [e["text"] for e in tracker.json()["events"] if e["event"] == "user"]


async def queued(queue_name: str) -> int:
    import aio_pika

    connection = await aio_pika.connect_robust("amqp://guest:guest@127.0.0.1:5672/")
    async with connection:
        channel = await connection.channel()
        queue = await channel.declare_queue(queue_name, durable=True)
        return int(queue.declaration_result.message_count or 0)


def wait_for_events(queue_name: str, minimum: int, timeout: float = 15.0) -> None:
    """Rasa publishes in the background and does not flush on shutdown: wait."""
    deadline = time.monotonic() + timeout
    while asyncio.run(queued(queue_name)) < minimum and time.monotonic() < deadline:
        time.sleep(0.3)


async def drain(queue_name: str) -> list[dict]:
    import aio_pika

    connection = await aio_pika.connect_robust("amqp://guest:guest@127.0.0.1:5672/")
    events = []
    async with connection:
        channel = await connection.channel()
        queue = await channel.declare_queue(queue_name, durable=True)
        while (message := await queue.get(no_ack=True, fail=False)) is not None:
            events.append(json.loads(message.body))
        await queue.delete(if_unused=False, if_empty=False)
    return events


def test_conversation_is_stored_locked_published_and_survives_a_restart(
    model_path: Path,
    production_env: dict[str, str],
    server_logs: Path,
    tracker_database,
    queue_name: str,
) -> None:
    sender = f"prod-{uuid.uuid4().hex[:8]}"
    with start_rasa(model_path, production_env, server_logs, "rasa-prod-1") as rasa:
        reply = httpx.post(
            f"{rasa.url}/webhooks/rest/webhook",
            json={"sender": sender, "message": "Hallo"},
            headers=REST_AUTH,
            timeout=30,
        )
        assert reply.status_code == 200 and reply.json()
        wait_for_events(queue_name, minimum=3)  # user, bot, action events
    with start_rasa(model_path, production_env, server_logs, "rasa-prod-2") as rasa:
        assert user_texts(rasa.url, sender) == ["Hallo"]  # read back from PostgreSQL
        httpx.post(
            f"{rasa.url}/webhooks/rest/webhook",
            json={"sender": sender, "message": "Danke"},
            headers=REST_AUTH,
            timeout=30,
        )
        assert user_texts(rasa.url, sender) == ["Hallo", "Danke"]

    import psycopg2

    _, database = tracker_database
    with (
        psycopg2.connect(host=PG_HOST, port=PG_PORT, user=PG_USER, dbname=database) as db,
        db.cursor() as cur,
    ):
        cur.execute(
            "SELECT count(*) FROM events WHERE sender_id = %s AND type_name = 'user'", (sender,)
        )
        assert cur.fetchone()[0] == 2

    published = asyncio.run(drain(queue_name))
    mine = [e for e in published if e.get("sender_id") == sender]
    assert [e.get("text") for e in mine if e["event"] == "user"] == ["Hallo", "Danke"]
    assert any(e["event"] == "bot" for e in mine)


def test_ready_and_no_customer_token_in_postgresql_or_rabbitmq(
    model_path: Path,
    production_env: dict[str, str],
    server_logs: Path,
    tracker_database,
    queue_name: str,
) -> None:
    """The token logs the customer in for the turn, and is kept nowhere afterwards."""
    from tests.e2e.chat import customer_token

    token = customer_token("K-100001")
    sender = f"prod-token-{uuid.uuid4().hex[:8]}"
    with start_rasa(model_path, production_env, server_logs, "rasa-prod-3") as rasa:
        ready = httpx.get(f"{rasa.url}/webhooks/health/ready", timeout=10)
        assert ready.status_code == 200, ready.text
        assert ready.json() == {
            "status": "ready",
            "model": "ok",
            "tracker_store": "ok",
            "lock_store": "ok",
            "event_broker": "ok",
        }
        reply = httpx.post(
            f"{rasa.url}/webhooks/rest/webhook",
            json={"sender": sender, "message": "Hallo", "metadata": {"customer_token": token}},
            headers=REST_AUTH,
            timeout=30,
        )
        assert "Frau Schmidt" in " ".join(m.get("text", "") for m in reply.json())
        wait_for_events(queue_name, minimum=3)

    import psycopg2

    _, database = tracker_database
    with (
        psycopg2.connect(host=PG_HOST, port=PG_PORT, user=PG_USER, dbname=database) as db,
        db.cursor() as cur,
    ):
        cur.execute("SELECT data FROM events WHERE sender_id = %s", (sender,))
        stored = " ".join(row[0] for row in cur.fetchall())
    assert "verified_customer_number" in stored and token not in stored
    assert '"customer_token":' not in stored  # the key; "customer_token" is also a method
    published = json.dumps(asyncio.run(drain(queue_name)))
    assert sender in published and token not in published
