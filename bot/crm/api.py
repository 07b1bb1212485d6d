"""The CRM HTTP API under ``/api/crm``: a thin layer over :class:`CRMService`.

Every endpoint needs the service-to-service bearer token (CRM_API_TOKEN).
CRM exceptions become HTTP statuses here (:func:`crm_error_response`) and
:class:`bot.crm.http_client.HttpCRMClient` turns them back into the same
exceptions.
"""

# No "from __future__ import annotations": FastAPI resolves the endpoint
# annotations at run time, and closures refer to local names.

import hmac
import logging
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request, params, status
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from bot.crm import schemas
from bot.crm.errors import CRMError
from bot.crm.service import CRMService
from bot.settings import Secret

logger = logging.getLogger(__name__)

PREFIX = "/api/crm"
_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": schemas.ErrorResponse, "description": text}
    for code, text in {
        401: "Missing or wrong bearer token.",
        404: "No such customer or record.",
        409: "Conflicts with the current state (e.g. slot taken).",
        503: "CRM database unavailable.",
    }.items()
}


def crm_error_response(_request: Request, error: Exception) -> JSONResponse:
    """Answer a CRM exception with its status and an :class:`ErrorResponse` body."""
    status_code = error.status_code if isinstance(error, CRMError) else 500
    if status_code >= 500:
        logger.error("CRM request failed: %s", error, exc_info=error)
    body = schemas.ErrorResponse(error=type(error).__name__, detail=str(error))
    return JSONResponse(status_code=status_code, content=body.dict())


def json_response(body: schemas.Schema, status_code: int = status.HTTP_200_OK) -> Response:
    """Answer with ``body`` as the same bytes FastAPI would send for it, built directly.

    For a ``response_model`` FastAPI validates the returned model once more
    and encodes it field by field (``jsonable_encoder``), which costs more
    than building the model did (issue #14: a profile per turn). The schemas
    are validated when built; pydantic's own encoder uses the same
    ``json_encoders`` and ``json.dumps`` options as FastAPI's JSONResponse, so
    the body is the same (tests/bot/crm/test_profile_equivalence.py).
    """
    content = body.json(ensure_ascii=False, allow_nan=False, indent=None, separators=(",", ":"))
    return Response(content, status_code=status_code, media_type="application/json")


def bearer_auth(token: Secret) -> params.Depends:
    """Return a dependency that accepts only ``Authorization: Bearer <token>``."""
    scheme = HTTPBearer(auto_error=False, description="CRM_API_TOKEN")
    expected = token.reveal().encode()

    def check(credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(scheme)]) -> None:
        given = credentials.credentials.encode() if credentials else b""
        if not hmac.compare_digest(given, expected):
            raise HTTPException(
                status.HTTP_401_UNAUTHORIZED,
                detail="missing or invalid bearer token",
                headers={"WWW-Authenticate": "Bearer"},
            )

    return Depends(check)


