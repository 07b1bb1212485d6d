"""Erasure register, feedback (CSAT) and per-conversation analytics rows.

Revision ID: 0008_privacy_analytics
Revises: 0007_training_inbox
Create Date: 2026-12-04 21:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_privacy_analytics"
down_revision = "0007_training_inbox"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "erasures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_number", sa.String(length=12), nullable=False),
        sa.Column("erased_at", sa.DateTime(), nullable=False),
        sa.Column("requested_by", sa.String(length=80), nullable=False),
        sa.Column("receipt", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_erasures")),
        sa.UniqueConstraint("customer_number", name=op.f("uq_erasures_customer_number")),
    )
    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.String(length=255), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("customer_number", sa.String(length=12), nullable=True),
        sa.Column("served_by", sa.String(length=10), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback")),
    )
    for column in ("conversation_id", "customer_number", "created_at"):
        op.create_index(op.f(f"ix_feedback_{column}"), "feedback", [column], unique=False)
    op.create_table(
        "conversation_stats",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.String(length=255), nullable=False),
        sa.Column("sender_id", sa.String(length=255), nullable=True),
        sa.Column("subject", sa.String(length=255), nullable=True),
        sa.Column("customer_number", sa.String(length=12), nullable=True),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=False),
        sa.Column("turns", sa.Integer(), nullable=False),
        sa.Column("intents", sa.JSON(), nullable=False),
        sa.Column("topics", sa.JSON(), nullable=False),
        sa.Column("journeys_started", sa.JSON(), nullable=False),
        sa.Column("journeys_completed", sa.JSON(), nullable=False),
        sa.Column("fallbacks", sa.Integer(), nullable=False),
        sa.Column("ended_in_fallback", sa.Boolean(), nullable=False),
        sa.Column("escalated", sa.Boolean(), nullable=False),
        sa.Column("escalation_reason", sa.String(length=40), nullable=True),
        sa.Column("wait_seconds", sa.Float(), nullable=True),
        sa.Column("handle_seconds", sa.Float(), nullable=True),
        sa.Column("csat", sa.Integer(), nullable=True),
        sa.Column("erased", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conversation_stats")),
        sa.UniqueConstraint("conversation_id", name=op.f("uq_conversation_stats_conversation_id")),
    )
    op.create_table(
        "analytics_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_key", sa.String(length=80), nullable=False),
        sa.Column("sender_id", sa.String(length=255), nullable=False),
        sa.Column("timestamp", sa.Float(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_analytics_events")),
        sa.UniqueConstraint("source_key", name=op.f("uq_analytics_events_source_key")),
    )
    for column in ("sender_id", "timestamp"):
        op.create_index(
            op.f(f"ix_analytics_events_{column}"), "analytics_events", [column], unique=False
        )
    for column in ("sender_id", "subject", "customer_number", "started_at"):
        op.create_index(
            op.f(f"ix_conversation_stats_{column}"), "conversation_stats", [column], unique=False
        )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("analytics_events")
    op.drop_table("conversation_stats")
    op.drop_table("feedback")
    op.drop_table("erasures")
