"""The escalation tables have their own Alembic history, beside the CRM's or alone."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from bot.crm.db import create_crm_engine, upgrade_database
from bot.crm.models import Base
from bot.escalation.db import MIGRATIONS_DIR, VERSION_TABLE, upgrade_escalation_database
from bot.escalation.models import EscalationBase

HEAD = ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()
"""The newest escalation revision (one head: a branched history fails here)."""


def _differences(engine, metadata) -> list:
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={
                "compare_type": False,
                "include_object": lambda o, n, t, reflected, compare_to: (
                    not (t == "table" and reflected and compare_to is None)
                ),
            },
        )
        return compare_metadata(context, metadata)


def _version(engine) -> str:
    with engine.connect() as connection:
        return connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar_one()


def test_an_existing_crm_database_keeps_its_escalations_and_gets_the_new_history(tmp_path) -> None:
    """The tables the CRM's 0002/0006 created are adopted, rows and all."""
    engine = create_crm_engine(f"sqlite:///{tmp_path / 'crm.db'}")
    upgrade_database(engine)  # as every database before this change: tables from the CRM
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO agents (username, display_name, password_hash, active, roles,"
                " created_at) VALUES ('keller', 'Frau Keller', 'x', 1, 'agent,lead',"
                " '2026-11-23 08:00:00')"
            )
        )
    upgrade_escalation_database(engine)
    upgrade_escalation_database(engine)  # a second run is a no-op
    assert _version(engine) == HEAD
    assert _differences(engine, EscalationBase.metadata) == []
    assert _differences(engine, Base.metadata) == []  # the CRM's history still matches
    with engine.connect() as connection:
        roles = connection.execute(text("SELECT roles FROM agents")).scalar_one()
    assert roles == "agent,lead"
    engine.dispose()


def test_a_database_of_its_own_gets_exactly_the_escalation_tables(tmp_path) -> None:
    engine = create_crm_engine(f"sqlite:///{tmp_path / 'escalations.db'}")
    upgrade_escalation_database(engine)
    assert _version(engine) == HEAD
    assert _differences(engine, EscalationBase.metadata) == []
    assert set(inspect(engine).get_table_names()) == set(EscalationBase.metadata.tables) | {
        VERSION_TABLE
    }
    engine.dispose()


def test_an_existing_database_at_crm_0005_gets_the_roles_from_either_history(tmp_path) -> None:
    """Before the lead's 0006: the escalation's e0002 adds the roles; the CRM's 0006 then skips."""
    engine = create_crm_engine(f"sqlite:///{tmp_path / 'crm.db'}")
    upgrade_database(engine, "0005")
    upgrade_escalation_database(engine)
    columns = {c["name"] for c in inspect(engine).get_columns("agents")}
    assert "roles" in columns
    engine.dispose()


def test_half_an_escalation_schema_is_refused(tmp_path) -> None:
    engine = create_crm_engine(f"sqlite:///{tmp_path / 'odd.db'}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE agents (id INTEGER PRIMARY KEY)"))
    with pytest.raises(RuntimeError, match="some escalation tables exist"):
        upgrade_escalation_database(engine)
    engine.dispose()
