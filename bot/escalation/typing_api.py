"""``POST /api/internal/typing``: the website channel reports that a customer is typing."""

# No "from __future__ import annotations": FastAPI resolves the endpoint annotations at run time.

from fastapi import APIRouter, status
from pydantic import Field

from bot.crm.api import bearer_auth
from bot.crm.schemas.base import Command
from bot.escalation.errors import EscalationNotFound
from bot.escalation.service import EscalationService
from bot.escalation.typing import TypingSignals
from bot.settings import Secret


class TypingBody(Command):
    """Which conversation's customer is typing."""

    conversation_id: str = Field(..., min_length=1, max_length=255)


def typing_router(
    service: EscalationService, typing: TypingSignals, service_token: Secret
) -> APIRouter:
    """Build the route (service token, like the rest of ``/api/internal``)."""
    router = APIRouter(
        prefix="/api/internal", tags=["action server"], dependencies=[bearer_auth(service_token)]
    )

    @router.post(
        "/typing",
        summary="The customer of a taken-over chat is typing",
        status_code=status.HTTP_202_ACCEPTED,
    )
    def customer_typing(body: TypingBody) -> dict[str, bool]:
        if service.takeover_conversation(body.conversation_id) is None:
            raise EscalationNotFound("no agent has taken over this conversation")
        typing.mark(body.conversation_id)
        return {"typing": True}

    return router
