"""Initial CRM schema: customers, vehicles, commerce, workshops, cases, recalls.

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-23 09:00:24.802212
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    counters = op.create_table(
        "number_counters",
        sa.Column("name", sa.String(length=20), nullable=False),
        sa.Column("last_value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_number_counters")),
    )
    # Run-time numbers start above the demo and generated ranges (bot.crm.service.numbering).
    op.bulk_insert(
        counters,
        [
            {"name": "case", "last_value": 2_000_000},
            {"name": "appointment", "last_value": 2_000_000},
        ],
    )
    op.create_table(
        "recall_campaigns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=160), nullable=False),
        sa.Column("remedy", sa.String(length=300), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recall_campaigns")),
        sa.UniqueConstraint("code", name=op.f("uq_recall_campaigns_code")),
    )
    op.create_table(
        "workshops",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("street", sa.String(length=120), nullable=False),
        sa.Column("postal_code", sa.String(length=10), nullable=False),
        sa.Column("city", sa.String(length=80), nullable=False),
        sa.Column(
            "country",
            sa.Enum(
                "DE",
                "AT",
                "CH",
                name="country",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("phone", sa.String(length=40), nullable=False),
        sa.Column("hours_display", sa.String(length=120), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workshops")),
        sa.UniqueConstraint("code", name=op.f("uq_workshops_code")),
        sa.UniqueConstraint("name", name=op.f("uq_workshops_name")),
    )
    op.create_table(
        "customers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_number", sa.String(length=12), nullable=False),
        sa.Column("salutation", sa.String(length=20), nullable=False),
        sa.Column("first_name", sa.String(length=80), nullable=False),
        sa.Column("last_name", sa.String(length=80), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=False),
        sa.Column("street", sa.String(length=120), nullable=False),
        sa.Column("postal_code", sa.String(length=10), nullable=False),
        sa.Column("city", sa.String(length=80), nullable=False),
        sa.Column(
            "country",
            sa.Enum(
                "DE",
                "AT",
                "CH",
                name="country",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("customer_since", sa.Date(), nullable=False),
        sa.Column(
            "tier",
            sa.Enum(
                "Standard",
                "Silver",
                "Gold",
                "Platinum",
                name="tier",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("preferred_workshop_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["preferred_workshop_id"],
            ["workshops.id"],
            name=op.f("fk_customers_preferred_workshop_id_workshops"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customers")),
        sa.UniqueConstraint("customer_number", name=op.f("uq_customers_customer_number")),
    )
    op.create_table(
        "recall_vehicles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("vin", sa.String(length=17), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["recall_campaigns.id"],
            name=op.f("fk_recall_vehicles_campaign_id_recall_campaigns"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recall_vehicles")),
        sa.UniqueConstraint("campaign_id", "vin", name=op.f("uq_recall_vehicles_campaign_id")),
    )
    with op.batch_alter_table("recall_vehicles", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_recall_vehicles_vin"), ["vin"], unique=False)

    op.create_table(
        "workshop_opening_hours",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("opens", sa.Time(), nullable=False),
        sa.Column("closes", sa.Time(), nullable=False),
        sa.CheckConstraint(
            "opens < closes", name=op.f("ck_workshop_opening_hours_opens_before_closes")
        ),
        sa.CheckConstraint(
            "weekday BETWEEN 0 AND 6", name=op.f("ck_workshop_opening_hours_weekday_range")
        ),
        sa.ForeignKeyConstraint(
            ["workshop_id"],
            ["workshops.id"],
            name=op.f("fk_workshop_opening_hours_workshop_id_workshops"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workshop_opening_hours")),
        sa.UniqueConstraint(
            "workshop_id", "weekday", name=op.f("uq_workshop_opening_hours_workshop_id")
        ),
    )
    op.create_table(
        "cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_number", sa.String(length=16), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "complaint",
                "warranty",
                "breakdown",
                "privacy",
                "invoice_dispute",
                "general",
                name="case_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("subject", sa.String(length=160), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "open",
                "in_progress",
                "closed",
                name="case_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "priority",
            sa.Enum(
                "low",
                "normal",
                "high",
                "urgent",
                name="case_priority",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("opened_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_cases_customer_id_customers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cases")),
        sa.UniqueConstraint("case_number", name=op.f("uq_cases_case_number")),
    )
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cases_customer_id"), ["customer_id"], unique=False)

    op.create_table(
        "invoices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("invoice_number", sa.String(length=16), nullable=False),
        sa.Column("amount_eur", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "open",
                "overdue",
                "paid",
                "disputed",
                name="invoice_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("reminder_sent_on", sa.Date(), nullable=True),
        sa.Column("subject", sa.String(length=160), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_invoices_customer_id_customers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invoices")),
        sa.UniqueConstraint("invoice_number", name=op.f("uq_invoices_invoice_number")),
    )
    with op.batch_alter_table("invoices", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_invoices_customer_id"), ["customer_id"], unique=False)

    op.create_table(
        "orders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("order_number", sa.String(length=16), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "vehicle",
                "part",
                "accessory",
                name="order_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("item", sa.String(length=120), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "ordered",
                "in_production",
                "shipped",
                "delivered",
                "cancelled",
                name="order_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("expected_delivery", sa.Date(), nullable=True),
        sa.Column("carrier_tracking", sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_orders_customer_id_customers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_orders")),
        sa.UniqueConstraint("order_number", name=op.f("uq_orders_order_number")),
    )
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_orders_customer_id"), ["customer_id"], unique=False)

    op.create_table(
        "vehicles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("vin", sa.String(length=17), nullable=False),
        sa.Column("model", sa.String(length=80), nullable=False),
        sa.Column("plate", sa.String(length=20), nullable=True),
        sa.Column("plate_normalized", sa.String(length=20), nullable=True),
        sa.Column("first_registration", sa.Date(), nullable=True),
        sa.Column("mileage_km", sa.Integer(), nullable=True),
        sa.Column("next_service_due", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_vehicles_customer_id_customers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vehicles")),
        sa.UniqueConstraint("vin", name=op.f("uq_vehicles_vin")),
    )
    with op.batch_alter_table("vehicles", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_vehicles_customer_id"), ["customer_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_vehicles_plate_normalized"), ["plate_normalized"], unique=False
        )

    op.create_table(
        "appointments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("appointment_number", sa.String(length=16), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("vehicle_id", sa.Integer(), nullable=True),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", sa.DateTime(), nullable=False),
        sa.Column("service", sa.String(length=120), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "booked",
                "ready_for_pickup",
                "cancelled",
                "done",
                name="appointment_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_appointments_customer_id_customers")
        ),
        sa.ForeignKeyConstraint(
            ["vehicle_id"], ["vehicles.id"], name=op.f("fk_appointments_vehicle_id_vehicles")
        ),
        sa.ForeignKeyConstraint(
            ["workshop_id"], ["workshops.id"], name=op.f("fk_appointments_workshop_id_workshops")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appointments")),
        sa.UniqueConstraint("appointment_number", name=op.f("uq_appointments_appointment_number")),
    )
    with op.batch_alter_table("appointments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_appointments_customer_id"), ["customer_id"], unique=False
        )

    op.create_table(
        "contracts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("contract_number", sa.String(length=16), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "leasing",
                "financing",
                "service",
                name="contract_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("vehicle_id", sa.Integer(), nullable=True),
        sa.Column("monthly_rate_eur", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("mileage_allowance_km_per_year", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_contracts_customer_id_customers")
        ),
        sa.ForeignKeyConstraint(
            ["vehicle_id"], ["vehicles.id"], name=op.f("fk_contracts_vehicle_id_vehicles")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contracts")),
        sa.UniqueConstraint("contract_number", name=op.f("uq_contracts_contract_number")),
    )
    with op.batch_alter_table("contracts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contracts_customer_id"), ["customer_id"], unique=False)

    op.create_table(
        "interactions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(), nullable=False),
        sa.Column(
            "channel",
            sa.Enum(
                "chat",
                "messenger",
                "phone",
                "email",
                "website",
                "dealership",
                "workshop",
                "letter",
                name="channel",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("topic", sa.String(length=40), nullable=True),
        sa.Column("summary", sa.String(length=500), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("conversation_id", sa.String(length=100), nullable=True),
        sa.Column("details", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_interactions_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_interactions_customer_id_customers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interactions")),
    )
    with op.batch_alter_table("interactions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_interactions_conversation_id"), ["conversation_id"], unique=False
        )
        batch_op.create_index(
            "ix_interactions_customer_occurred", ["customer_id", "occurred_at"], unique=False
        )

    op.create_table(
        "workshop_slots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("starts_at", sa.DateTime(), nullable=False),
        sa.Column("ends_at", sa.DateTime(), nullable=False),
        sa.Column("appointment_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["appointment_id"],
            ["appointments.id"],
            name=op.f("fk_workshop_slots_appointment_id_appointments"),
        ),
        sa.ForeignKeyConstraint(
            ["workshop_id"], ["workshops.id"], name=op.f("fk_workshop_slots_workshop_id_workshops")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workshop_slots")),
        sa.UniqueConstraint("appointment_id", name=op.f("uq_workshop_slots_appointment_id")),
        sa.UniqueConstraint("workshop_id", "starts_at", name=op.f("uq_workshop_slots_workshop_id")),
    )
    with op.batch_alter_table("workshop_slots", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_workshop_slots_day"), ["day"], unique=False)


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("workshop_slots", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_workshop_slots_day"))

    op.drop_table("workshop_slots")
    with op.batch_alter_table("interactions", schema=None) as batch_op:
        batch_op.drop_index("ix_interactions_customer_occurred")
        batch_op.drop_index(batch_op.f("ix_interactions_conversation_id"))

    op.drop_table("interactions")
    with op.batch_alter_table("contracts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contracts_customer_id"))

    op.drop_table("contracts")
    with op.batch_alter_table("appointments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_appointments_customer_id"))

    op.drop_table("appointments")
    with op.batch_alter_table("vehicles", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_vehicles_plate_normalized"))
        batch_op.drop_index(batch_op.f("ix_vehicles_customer_id"))

    op.drop_table("vehicles")
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_orders_customer_id"))

    op.drop_table("orders")
    with op.batch_alter_table("invoices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_invoices_customer_id"))

    op.drop_table("invoices")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cases_customer_id"))

    op.drop_table("cases")
    op.drop_table("workshop_opening_hours")
    with op.batch_alter_table("recall_vehicles", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recall_vehicles_vin"))

    op.drop_table("recall_vehicles")
    op.drop_table("customers")
    op.drop_table("workshops")
    op.drop_table("recall_campaigns")
    op.drop_table("number_counters")
