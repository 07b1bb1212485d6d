"""Engines, sessions and schema migrations of the CRM database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_TIMEOUT_SECONDS = 15


def create_crm_engine(url: str, *, echo: bool = False) -> Engine:
    """Create an engine for the CRM database (SQLite file or PostgreSQL).

    For SQLite the parent folder is created, foreign keys are enforced and
    writers wait for each other instead of failing at once.

    Args:
        url: SQLAlchemy database URL.
        echo: Log every statement (debugging).

    """
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, future=True, echo=echo, pool_pre_ping=True)

    pooling: dict[str, Any] = {}
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        # kept connections: SQLAlchemy 1.4 opens (and configures) a new one per session
        pooling = {"poolclass": QueuePool, "pool_size": 5, "max_overflow": 10}
    engine = create_engine(
        url,
        future=True,
        echo=echo,
        connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_SECONDS},
        **pooling,
    )
    event.listen(engine, "connect", _configure_sqlite_connection)
    return engine


def create_session_factory(engine: Engine) -> sessionmaker:
    """Return a factory of 2.0-style sessions bound to ``engine``."""
    return sessionmaker(bind=engine, class_=Session, future=True, expire_on_commit=False)


def alembic_config(engine: Engine) -> Config:
    """Return an Alembic configuration for the CRM migrations (no ini file needed)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def upgrade_database(url_or_engine: str | Engine, revision: str = "head") -> None:
    """Bring the CRM schema up to ``revision`` by running the Alembic migrations.

    Args:
        url_or_engine: Database URL or an existing engine.
        revision: Target revision; the newest by default.

    """
    engine = create_crm_engine(url_or_engine) if isinstance(url_or_engine, str) else url_or_engine
    try:
        command.upgrade(alembic_config(engine), revision)
    finally:
        if isinstance(url_or_engine, str):
            engine.dispose()


def _configure_sqlite_connection(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    # in WAL mode: a crash of the process loses nothing, a power cut at most the last commits
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
