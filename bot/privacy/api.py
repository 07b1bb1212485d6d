"""``POST /api/privacy/erasure``: a data-protection officer erases a customer."""

# No "from __future__ import annotations": FastAPI resolves the endpoint annotations at run time.

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, status
from pydantic import BaseModel, Field

from bot.escalation.schemas import AgentRef
from bot.privacy.service import PrivacyService, UnknownCustomer


class ErasureRequest(BaseModel):
    """Whom to erase."""

    customer_number: str = Field(..., min_length=1, max_length=20, examples=["K-100005"])


def privacy_router(service: PrivacyService, officer: Callable[..., AgentRef]) -> APIRouter:
    """Build the privacy API.

    Args:
        service: Erasure and retention.
        officer: Dependency returning the logged-in agent with role ``privacy``
            (401 without a login, 403 without the role).

    """
    router = APIRouter(prefix="/api/privacy", tags=["privacy"])
    Officer = Annotated[AgentRef, Depends(officer)]

    @router.post("/erasure", summary="Erase a customer everywhere (GDPR Art. 17); idempotent")
    def erase(body: ErasureRequest, agent: Officer) -> dict[str, Any]:
        try:
            return service.erase(body.customer_number, f"agent:{agent.username}")
        except UnknownCustomer:
            raise HTTPException(
                status.HTTP_404_NOT_FOUND, detail="unknown customer number"
            ) from None

    @router.post("/retention", summary="Expire what is past retention (dry_run=true: count only)")
    def retention(agent: Officer, dry_run: bool = True) -> dict[str, Any]:
        return service.retention(dry_run=dry_run)

    return router