def crm_router(service: CRMService, token: Secret) -> APIRouter:
    """Build the CRM API router over ``service``, guarded by ``token``.

    Args:
        service: The CRM service to expose.
        token: The bearer token callers must present.

    Returns:
        A router with all endpoints under ``/api/crm``.

    """
    router = APIRouter(
        prefix=PREFIX, tags=["crm"], dependencies=[bearer_auth(token)], responses=_ERRORS
    )
    customer = "/customers/{customer_number}"

    @router.post(
        "/verify",
        summary="Check a customer number against the postal code on file",
        response_model=schemas.VerificationResult,
    )
    def verify(request: schemas.VerificationRequest) -> Response:
        return json_response(service.verify_customer(request.customer_number, request.postal_code))

    @router.get(
        customer, summary="Customer profile with history", response_model=schemas.CustomerProfile
    )
    def profile(customer_number: str) -> Response:
        return json_response(service.get_profile(customer_number))

    @router.get(
        f"{customer}/orders", summary="Orders, newest first", response_model=list[schemas.Order]
    )
    def orders(customer_number: str) -> list[schemas.Order]:
        return service.list_orders(customer_number)

    @router.get(
        f"{customer}/invoices",
        summary="Invoices, newest first",
        response_model=list[schemas.Invoice],
    )
    def invoices(customer_number: str) -> list[schemas.Invoice]:
        return service.list_invoices(customer_number)

    @router.get(
        f"{customer}/contracts",
        summary="Leasing, financing and service contracts",
        response_model=list[schemas.Contract],
    )
    def contracts(customer_number: str) -> list[schemas.Contract]:
        return service.list_contracts(customer_number)

    @router.get(
        f"{customer}/appointments",
        summary="Workshop appointments, latest first",
        response_model=list[schemas.Appointment],
    )
    def appointments(customer_number: str) -> list[schemas.Appointment]:
        return service.list_appointments(customer_number)

    @router.get(
        f"{customer}/cases", summary="Cases, newest first", response_model=list[schemas.Case]
    )
    def cases(customer_number: str) -> list[schemas.Case]:
        return service.list_cases(customer_number)

    @router.get(
        f"{customer}/interactions",
        summary="Contact history, newest first",
        response_model=list[schemas.Interaction],
    )
    def interactions(
        customer_number: str, limit: Annotated[int, Query(ge=1, le=500)] = 50
    ) -> list[schemas.Interaction]:
        return service.list_interactions(customer_number, limit)

    @router.post(
        f"{customer}/interactions",
        summary="Record a contact",
        response_model=schemas.Interaction,
        status_code=status.HTTP_201_CREATED,
    )
    def record_interaction(
        customer_number: str, interaction: schemas.InteractionCreate
    ) -> Response:
        recorded = service.record_interaction(customer_number, interaction)
        return json_response(recorded, status.HTTP_201_CREATED)

    @router.post(
        f"{customer}/cases",
        summary="Open a case",
        response_model=schemas.CaseCreated,
        status_code=status.HTTP_201_CREATED,
    )
    def create_case(customer_number: str, case: schemas.CaseCreate) -> schemas.CaseCreated:
        return service.create_case(customer_number, case)

    @router.post(
        "/leads",
        summary="Record a test-drive request (prospect or customer)",
        response_model=schemas.LeadCreated,
        status_code=status.HTTP_201_CREATED,
    )
    def create_lead(lead: schemas.LeadCreate) -> schemas.LeadCreated:
        return service.create_lead(lead)

    @router.patch(
        f"{customer}/contact",
        summary="Change address, e-mail or phone (old values kept in the history)",
        response_model=schemas.Customer,
    )
    def update_contact(customer_number: str, change: schemas.ContactChange) -> schemas.Customer:
        return service.update_contact(customer_number, change)

    @router.post(
        f"{customer}/appointments",
        summary="Book a free workshop slot",
        response_model=schemas.Appointment,
        status_code=status.HTTP_201_CREATED,
    )
    def book(customer_number: str, booking: schemas.AppointmentBooking) -> schemas.Appointment:
        return service.book_appointment(customer_number, booking)

    @router.post(
        f"{customer}/appointments/{{appointment_number}}/reschedule",
        summary="Move a booked appointment to another free slot",
        response_model=schemas.Appointment,
    )
    def reschedule(
        customer_number: str, appointment_number: str, change: schemas.AppointmentReschedule
    ) -> schemas.Appointment:
        return service.reschedule_appointment(customer_number, appointment_number, change)

    @router.post(
        f"{customer}/appointments/{{appointment_number}}/cancel",
        summary="Cancel a booked appointment",
        response_model=schemas.Appointment,
    )
    def cancel(
        customer_number: str,
        appointment_number: str,
        cancellation: schemas.AppointmentCancellation,
    ) -> schemas.Appointment:
        return service.cancel_appointment(customer_number, appointment_number, cancellation)

    @router.get(
        "/workshops",
        summary="Workshops in a city or nearest to a postal code",
        response_model=list[schemas.Workshop],
    )
    def workshops(
        city: Annotated[str | None, Query(max_length=80)] = None,
        postal_code: Annotated[str | None, Query(max_length=10)] = None,
        limit: Annotated[int, Query(ge=1, le=20, description="Postal code searches.")] = 3,
    ) -> list[schemas.Workshop]:
        return service.find_workshops(city=city, postal_code=postal_code, limit=limit)

    @router.get(
        "/workshops/{workshop_code}/slots",
        summary="Free slots of a workshop",
        response_model=list[schemas.Slot],
    )
    def slots(
        workshop_code: str,
        from_date: Annotated[date, Query(description="First day, YYYY-MM-DD.")],
        days: Annotated[int, Query(ge=1, le=31)] = 7,
    ) -> list[schemas.Slot]:
        return service.free_slots(workshop_code, from_date, days)

    @router.get(
        "/recalls",
        summary="Recall campaigns affecting a vehicle (by VIN or plate)",
        response_model=list[schemas.RecallNotice],
    )
    def recalls(
        vin: Annotated[str | None, Query(max_length=20)] = None,
        plate: Annotated[str | None, Query(max_length=20)] = None,
    ) -> list[schemas.RecallNotice]:
        return service.find_recalls(vin=vin, plate=plate)

    return router
