"""What customers buy and pay: orders, invoices and contracts."""

from __future__ import annotations

from sqlalchemy import Column, Date, ForeignKey, Integer, String
from sqlalchemy.orm import relationship

from bot.crm.enums import ContractKind, InvoiceStatus, OrderKind, OrderStatus
from bot.crm.models.base import Base, enum_column_type
from bot.crm.models.types import Money


class Order(Base):
    """An order of a vehicle, a part or an accessory."""

    __tablename__ = "orders"

    id = Column(Integer, primary_key=True)
    customer_id = Column(Integer, ForeignKey("customers.id"), nullable=False, index=True)
    order_number = Column(String(16), nullable=False, unique=True)
    kind = Column(enum_column_type(OrderKind, "order_kind"), nullable=False)
    item = Column(String(120), nullable=False)
    status = Column(enum_column_type(OrderStatus, "order_status"), nullable=False)
    expected_delivery = Column(Date, nullable=True)
    carrier_tracking = Column(String(40), nullable=True)


class Invoice(Base):
    """An invoice; amounts are exact decimals in euro."""

    __tablename__ = "invoices"

    id = Column(Integer, primary_key=True)
    customer_id = Column(Integer, ForeignKey("customers.id"), nullable=False, index=True)
    invoice_number = Column(String(16), nullable=False, unique=True)
    amount_eur = Column(Money, nullable=False)
    status = Column(enum_column_type(InvoiceStatus, "invoice_status"), nullable=False)
    issued_on = Column(Date, nullable=False)
    due_on = Column(Date, nullable=False)
    reminder_sent_on = Column(Date, nullable=True)
    subject = Column(String(160), nullable=False)


class Contract(Base):
    """A leasing, financing or service contract."""

    __tablename__ = "contracts"

    id = Column(Integer, primary_key=True)
    customer_id = Column(Integer, ForeignKey("customers.id"), nullable=False, index=True)
    contract_number = Column(String(16), nullable=False, unique=True)
    kind = Column(enum_column_type(ContractKind, "contract_kind"), nullable=False)
    vehicle_id = Column(Integer, ForeignKey("vehicles.id"), nullable=True)
    monthly_rate_eur = Column(Money, nullable=False)
    start_date = Column(Date, nullable=False)
    end_date = Column(Date, nullable=False)
    mileage_allowance_km_per_year = Column(Integer, nullable=True)

    vehicle = relationship("Vehicle", lazy="joined")
