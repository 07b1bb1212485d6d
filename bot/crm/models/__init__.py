"""The CRM tables (SQLAlchemy 1.4 declarative models, 2.0-style usage)."""

from bot.crm.models.attempts import FailedAttempt
from bot.crm.models.base import Base
from bot.crm.models.cases import Case, Interaction
from bot.crm.models.commerce import Contract, Invoice, Order
from bot.crm.models.counters import NumberCounter
from bot.crm.models.customers import Customer, Vehicle
from bot.crm.models.leads import Lead
from bot.crm.models.recalls import RecallCampaign, RecallVehicle
from bot.crm.models.seed_state import SeedAnchor
from bot.crm.models.workshops import Appointment, OpeningHours, Workshop, WorkshopSlot

__all__ = [
    "Appointment",
    "Base",
    "Case",
    "Contract",
    "Customer",
    "FailedAttempt",
    "Interaction",
    "Invoice",
    "Lead",
    "NumberCounter",
    "OpeningHours",
    "Order",
    "RecallCampaign",
    "RecallVehicle",
    "SeedAnchor",
    "Vehicle",
    "Workshop",
    "WorkshopSlot",
]
