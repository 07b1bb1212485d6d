"""Roles of desk accounts (agent, lead, trainer, privacy), as the CRM's 0006 added them.

Revision ID: e0002_agent_roles
Revises: e0001_escalation_tables
Create Date: 2026-12-04 22:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "e0002_agent_roles"
down_revision = "e0001_escalation_tables"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add ``agents.roles`` (existing accounts become plain agents) unless the CRM's 0006 did."""
    columns = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("agents")}
    if "roles" in columns:
        return  # adopted: added by the CRM's migration 0006
    with op.batch_alter_table("agents") as batch:
        batch.add_column(
            sa.Column("roles", sa.String(length=80), nullable=False, server_default="agent")
        )


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("agents") as batch:
        batch.drop_column("roles")
