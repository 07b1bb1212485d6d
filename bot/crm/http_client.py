"""The :class:`CRMClient` over our CRM HTTP API (``bot.crm.api``).

Time limits: each attempt has ``timeout`` seconds (CRM_TIMEOUT_SECONDS), and
the whole call, retries included, at most ``MAX_CALL_SECONDS``, so an action
never waits longer than that for the CRM. Only idempotent reads are retried,
once, and only when the CRM could not be reached or answered 502/503/504.
Every failure leaves this module as an exception of :mod:`bot.crm.errors`.
"""

from __future__ import annotations

import logging
import time
from datetime import date
from typing import Any, TypeVar
from urllib.parse import quote

import anyio
import httpx
from pydantic import ValidationError, parse_obj_as

from bot.crm import errors, schemas
from bot.crm.aiohttp_transport import AiohttpTransport
from bot.settings import Secret, Settings, get_settings

logger = logging.getLogger(__name__)

MAX_CALL_SECONDS = 2.4
"""Upper bound of one client call including retries (Rasa actions must answer fast)."""
READ_RETRIES = 1
RETRY_PAUSE_SECONDS = 0.1
_RETRYABLE_STATUS = {502, 503, 504}

T = TypeVar("T")


def _error_classes() -> dict[str, type[errors.CRMError]]:
    found: dict[str, type[errors.CRMError]] = {}
    pending: list[type[errors.CRMError]] = [errors.CRMError]
    while pending:
        cls = pending.pop()
        found[cls.__name__] = cls
        pending.extend(cls.__subclasses__())
    return found


_ERROR_CLASSES = _error_classes()
_BY_STATUS: dict[int, type[errors.CRMError]] = {
    404: errors.CRMNotFound,
    409: errors.CRMConflict,
    422: errors.CRMValidationError,
}


