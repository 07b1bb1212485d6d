"""The CRM's own exception types.

The service raises them, the HTTP API maps them to status codes and the HTTP
client maps the status codes back, so callers handle the same exceptions
whichever CRM implementation they talk to. Messages are for logs, never for
customers.
"""

from __future__ import annotations


class CRMError(Exception):
    """Base class of every CRM failure."""

    status_code = 500


class CRMUnavailable(CRMError):
    """The CRM cannot be reached, timed out or failed internally."""

    status_code = 503


class CRMAuthError(CRMError):
    """The CRM refused our credentials (a configuration problem)."""

    status_code = 401


class CRMValidationError(CRMError):
    """The CRM rejected the input as malformed."""

    status_code = 422


class CRMNotFound(CRMError):
    """A requested record does not exist."""

    status_code = 404


class CustomerNotFound(CRMNotFound):
    """No customer with that number."""


class WorkshopNotFound(CRMNotFound):
    """No workshop with that code."""


class AppointmentNotFound(CRMNotFound):
    """No appointment with that number for this customer."""


class VehicleNotFound(CRMNotFound):
    """No vehicle with that VIN for this customer."""


class CRMConflict(CRMError):
    """The request contradicts the current state of the record."""

    status_code = 409


class SlotUnavailable(CRMConflict):
    """The requested workshop slot does not exist, is in the past or is taken."""


class AppointmentNotChangeable(CRMConflict):
    """The appointment is no longer booked (done, cancelled, ready for pickup)."""
