"""The CRM service: intention-revealing operations; the only code that queries the CRM."""

from bot.clock import Clock, system_clock
from bot.crm.service.calendar import CalendarOperations
from bot.crm.service.customers import CustomerOperations
from bot.crm.service.history import HistoryOperations
from bot.crm.service.leads import LeadOperations
from bot.crm.service.recalls import RecallOperations


class CRMService(
    CustomerOperations, HistoryOperations, CalendarOperations, RecallOperations, LeadOperations
):
    """All CRM operations over one engine or session factory.

    Usage: ``CRMService(create_crm_engine(settings.crm_database_url))``; the
    operations live in one mixin per concern (customers, history, calendar,
    recalls, leads), all sharing :class:`ServiceBase`.
    """


__all__ = ["CRMService", "Clock", "system_clock"]
