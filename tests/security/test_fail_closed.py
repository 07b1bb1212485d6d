"""Fail closed: a store that is down makes the turn fail visibly, never silently in memory.

In process: the strict tracker store (tables checked at start-up, errors
raised through Rasa's fail-safe wrapper, no customer token stored) and the
failed-turn answer. Against real servers: the production endpoints with
PostgreSQL gone, Redis unreachable or RabbitMQ unreachable.
"""

from __future__ import annotations

import contextlib
import json
import logging
import sqlite3
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.tracker_store import FailSafeTrackerStore, SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.rasa import fail_closed
from bot.rasa.tracker_store import StrictSQLTrackerStore, TrackerStoreUnavailable
from tests.e2e.chat import REST_AUTH
from tests.support.postgres import postgres_server
from tests.support.processes import (
    PROJECT_ROOT,
    VENV_BIN,
    free_port,
    running_rasa,
)
from tests.support.production import production_environment

TOKEN = "test-fail-closed-jwt-secret-0123456789abcdef"
SORRY = "technisches Problem"


# --- in process ---------------------------------------------------------------


def test_the_tables_exist_before_the_store_is_used(tmp_path: Path) -> None:
    StrictSQLTrackerStore(dialect="sqlite", db=str(tmp_path / "tracker.db"))
    with sqlite3.connect(tmp_path / "tracker.db") as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
    assert "events" in tables


def test_an_unreachable_database_stops_the_start_instead_of_waiting_forever() -> None:
    started = time.monotonic()
    with pytest.raises(TrackerStoreUnavailable, match="unavailable after 1"):
        StrictSQLTrackerStore(
            dialect="postgresql", host="127.0.0.1", port=free_port(), db="nowhere",
            username="postgres", startup_timeout=1,
        )  # fmt: skip
    assert time.monotonic() - started < 10


async def test_a_failed_read_is_raised_not_replaced_by_an_empty_conversation(
    tmp_path: Path,
) -> None:
    fail_closed.install()
    strict = FailSafeTrackerStore(
        StrictSQLTrackerStore(dialect="sqlite", db=str(tmp_path / "a.db"))
    )
    stock = FailSafeTrackerStore(SQLTrackerStore(dialect="sqlite", db=str(tmp_path / "b.db")))
    for wrapped in (strict, stock):
        with wrapped._tracker_store.engine.begin() as connection:
            connection.exec_driver_sql("DROP TABLE events")
    assert await stock.retrieve("conv") is None  # Rasa's silent fallback, for comparison
    with pytest.raises(Exception, match="events"):
        await strict.retrieve("conv")
    with pytest.raises(Exception, match="events"):
        await strict.save(DialogueStateTracker("conv", []))


