"""Shared CRM fixtures: real seeded databases on SQLite files and PostgreSQL.

A small population is seeded once per session into a template (a SQLite file,
a PostgreSQL database); every test gets its own copy, so tests may write
freely. PostgreSQL runs at 127.0.0.1:5432 (user postgres, trust auth); this
session's databases are named ``crm_test_<random>_...`` and dropped at the end.
When the server is unreachable the PostgreSQL tests fail on CI (env CI set)
and are skipped elsewhere.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Callable, Iterator
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from bot.crm.db import create_crm_engine, upgrade_database
from bot.crm.seed import seed_database
from bot.crm.service import CRMService
from tests.support.postgres import PostgresServer, postgres_server

TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 8, 0, tzinfo=timezone.utc)
"""09:00 in Munich, Vienna and Zurich on the demo's "today"."""
SMALL_POPULATION = 20


def fixed_clock() -> datetime:
    """The clock every CRM test runs with."""
    return NOW


def seed_small(engine: Engine, population: int = SMALL_POPULATION) -> None:
    """Migrate and seed ``engine``'s database the way the tests expect."""
    from bot.escalation.db import upgrade_escalation_database

    upgrade_database(engine)
    upgrade_escalation_database(engine)  # the escalation tables beside the CRM's
    seed_database(engine, population=population, today=TODAY)


@pytest.fixture(scope="session")
def crm_postgres() -> Iterator[PostgresServer]:
    """The local PostgreSQL server, or a skip (a failure on CI) when it is down."""
    server = postgres_server(prefix="crm_test")
    yield server
    server.close()


@pytest.fixture(scope="session")
def crm_sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A seeded SQLite file to copy."""
    path = tmp_path_factory.mktemp("crm") / "template.db"
    engine = create_crm_engine(f"sqlite:///{path}")
    seed_small(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def crm_postgres_template(crm_postgres: PostgresServer) -> str:
    """A seeded PostgreSQL database to copy (no connections left open on it)."""
    name = crm_postgres.create("template")
    engine = create_crm_engine(crm_postgres.url(name))
    seed_small(engine)
    engine.dispose()
    return name


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def crm_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """URL of a fresh copy of the seeded CRM, on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        path = tmp_path / "crm.db"
        shutil.copy(request.getfixturevalue("crm_sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    server: PostgresServer = request.getfixturevalue("crm_postgres")
    template = request.getfixturevalue("crm_postgres_template")
    name = server.create(uuid.uuid4().hex[:8], template=template)
    yield server.url(name)
    server.drop(name)


@pytest.fixture
def crm_engine(crm_database_url: str) -> Iterator[Engine]:
    """Engine of the fresh seeded copy."""
    engine = create_crm_engine(crm_database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def crm_service(crm_engine: Engine) -> CRMService:
    """The CRM service over the fresh copy, at 09:00 on 2026-11-23."""
    return CRMService(crm_engine, clock=fixed_clock)


@pytest.fixture
def crm_today() -> date:
    """The demo's "today" (first day of the seeded slots)."""
    return TODAY


@pytest.fixture
def crm_now() -> datetime:
    """What the test clock says."""
    return NOW


@pytest.fixture(scope="session")
def crm_clock() -> Callable[[], datetime]:
    """The fixed clock (for services a test builds itself)."""
    return fixed_clock