class HttpCRMClient:
    """Talks to the CRM HTTP API.

    Args:
        base_url: Where the bot service runs, e.g. ``http://127.0.0.1:8000``.
        token: The service-to-service bearer token (CRM_API_TOKEN).
        timeout: Seconds for one attempt.
        max_call_seconds: Seconds for a whole call, retries included.
        transport: An httpx transport to use instead of the network (tests);
            by default requests go out over aiohttp (:mod:`bot.crm.aiohttp_transport`).

    """

    def __init__(
        self,
        base_url: str,
        token: Secret,
        *,
        timeout: float = 1.2,
        max_call_seconds: float = MAX_CALL_SECONDS,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._timeout = timeout
        self._max_call_seconds = max_call_seconds
        self._http = httpx.AsyncClient(
            base_url=base_url.rstrip("/") + "/api/crm",
            headers={"Authorization": f"Bearer {token.reveal()}", "Accept": "application/json"},
            timeout=httpx.Timeout(timeout, connect=min(timeout, 0.5)),
            transport=transport if transport is not None else AiohttpTransport(),
        )

    async def __aenter__(self) -> HttpCRMClient:
        return self

    async def __aexit__(self, *_exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._http.aclose()

    # --- the CRMClient protocol -------------------------------------------

    async def verify_customer(
        self, customer_number: str, postal_code: str
    ) -> schemas.VerificationResult:
        """See :meth:`CRMClient.verify_customer`."""
        body = schemas.VerificationRequest(customer_number=customer_number, postal_code=postal_code)
        return await self._call(
            schemas.VerificationResult, "POST", "/verify", json=body, idempotent=True
        )

    async def get_profile(self, customer_number: str) -> schemas.CustomerProfile:
        """See :meth:`CRMClient.get_profile`."""
        return await self._call(schemas.CustomerProfile, "GET", _customer(customer_number))

    async def record_interaction(
        self, customer_number: str, interaction: schemas.InteractionCreate
    ) -> schemas.Interaction:
        """See :meth:`CRMClient.record_interaction`."""
        path = f"{_customer(customer_number)}/interactions"
        return await self._call(schemas.Interaction, "POST", path, json=interaction)

    async def create_case(
        self, customer_number: str, case: schemas.CaseCreate
    ) -> schemas.CaseCreated:
        """See :meth:`CRMClient.create_case`."""
        path = f"{_customer(customer_number)}/cases"
        return await self._call(schemas.CaseCreated, "POST", path, json=case)

    async def create_lead(self, lead: schemas.LeadCreate) -> schemas.LeadCreated:
        """See :meth:`CRMClient.create_lead`."""
        return await self._call(schemas.LeadCreated, "POST", "/leads", json=lead)

    async def update_contact(
        self, customer_number: str, change: schemas.ContactChange
    ) -> schemas.Customer:
        """See :meth:`CRMClient.update_contact`."""
        path = f"{_customer(customer_number)}/contact"
        return await self._call(schemas.Customer, "PATCH", path, json=change)

    async def find_workshops(
        self, *, city: str | None = None, postal_code: str | None = None, limit: int = 3
    ) -> list[schemas.Workshop]:
        """See :meth:`CRMClient.find_workshops`."""
        params = _params(city=city, postal_code=postal_code, limit=limit)
        return await self._call(list[schemas.Workshop], "GET", "/workshops", params=params)

    async def free_slots(
        self, workshop_code: str, from_date: date, days: int = 7
    ) -> list[schemas.Slot]:
        """See :meth:`CRMClient.free_slots`."""
        path = f"/workshops/{quote(workshop_code, safe='')}/slots"
        params = _params(from_date=from_date.isoformat(), days=days)
        return await self._call(list[schemas.Slot], "GET", path, params=params)

    async def book_appointment(
        self, customer_number: str, booking: schemas.AppointmentBooking
    ) -> schemas.Appointment:
        """See :meth:`CRMClient.book_appointment`."""
        path = f"{_customer(customer_number)}/appointments"
        return await self._call(schemas.Appointment, "POST", path, json=booking)

    async def reschedule_appointment(
        self,
        customer_number: str,
        appointment_number: str,
        change: schemas.AppointmentReschedule,
    ) -> schemas.Appointment:
        """See :meth:`CRMClient.reschedule_appointment`."""
        path = _appointment(customer_number, appointment_number, "reschedule")
        return await self._call(schemas.Appointment, "POST", path, json=change)

    async def cancel_appointment(
        self,
        customer_number: str,
        appointment_number: str,
        cancellation: schemas.AppointmentCancellation,
    ) -> schemas.Appointment:
        """See :meth:`CRMClient.cancel_appointment`."""
        path = _appointment(customer_number, appointment_number, "cancel")
        return await self._call(schemas.Appointment, "POST", path, json=cancellation)

    async def find_recalls(
        self, *, vin: str | None = None, plate: str | None = None
    ) -> list[schemas.RecallNotice]:
        """See :meth:`CRMClient.find_recalls`."""
        params = _params(vin=vin, plate=plate)
        return await self._call(list[schemas.RecallNotice], "GET", "/recalls", params=params)

    # --- transport ---------------------------------------------------------

    async def _call(
        self,
        model: Any,
        method: str,
        path: str,
        *,
        json: schemas.Schema | None = None,
        params: dict[str, str] | None = None,
        idempotent: bool | None = None,
    ) -> Any:
        """Send one request (retrying reads) and parse the answer into ``model``."""
        content = json.json().encode() if json is not None else None
        headers = {"Content-Type": "application/json"} if content is not None else None
        retries = READ_RETRIES if (idempotent or (idempotent is None and method == "GET")) else 0
        deadline = time.monotonic() + self._max_call_seconds
        for attempt in range(retries + 1):
            remaining = deadline - time.monotonic()
            try:
                with anyio.fail_after(min(self._timeout, remaining)):
                    response = await self._http.request(
                        method, path, content=content, params=params, headers=headers
                    )
                if response.status_code in _RETRYABLE_STATUS:
                    raise errors.CRMUnavailable(f"CRM answered {response.status_code}")
            except (httpx.TransportError, TimeoutError, errors.CRMUnavailable) as error:
                failure = _unavailable(method, path, error)
                pause_and_retry = attempt < retries and (
                    deadline - time.monotonic() > RETRY_PAUSE_SECONDS + 0.2
                )
                if not pause_and_retry:
                    raise failure from error
                logger.warning("%s; retrying", failure)
                await anyio.sleep(RETRY_PAUSE_SECONDS)
                continue
            return _parse(model, method, path, response)
        raise AssertionError("unreachable")  # pragma: no cover


def crm_client_from_settings(
    settings: Settings | None = None, *, transport: httpx.AsyncBaseTransport | None = None
) -> HttpCRMClient:
    """Create the HTTP CRM client from the settings (CRM_API_URL, CRM_API_TOKEN, timeout).

    Raises:
        SettingsError: CRM_API_TOKEN is missing.

    """
    settings = settings or get_settings()
    return HttpCRMClient(
        settings.crm_api_url,
        settings.require_crm_api_token(),
        timeout=settings.crm_timeout_seconds,
        transport=transport,
    )


def _unavailable(method: str, path: str, error: Exception) -> errors.CRMUnavailable:
    if isinstance(error, errors.CRMUnavailable):
        return error
    reason = "timed out" if isinstance(error, (TimeoutError, httpx.TimeoutException)) else "failed"
    return errors.CRMUnavailable(f"CRM {method} {path} {reason}: {type(error).__name__}")


def _parse(model: Any, method: str, path: str, response: httpx.Response) -> Any:
    """Check the status and turn the body into ``model`` or one of our exceptions."""
    status = response.status_code
    if status in (200, 201):
        try:
            return parse_obj_as(model, response.json())
        except (ValueError, ValidationError) as error:
            raise errors.CRMError(f"CRM {method} {path}: unexpected answer") from error
    detail, name = _error_body(response)
    if status in (401, 403):
        raise errors.CRMAuthError(f"CRM refused the token ({status}); check CRM_API_TOKEN")
    cls = _ERROR_CLASSES.get(name or "")
    if cls is None or cls.status_code != status:
        fallback = errors.CRMUnavailable if status >= 500 else errors.CRMError
        cls = _BY_STATUS.get(status, fallback)
    raise cls(f"CRM {method} {path} -> {status}: {detail}")


def _error_body(response: httpx.Response) -> tuple[str, str | None]:
    try:
        body = response.json()
    except ValueError:
        return response.text[:200], None
    if isinstance(body, dict):
        return str(body.get("detail", body))[:500], body.get("error")
    return str(body)[:500], None


def _customer(customer_number: str) -> str:
    return f"/customers/{quote(customer_number.strip(), safe='')}"


def _appointment(customer_number: str, appointment_number: str, action: str) -> str:
    number = quote(appointment_number.strip(), safe="")
    return f"{_customer(customer_number)}/appointments/{number}/{action}"


def _params(**values: Any) -> dict[str, str]:
    return {key: str(value) for key, value in values.items() if value is not None}
