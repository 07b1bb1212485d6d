"""Test-drive leads (prospects and known customers) and their number counter.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 12:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

CHANNELS = ("chat", "messenger", "phone", "email", "website", "dealership", "workshop", "letter")


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "leads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lead_number", sa.String(length=16), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("model", sa.String(length=80), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=True),
        sa.Column("preferred_date", sa.String(length=80), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column(
            "channel",
            sa.Enum(
                *CHANNELS, name="lead_channel", native_enum=False, create_constraint=True, length=32
            ),
            nullable=False,
        ),
        sa.Column("conversation_id", sa.String(length=100), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_leads_customer_id_customers")
        ),
        sa.ForeignKeyConstraint(
            ["workshop_id"], ["workshops.id"], name=op.f("fk_leads_workshop_id_workshops")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_leads")),
        sa.UniqueConstraint("lead_number", name=op.f("uq_leads_lead_number")),
    )
    op.create_index(op.f("ix_leads_customer_id"), "leads", ["customer_id"], unique=False)
    counters = sa.table("number_counters", sa.column("name"), sa.column("last_value"))
    op.bulk_insert(counters, [{"name": "lead", "last_value": 2_000_000}])


def downgrade() -> None:
    """Revert this revision."""
    op.execute("DELETE FROM number_counters WHERE name = 'lead'")
    op.drop_index(op.f("ix_leads_customer_id"), table_name="leads")
    op.drop_table("leads")
