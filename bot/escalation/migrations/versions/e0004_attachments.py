"""Customers' attachments: files sent from the widget, Messenger attachments by reference.

One row per transcript line that carries a file. Uploaded files (JPEG, PNG,
PDF, checked by their content and size) are stored in ``data``; Messenger
attachments keep Facebook's address in ``source_url``. Deleting the
transcript line or the escalation deletes the attachment.
Part of the escalation's own history (``bot.escalation.db``).

Revision ID: e0004_attachments
Revises: e0003_desk_working_day
Create Date: 2026-12-04 23:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "e0004_attachments"
down_revision = "e0003_desk_working_day"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "escalation_attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("escalation_id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=True),
        sa.Column("filename", sa.String(length=120), nullable=True),
        sa.Column("size_bytes", sa.Integer(), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("source_url", sa.Text(), nullable=True),
        sa.Column("data", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["escalation_id"],
            ["escalations.id"],
            name=op.f("fk_escalation_attachments_escalation_id_escalations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["escalation_messages.id"],
            name=op.f("fk_escalation_attachments_message_id_escalation_messages"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_escalation_attachments")),
        sa.UniqueConstraint("message_id", name=op.f("uq_escalation_attachments_message_id")),
    )
    with op.batch_alter_table("escalation_attachments") as batch:
        batch.create_index(
            batch.f("ix_escalation_attachments_escalation_id"), ["escalation_id"], unique=False
        )


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("escalation_attachments") as batch:
        batch.drop_index(batch.f("ix_escalation_attachments_escalation_id"))
    op.drop_table("escalation_attachments")