async def test_the_customer_token_is_not_stored(tmp_path: Path) -> None:
    store = StrictSQLTrackerStore(dialect="sqlite", db=str(tmp_path / "tracker.db"))
    store.domain = Domain.empty()
    metadata = {"customer_token": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJLLTEwMDAwMSJ9.sig", "x": 1}
    tracker = DialogueStateTracker("conv", [])
    tracker.update(SessionStarted())
    tracker.update(SlotSet("session_started_metadata", dict(metadata)))
    tracker.update(UserUttered("Hallo", metadata=dict(metadata)))
    await store.save(tracker)
    assert tracker.latest_message.metadata["customer_token"]  # the turn still had it
    with sqlite3.connect(tmp_path / "tracker.db") as db:
        stored = [json.loads(row[0]) for row in db.execute("SELECT data FROM events")]
    assert stored and "customer_token" not in json.dumps(stored)
    assert any(e.get("metadata", {}).get("x") == 1 for e in stored)


class _BrokenAgent:
    domain = Domain.from_dict(
        {
            "responses": {
                "utter_technical_problem": [{"text": "Entschuldigung, ein technisches Problem."}]
            }
        }
    )

    @fail_closed.answering_failures
    async def handle_message(self, message: UserMessage) -> None:
        raise ConnectionError("redis down at 127.0.0.1:6379 for K-100001")


async def test_a_failed_turn_is_answered_and_logged(caplog: pytest.LogCaptureFixture) -> None:
    channel = CollectingOutputChannel()
    with caplog.at_level(logging.ERROR):
        await _BrokenAgent().handle_message(UserMessage("Hallo", channel, "conv"))
    assert [m["text"] for m in channel.messages] == ["Entschuldigung, ein technisches Problem."]
    assert "Turn failed" in caplog.text and "ConnectionError" in caplog.text
    assert "Hallo" not in caplog.text


# --- against the real services -------------------------------------------------


def _environment(action_server, **overrides: str) -> dict[str, str]:
    return production_environment(action_server.url, "postgres", **overrides)


@pytest.fixture(scope="module")
def endpoints(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """endpoints.production.yml with a short start-up wait and its own queue."""
    text = (PROJECT_ROOT / "endpoints.production.yml").read_text()
    text = text.replace("startup_timeout: 30", "startup_timeout: 3")
    text = text.replace("connection_attempts: 6", "connection_attempts: 1")
    text = text.replace("nordlicht_events", f"nordlicht_test_{uuid.uuid4().hex[:8]}")
    path = tmp_path_factory.mktemp("fail-closed") / "endpoints.yml"
    path.write_text(text)
    return path


@pytest.fixture
def database() -> Iterator[tuple[Any, str]]:
    server = postgres_server(prefix="rasa_fail_closed")
    yield server, server.create("tracker")
    server.close()


def _say(rasa, message: str, sender: str) -> list[dict[str, Any]]:
    reply = httpx.post(
        f"{rasa.url}/webhooks/rest/webhook",
        json={"sender": sender, "message": message},
        headers=REST_AUTH,
        timeout=30,
    )
    assert reply.status_code == 200
    return list(reply.json())


def _ready(rasa) -> httpx.Response:
    return httpx.get(f"{rasa.url}/webhooks/health/ready", timeout=10)


@pytest.mark.model
@pytest.mark.e2e
@pytest.mark.postgres
def test_a_database_gone_while_running_fails_the_turn_visibly(
    model_path: Path, action_server, endpoints: Path, server_logs: Path, database
) -> None:
    server, name = database
    env = _environment(action_server, RASA_TRACKER_DB_NAME=name)
    with running_rasa(
        "rasa-fail-closed-db", model_path, port=free_port(), jwt_secret=TOKEN,
        endpoints=endpoints, log_dir=server_logs, env=env,
    ) as rasa:  # fmt: skip
        ready = _ready(rasa)
        assert ready.status_code == 200, ready.text
        assert ready.json()["tracker_store"] == "ok" and ready.json()["event_broker"] == "ok"
        sender = f"fc-{uuid.uuid4().hex[:8]}"
        assert SORRY not in " ".join(m.get("text", "") for m in _say(rasa, "Hallo", sender))
        server.drop(name)  # the conversations' database is gone
        answer = _say(rasa, "Wo ist meine Bestellung?", sender)
        assert [m.get("text", "") for m in answer] and SORRY in answer[0]["text"]
        assert "/request_human" in [b["payload"] for b in answer[0].get("buttons", [])]
        not_ready = _ready(rasa)
        assert not_ready.status_code == 503
        assert not_ready.json()["tracker_store"] == "unavailable"
        assert "Turn failed" in rasa.log()
        server.create("tracker")  # so that the fixture can drop it


@pytest.mark.model
@pytest.mark.e2e
@pytest.mark.postgres
def test_an_unreachable_lock_store_fails_the_turn_visibly(
    model_path: Path, action_server, endpoints: Path, server_logs: Path, database
) -> None:
    _, name = database
    env = _environment(action_server, RASA_TRACKER_DB_NAME=name, REDIS_PORT=str(free_port()))
    with running_rasa(
        "rasa-fail-closed-redis", model_path, port=free_port(), jwt_secret=TOKEN,
        endpoints=endpoints, log_dir=server_logs, env=env,
    ) as rasa:  # fmt: skip
        answer = _say(rasa, "Hallo", f"fc-{uuid.uuid4().hex[:8]}")
        assert answer and SORRY in answer[0]["text"]
        not_ready = _ready(rasa)
        assert not_ready.status_code == 503 and not_ready.json()["lock_store"] == "unavailable"


@pytest.mark.model
@pytest.mark.e2e
@pytest.mark.postgres
@pytest.mark.parametrize("down", ["RASA_TRACKER_DB_PORT", "RABBITMQ_PORT"])
def test_rasa_does_not_start_without_its_database_or_broker(
    model_path: Path, action_server, endpoints: Path, server_logs: Path, database, down: str
) -> None:
    _, name = database
    env = _environment(action_server, RASA_TRACKER_DB_NAME=name, **{down: str(free_port())})
    port = free_port()
    log = server_logs / f"rasa-not-started-{down}.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [str(VENV_BIN / "rasa"), "run", "--model", str(model_path), "--port", str(port),
             "--enable-api", "--jwt-secret", TOKEN, "--jwt-method", "HS256",
             "--endpoints", str(endpoints)],
            cwd=PROJECT_ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            ever_ready = False
            deadline = time.monotonic() + 120
            while process.poll() is None and time.monotonic() < deadline:
                with contextlib.suppress(httpx.HTTPError):
                    url = f"http://127.0.0.1:{port}/webhooks/health/ready"
                    ever_ready |= httpx.get(url, timeout=2).status_code == 200
                time.sleep(1)
        finally:
            if process.poll() is None:
                process.terminate()
                process.wait(timeout=30)
    assert not ever_ready
    assert process.returncode not in (None, 0) or "Cannot connect" in log.read_text()
