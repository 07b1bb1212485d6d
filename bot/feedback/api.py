"""``POST /api/internal/feedback``: the action server stores a rating, comment or feedback."""

# No "from __future__ import annotations": FastAPI resolves the endpoint annotations at run time.

from typing import Literal

from fastapi import APIRouter, HTTPException, status
from pydantic import BaseModel, Field

from bot.crm.api import bearer_auth
from bot.feedback.store import AlreadyRated, FeedbackStore
from bot.settings import Secret


class FeedbackIn(BaseModel):
    """A rating (``score``) or a text (``text``) of one conversation."""

    conversation_id: str = Field(..., min_length=1, max_length=255)
    channel: str = Field("unknown", max_length=20)
    kind: Literal["csat", "comment", "feedback"]
    score: int | None = Field(None, ge=1, le=5)
    text: str | None = Field(None, max_length=4000)
    customer_number: str | None = Field(None, max_length=12)


class FeedbackReceipt(BaseModel):
    """How the entry was attributed."""

    stored: bool
    served_by: str
    agent_id: int | None = None


def feedback_router(store: FeedbackStore, service_token: Secret) -> APIRouter:
    """Build the action server's feedback endpoint (bearer CRM_API_TOKEN)."""
    router = APIRouter(
        prefix="/api/internal", tags=["action server"], dependencies=[bearer_auth(service_token)]
    )

    @router.post("/feedback", summary="Store a CSAT rating, its comment or free-text feedback")
    def record(body: FeedbackIn) -> FeedbackReceipt:
        try:
            if body.kind == "csat":
                if body.score is None:
                    raise ValueError("a rating needs a score")
                who = store.rate(
                    body.conversation_id, body.channel, body.score, body.customer_number
                )
            else:
                if not body.text:
                    raise ValueError("feedback needs a text")
                if body.kind == "comment":
                    store.comment(
                        body.conversation_id, body.channel, body.text, body.customer_number
                    )
                else:
                    store.feedback(
                        body.conversation_id, body.channel, body.text, body.customer_number
                    )
                who = store.attribution(body.conversation_id)
        except AlreadyRated:
            raise HTTPException(
                status.HTTP_409_CONFLICT, detail="conversation rated already"
            ) from None
        except ValueError as error:
            raise HTTPException(status.HTTP_422_UNPROCESSABLE_ENTITY, detail=str(error)) from None
        return FeedbackReceipt(stored=True, served_by=who.served_by, agent_id=who.agent_id)

    return router
