"""The day the seed data is relative to (demo dates move along with it).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04 18:30:00

A database seeded before this revision holds demo and generated dates
written for 23 November 2026, the fixed "today" of the earlier seed; the
anchors record that day, so the next seed moves them to its own day.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

EARLIER_SEED_DAY = date(2026, 11, 23)


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "seed_anchors",
        sa.Column("name", sa.String(length=20), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_seed_anchors")),
    )
    seeded = op.get_bind().execute(sa.text("SELECT count(*) FROM customers")).scalar()
    if seeded:
        anchors = sa.table("seed_anchors", sa.column("name"), sa.column("day", sa.Date))
        op.bulk_insert(
            anchors,
            [
                {"name": "demo", "day": EARLIER_SEED_DAY},
                {"name": "population", "day": EARLIER_SEED_DAY},
            ],
        )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("seed_anchors")
