"""The profile's statements find their rows through indexes, however long the history grows.

SQLite's ``EXPLAIN QUERY PLAN`` of every statement ``get_profile`` runs, with
3,000 contacts in the history: no table is scanned, and the latest contacts
come straight off the index on (customer, time), with no sort of the whole
history. (Without ``ANALYZE`` statistics, as the service runs; with them
SQLite rightly scans a test database's tiny recall tables.)
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import event, insert
from sqlalchemy.engine import Engine

from bot.crm import models
from bot.crm.enums import Channel
from bot.crm.service import CRMService

pytestmark = pytest.mark.parametrize("crm_database_url", ["sqlite"], indirect=True)


def test_the_profile_never_scans_a_table_nor_sorts_the_history(
    crm_engine: Engine, crm_service: CRMService
) -> None:
    start = datetime(2026, 1, 1)
    with crm_engine.begin() as connection:
        customer_id = connection.execute(
            models.Customer.__table__.select().where(
                models.Customer.__table__.c.customer_number == "K-100001"
            )
        ).first()[0]
        connection.execute(
            insert(models.Interaction.__table__),
            [
                {
                    "customer_id": customer_id,
                    "occurred_at": start + timedelta(minutes=n),
                    "channel": Channel.CHAT,
                    "summary": f"Chat {n}",
                }
                for n in range(3000)
            ],
        )
    statements: list[tuple[str, tuple]] = []

    def note(_conn, _cursor, statement: str, parameters: tuple, *_args: object) -> None:
        statements.append((statement, parameters))

    event.listen(crm_engine, "before_cursor_execute", note)
    profile = crm_service.get_profile("K-100001")
    event.remove(crm_engine, "before_cursor_execute", note)
    assert len(profile.recent_interactions) == 20
    assert len(statements) == 9
    with crm_engine.connect() as connection:
        for statement, parameters in statements:
            plan = [
                row[-1]
                for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
            ]
            assert not [step for step in plan if step.startswith("SCAN")], (statement, plan)
            if "FROM interactions" in statement:
                assert not [step for step in plan if "TEMP B-TREE" in step], plan
