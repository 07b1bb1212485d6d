"""Alembic environment of the CRM; run through ``bot.crm.db.upgrade_database``."""

from __future__ import annotations

from alembic import context

from bot.analytics import models as _analytics_models  # noqa: F401  (its tables)
from bot.crm.models import Base
from bot.escalation import models as _escalation_models  # noqa: F401  (its tables)
from bot.feedback import models as _feedback_models  # noqa: F401  (its tables)
from bot.privacy import models as _privacy_models  # noqa: F401  (its tables)

target_metadata = Base.metadata


def run_migrations() -> None:
    """Run the migrations on the engine handed over in the Alembic config."""
    engine = context.config.attributes["engine"]
    with engine.begin() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=True,
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("Offline (SQL script) migrations are not supported; use `bot db upgrade`.")
run_migrations()
