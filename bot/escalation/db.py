"""Schema migrations of the escalation tables: their own Alembic history.

The CRM's migrations 0002 and 0006 created these tables in the CRM's
database; since then they have a history of their own
(``bot/escalation/migrations``, version table :data:`VERSION_TABLE`), whose
first revisions adopt the tables where they exist and create them where they
do not (ESCALATION_DATABASE_URL, a database of their own). ``bot db upgrade``
runs the CRM's history first, then this one.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Engine

from bot.crm.db import create_crm_engine

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
VERSION_TABLE = "escalation_alembic_version"
"""Where the escalation's revision is kept (the CRM's is ``alembic_version``)."""


def alembic_config(engine: Engine) -> Config:
    """Return an Alembic configuration for the escalation migrations (no ini file needed)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def upgrade_escalation_database(url_or_engine: str | Engine, revision: str = "head") -> None:
    """Bring the escalation tables up to ``revision``.

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
