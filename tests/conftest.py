"""Fixtures shared by the whole suite: the trained model and running servers."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from bot.model_files import current_model_path
from tests.support.processes import IDENTITY_CLAIM_TEST_SECRET

# Action tests sign and check verified identities in this process (actions.slots).
os.environ.setdefault("IDENTITY_CLAIM_SECRET", IDENTITY_CLAIM_TEST_SECRET)
# The tests give the escalation intake the CRM's token and database (its defaults);
# a developer's var/dev.env (exported by make) must not leak into them or their servers.
os.environ.pop("ESCALATION_API_TOKEN", None)
os.environ.pop("ESCALATION_API_URL", None)
os.environ.pop("ESCALATION_DATABASE_URL", None)

from tests.support.crm_server import CRMServer
from tests.support.crm_server import seed as seed_crm
from tests.support.demo_dates import DemoCalendar
from tests.support.processes import (
    PROJECT_ROOT,
    action_endpoint_yaml,
    free_port,
    running_action_server,
    running_rasa,
    server_environment,
)
from tests.support.requirements import unavailable

MODEL_FIXTURES = frozenset({"model_path", "agent"})
"""Fixtures that need the trained model: their tests are marked ``model``."""
SERVER_FIXTURES = frozenset(
    {"crm_server", "demo_calendar", "action_server", "rasa_server", "rasa_address"}
)
"""Fixtures that start servers as subprocesses: their tests are marked ``e2e``."""


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark tests that need the model or running servers (``make test-unit`` leaves them out)."""
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        if used & MODEL_FIXTURES:
            item.add_marker(pytest.mark.model)
        if used & SERVER_FIXTURES:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def model_path() -> Path:
    """The trained model for the current inputs (``make train`` builds it)."""
    path = Path(os.environ.get("NORDLICHT_MODEL") or current_model_path())
    if not path.is_absolute():
        path = PROJECT_ROOT / path
    if not path.is_file():
        unavailable(f"no trained model at {path}: run `make train` (make test does it)")
    return path


@pytest.fixture(scope="session")
def agent(model_path: Path):
    """The trained model loaded once per session in this process."""
    from rasa.core.agent import Agent

    return Agent.load(str(model_path))


@pytest.fixture(scope="session")
def server_logs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("server-logs")


RASA_TEST_JWT_SECRET = "test-rasa-jwt-secret-0123456789abcdef"
WEBSITE_ORIGINS = ("http://localhost:8000", "http://127.0.0.1:8000")
"""The demo website's origins (RASA_CORS_ORIGINS of ``make run``)."""


