"""The trainers' inbox: masked messages the model did not understand, sightings, turn counts.

Revision ID: 0007_training_inbox
Revises: 0006
Create Date: 2026-12-04 21:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_training_inbox"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "training_inbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("text_key", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("reason", sa.String(length=30), nullable=False),
        sa.Column("predicted_intent", sa.String(length=60), nullable=True),
        sa.Column("predictions", sa.JSON(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("first_seen", sa.DateTime(), nullable=False),
        sa.Column("last_seen", sa.DateTime(), nullable=False),
        sa.Column("conversation_id", sa.String(length=255), nullable=True),
        sa.Column("channel", sa.String(length=40), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("label_intent", sa.String(length=60), nullable=True),
        sa.Column("label_entities", sa.JSON(), nullable=True),
        sa.Column("labelled_by", sa.Integer(), nullable=True),
        sa.Column("labelled_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_inbox")),
        sa.UniqueConstraint("text_key", name=op.f("uq_training_inbox_text_key")),
    )
    op.create_index("ix_training_inbox_status_count", "training_inbox", ["status", "count"])
    op.create_index(op.f("ix_training_inbox_reason"), "training_inbox", ["reason"])
    op.create_index(
        op.f("ix_training_inbox_predicted_intent"), "training_inbox", ["predicted_intent"]
    )
    op.create_table(
        "training_sightings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_key", sa.String(length=300), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.String(length=255), nullable=False),
        sa.Column("seen_at", sa.DateTime(), nullable=False),
        sa.Column("context", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["training_inbox.id"],
            name=op.f("fk_training_sightings_item_id_training_inbox"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_sightings")),
        sa.UniqueConstraint("event_key", name=op.f("uq_training_sightings_event_key")),
    )
    op.create_index(op.f("ix_training_sightings_item_id"), "training_sightings", ["item_id"])
    op.create_table(
        "training_turns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_key", sa.String(length=300), nullable=False),
        sa.Column("intent", sa.String(length=60), nullable=False),
        sa.Column("fell_back", sa.Integer(), nullable=False),
        sa.Column("seen_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_turns")),
        sa.UniqueConstraint("event_key", name=op.f("uq_training_turns_event_key")),
    )
    op.create_index(op.f("ix_training_turns_intent"), "training_turns", ["intent"])


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index(op.f("ix_training_turns_intent"), table_name="training_turns")
    op.drop_table("training_turns")
    op.drop_index(op.f("ix_training_sightings_item_id"), table_name="training_sightings")
    op.drop_table("training_sightings")
    op.drop_index(op.f("ix_training_inbox_predicted_intent"), table_name="training_inbox")
    op.drop_index(op.f("ix_training_inbox_reason"), table_name="training_inbox")
    op.drop_index("ix_training_inbox_status_count", table_name="training_inbox")
    op.drop_table("training_inbox")
