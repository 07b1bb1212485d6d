"""Alembic environment of the CRM; run through ``bot.crm.db.upgrade_database``."""

from __future__ import annotations

from typing import Any

from alembic import context

from bot.analytics import models as _analytics_models  # noqa: F401  (its tables)
from bot.crm.models import Base
from bot.feedback import models as _feedback_models  # noqa: F401  (its tables)
from bot.privacy import models as _privacy_models  # noqa: F401  (its tables)
from bot.training import models as _training_models  # noqa: F401  (its tables)

target_metadata = Base.metadata


def _is_ours(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    """Leave alone the tables of others in the same database (the escalation's, since 0006)."""
    return not (type_ == "table" and reflected and compare_to is None)


def run_migrations() -> None:
    """Run the migrations on the engine handed over in the Alembic config."""
    engine = context.config.attributes["engine"]
    with engine.begin() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=True,
            compare_type=True,
            include_object=_is_ours,
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("Offline (SQL script) migrations are not supported; use `bot db upgrade`.")
run_migrations()