@pytest.fixture(scope="session")
def rasa_address(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Where the Rasa server will run and keep its conversations (the bot service needs both)."""
    tracker_db = tmp_path_factory.mktemp("rasa-tracker") / "tracker.db"
    return {"port": str(free_port()), "tracker_db": str(tracker_db)}


@pytest.fixture(scope="session")
def website_port() -> int:
    """Port of the demo website in front of ``rasa_server`` (tests/browser): an allowed origin."""
    return free_port()


@pytest.fixture(scope="session")
def crm_server(
    server_logs: Path, tmp_path_factory: pytest.TempPathFactory, rasa_address: dict[str, str]
) -> Iterator[CRMServer]:
    """`bot serve` on a free port over a freshly seeded temporary SQLite CRM.

    It reaches the Rasa server's HTTP API (live takeover) and reads its tracker
    store (handoff requests the action server missed); agents always work.
    """
    database = tmp_path_factory.mktemp("crm-server") / "crm.db"
    seed_crm(database)
    server = CRMServer(database, server_logs)
    server.env.update(
        RASA_URL=f"http://127.0.0.1:{rasa_address['port']}",
        RASA_JWT_SECRET=RASA_TEST_JWT_SECRET,
        RASA_TRACKER_STORE_URL=f"sqlite:///{rasa_address['tracker_db']}",
        ESCALATION_BUSINESS_HOURS="always",
        ESCALATION_SWEEP_SECONDS="0.5",
        ANALYTICS_INTERVAL_SECONDS="2",
    )
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def demo_calendar(crm_server: CRMServer) -> DemoCalendar:
    """The day ``crm_server``'s demo data was loaded on, and its dates by the seed's rule."""
    return DemoCalendar.of_database(crm_server.database)


@pytest.fixture(scope="session")
def action_server(server_logs: Path, crm_server: CRMServer) -> Iterator:
    """The Rasa SDK action server with our actions, on a free port, talking to ``crm_server``."""
    with running_action_server(
        "actions",
        free_port(),
        server_logs,
        env=server_environment(**crm_server.client_environment()),
    ) as server:
        yield server


@pytest.fixture(scope="session")
def rasa_server(
    model_path: Path,
    action_server,
    crm_server: CRMServer,
    website_port: int,
    server_logs: Path,
    tmp_path_factory,
    rasa_address,
) -> Iterator:
    """The Rasa server with the trained model, talking to the action server.

    Conversations go to a SQLite tracker store the bot service reads. Browsers
    may call it from the website origins of ``make run`` and from the test
    websites (``crm_server``, ``website_port``), nowhere else.
    """
    origins = [*WEBSITE_ORIGINS, crm_server.url, f"http://127.0.0.1:{website_port}"]
    port = int(rasa_address["port"])
    endpoints = tmp_path_factory.mktemp("rasa-config") / "endpoints.yml"
    endpoints.write_text(
        action_endpoint_yaml(f"{action_server.url}/webhook")
        + f"tracker_store:\n  type: SQL\n  dialect: sqlite\n  db: {rasa_address['tracker_db']}\n"
    )
    with running_rasa(
        "rasa",
        model_path,
        port=port,
        jwt_secret=RASA_TEST_JWT_SECRET,
        endpoints=endpoints,
        log_dir=server_logs,
        env=server_environment(RASA_CORS_ORIGINS=" ".join(origins)),
        extra_args=[
            "--cors",
            *origins,
            "--credentials",
            str(PROJECT_ROOT / "credentials.yml"),
        ],
    ) as server:
        server.jwt_secret = RASA_TEST_JWT_SECRET
        yield server


# --- the CRM in process, for tests of bot/ and actions/ ----------------------

DEMO_TODAY = date(2026, 11, 23)
"""The demo's "today"."""


def _demo_clock() -> datetime:
    return datetime(2026, 11, 23, 8, 0, tzinfo=timezone.utc)


@pytest.fixture(scope="session")
def seeded_crm_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A CRM SQLite file with the demo customers and 20 generated ones (copied per test)."""
    from bot.crm.db import create_crm_engine, upgrade_database
    from bot.crm.seed import seed_database
    from bot.escalation.db import upgrade_escalation_database

    path = tmp_path_factory.mktemp("crm-template") / "crm.db"
    engine = create_crm_engine(f"sqlite:///{path}")
    upgrade_database(engine)
    upgrade_escalation_database(
        engine
    )  # the escalation tables beside the CRM's, as `bot db upgrade`
    seed_database(engine, population=20, today=DEMO_TODAY)
    engine.dispose()
    return path


@pytest.fixture
def crm_service_local(seeded_crm_file: Path, tmp_path: Path) -> Iterator:
    """The CRM service over a fresh copy of the seeded file, at 09:00 on 2026-11-23."""
    from bot.crm.db import create_crm_engine
    from bot.crm.service import CRMService

    path = tmp_path / "crm.db"
    shutil.copy(seeded_crm_file, path)
    engine = create_crm_engine(f"sqlite:///{path}")
    yield CRMService(engine, clock=_demo_clock)
    engine.dispose()


@pytest.fixture
def local_crm(crm_service_local):
    """A LocalCRMClient over :func:`crm_service_local` (the real CRM, no HTTP)."""
    from bot.crm.local_client import LocalCRMClient

    return LocalCRMClient(crm_service_local)
