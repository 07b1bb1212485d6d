"""Alembic environment of the escalation tables; run through ``bot.escalation.db``.

Its own history and version table (:data:`bot.escalation.db.VERSION_TABLE`),
so the escalation tables can live in the CRM's database (the default) or in
one of their own. Tables of others in the same database are left alone.
"""

from __future__ import annotations

from typing import Any

from alembic import context

from bot.escalation.db import VERSION_TABLE
from bot.escalation.models import EscalationBase

target_metadata = EscalationBase.metadata


def _is_ours(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    return not (type_ == "table" and reflected and compare_to is None)


def run_migrations() -> None:
    """Run the migrations on the engine handed over in the Alembic config."""
    engine = context.config.attributes["engine"]
    with engine.begin() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            version_table=VERSION_TABLE,
            render_as_batch=True,
            compare_type=True,
            include_object=_is_ours,
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("Offline (SQL script) migrations are not supported; use `bot db upgrade`.")
run_migrations()
