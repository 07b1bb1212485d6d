"""Value sets shared by the tables and the API schemas."""

from __future__ import annotations

from enum import Enum


class Country(str, Enum):
    """Countries of the dealer and workshop network."""

    DE = "DE"
    AT = "AT"
    CH = "CH"


class Tier(str, Enum):
    """Customer loyalty tier."""

    STANDARD = "Standard"
    SILVER = "Silver"
    GOLD = "Gold"
    PLATINUM = "Platinum"


class OrderKind(str, Enum):
    """What was ordered."""

    VEHICLE = "vehicle"
    PART = "part"
    ACCESSORY = "accessory"


class OrderStatus(str, Enum):
    """Where an order stands."""

    ORDERED = "ordered"
    IN_PRODUCTION = "in_production"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"


class InvoiceStatus(str, Enum):
    """Payment state of an invoice."""

    OPEN = "open"
    OVERDUE = "overdue"
    PAID = "paid"
    DISPUTED = "disputed"


class ContractKind(str, Enum):
    """Kind of contract."""

    LEASING = "leasing"
    FINANCING = "financing"
    SERVICE = "service"


class AppointmentStatus(str, Enum):
    """Life cycle of a workshop appointment."""

    BOOKED = "booked"
    READY_FOR_PICKUP = "ready_for_pickup"
    CANCELLED = "cancelled"
    DONE = "done"


class CaseKind(str, Enum):
    """What a case is about."""

    COMPLAINT = "complaint"
    WARRANTY = "warranty"
    BREAKDOWN = "breakdown"
    PRIVACY = "privacy"
    INVOICE_DISPUTE = "invoice_dispute"
    GENERAL = "general"


class CaseStatus(str, Enum):
    """Life cycle of a case."""

    OPEN = "open"
    IN_PROGRESS = "in_progress"
    CLOSED = "closed"


class CasePriority(str, Enum):
    """How urgently a case needs attention."""

    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"


class Channel(str, Enum):
    """Where a contact with the customer happened."""

    CHAT = "chat"
    MESSENGER = "messenger"
    PHONE = "phone"
    EMAIL = "email"
    WEBSITE = "website"
    DEALERSHIP = "dealership"
    WORKSHOP = "workshop"
    LETTER = "letter"
