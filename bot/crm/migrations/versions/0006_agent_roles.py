"""Roles of desk accounts (agent, lead, trainer, privacy).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 21:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision: existing accounts become plain agents."""
    with op.batch_alter_table("agents") as batch:
        batch.add_column(
            sa.Column("roles", sa.String(length=80), nullable=False, server_default="agent")
        )


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("agents") as batch:
        batch.drop_column("roles")
