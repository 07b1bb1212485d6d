"""The agent desk for a working day: token revocation, canned answers, the customer's past.

``agents.token_generation`` is written into every agent token; logging out,
resetting the password or disabling the account raises it, so every token
issued before stops working at once. ``canned_responses`` holds the
Textbausteine agents insert with ``/shortcut``. ``escalations.customer_number``
(copied from the stored customer context, backfilled here) lets the desk find
a customer's earlier escalations and search the resolved ones by number.
Part of the escalation's own history (``bot.escalation.db``).

Revision ID: e0003_desk_working_day
Revises: e0002_agent_roles
Create Date: 2026-12-04 21:40:00
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision = "e0003_desk_working_day"
down_revision = "e0002_agent_roles"
branch_labels = None
depends_on = None

STARTER_SET = [
    ("hallo", "Begrüßung", "{anrede}, hier ist der Kundenservice von Nordlicht Automobile. "
     "Ich habe Ihr Anliegen und den bisherigen Chat vor mir und kümmere mich jetzt darum."),
    ("moment", "Kurz prüfen", "Einen Moment bitte, ich sehe mir das gleich in unserem System an."),
    ("verifizieren", "Identität prüfen", "Damit ich Ihnen Auskunft zu Ihrem Kundenkonto geben "
     "kann, nennen Sie mir bitte Ihre Kundennummer und die Postleitzahl Ihrer Anschrift."),
    ("rechnung", "Rechnung prüfen", "Ich prüfe Ihre Rechnung zu Kundennummer {kundennummer} "
     "und melde mich mit dem Ergebnis. Den Vorgang führen wir unter {fall}."),
    ("rueckruf", "Rückruf zusagen", "Ich habe einen Rückruf für Sie notiert. Eine Kollegin "
     "oder ein Kollege meldet sich am nächsten Werktag bei Ihnen; Ihr Vorgang: {fall}."),
    ("termin", "Werkstatttermin", "Gern vereinbare ich einen Termin für Sie in {werkstatt}. "
     "Welcher Tag und welche Uhrzeit passen Ihnen?"),
    ("lieferung", "Lieferstatus", "Ich habe bei der Logistik nachgefragt und melde mich, "
     "sobald ich den genauen Liefertermin kenne."),
    ("panne", "Panne", "Bitte bringen Sie sich zuerst in Sicherheit. Unsere Pannenhilfe "
     "erreichen Sie rund um die Uhr kostenlos unter +49 800 6673 5448."),
    ("reklamation", "Reklamation aufgenommen", "Ihre Reklamation ist unter {fall} "
     "aufgenommen. {werkstatt} prüft den Schaden und meldet sich bei Ihnen."),
    ("danke", "Abschluss", "Vielen Dank für Ihre Geduld. Kann ich sonst noch etwas für "
     "Sie tun? Ansonsten wünsche ich Ihnen einen schönen Tag!"),
]  # fmt: skip
"""The Textbausteine the desk ships with (leads edit them at /api/canned-responses)."""


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("agents") as batch:
        batch.add_column(
            sa.Column("token_generation", sa.Integer(), nullable=False, server_default="0")
        )
    with op.batch_alter_table("escalations") as batch:
        batch.add_column(sa.Column("customer_number", sa.String(length=30), nullable=True))
        batch.create_index("ix_escalations_customer_number", ["customer_number"], unique=False)
    _backfill_customer_numbers()
    op.create_table(
        "canned_responses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("shortcut", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_canned_responses")),
        sa.UniqueConstraint("shortcut", name=op.f("uq_canned_responses_shortcut")),
    )
    canned = sa.table(
        "canned_responses",
        sa.column("shortcut", sa.String),
        sa.column("title", sa.String),
        sa.column("text", sa.Text),
        sa.column("created_at", sa.DateTime),
        sa.column("updated_at", sa.DateTime),
    )
    now = datetime.utcnow().replace(microsecond=0)
    op.bulk_insert(
        canned,
        [
            {"shortcut": key, "title": title, "text": text, "created_at": now, "updated_at": now}
            for key, title, text in STARTER_SET
        ],
    )


def _backfill_customer_numbers() -> None:
    escalations = sa.table(
        "escalations",
        sa.column("id", sa.Integer),
        sa.column("customer", sa.JSON),
        sa.column("customer_number", sa.String),
    )
    connection = op.get_bind()
    rows = connection.execute(sa.select(escalations.c.id, escalations.c.customer)).all()
    for escalation_id, customer in rows:
        number = (customer or {}).get("customer_number")
        if number:
            connection.execute(
                escalations.update()
                .where(escalations.c.id == escalation_id)
                .values(customer_number=str(number)[:30])
            )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("canned_responses")
    with op.batch_alter_table("escalations") as batch:
        batch.drop_index("ix_escalations_customer_number")
        batch.drop_column("customer_number")
    with op.batch_alter_table("agents") as batch:
        batch.drop_column("token_generation")
