"""What the escalation API receives and returns (pydantic)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import Field, validator

from bot.crm.schemas.base import Command, Schema

Status = Literal["open", "claimed", "resolved"]


class AttachmentInfo(Schema):
    """A file the customer sent; the desk fetches an uploaded one with the agent's token."""

    id: int
    kind: Literal["image", "file", "video", "audio"]
    content_type: str | None = Field(None, description="Checked by content for uploads.")
    filename: str | None = None
    size_bytes: int | None = None
    source: Literal["upload", "messenger"]
    url: str | None = Field(
        None,
        description="Uploads: the agent API path of the file; Messenger: Facebook's address "
        "(expires after some days).",
    )


class TranscriptEntry(Schema):
    """One message: who wrote it, what, when (UTC), and the file it carries, if any."""

    role: Literal["customer", "bot", "agent", "system"]
    text: str
    timestamp: datetime
    attachment: AttachmentInfo | None = None


class CustomerInfo(Schema):
    """The customer as far as known; only a verified customer has a CRM profile."""

    customer_number: str | None = Field(None, description="Verified, or as typed when not.")
    verified: bool
    name: str | None = None
    address_name: str | None = Field(None, description="How to address them, e.g. 'Frau Schmidt'.")
    workshop: str | None = Field(None, description="Their preferred workshop.")
    workshop_code: str | None = None
    tier: str | None = None
    customer_since: date | None = None
    email: str | None = None
    phone: str | None = None
    city: str | None = None
    vehicles: list[dict[str, Any]] = []
    open_orders: list[dict[str, Any]] = []
    open_cases: list[dict[str, Any]] = []
    recent_interactions: list[dict[str, Any]] = []
    note: str | None = Field(None, description="E.g. 'nicht verifiziert'.")


class AgentRef(Schema):
    """An agent as others see them."""

    id: int
    username: str
    display_name: str
    roles: list[str] = Field(["agent"], description="agent, lead, trainer, privacy")


class Note(Schema):
    """An internal note."""

    id: int
    text: str
    created_at: datetime
    agent: AgentRef


class EscalationItem(Schema):
    """An escalation in the queue (list view)."""

    id: int
    conversation_id: str
    channel: str
    reason: str = Field(..., description="Reason code, e.g. 'customer_request'.")
    reason_text: str
    priority: Literal["urgent", "high", "normal"]
    status: Status
    mode: Literal["live", "ticket"] = Field(
        ..., description="live: agents were online; ticket: callback promised."
    )
    created_at: datetime
    customer: CustomerInfo
    summary: str
    topic: str | None
    case_number: str | None
    queue_position: int | None = Field(None, description="1 = next; null unless open.")
    wait_minutes: int | None = None
    callback_due_at: datetime | None = None
    claimed_by: AgentRef | None = None
    claimed_at: datetime | None = None
    takeover_active: bool
    resolved_at: datetime | None = None
    resolution: str | None = None
    customer_messages: int = Field(0, description="Customer lines in the transcript (unread).")


class PreviousEscalation(Schema):
    """An earlier escalation of the same verified customer, with its transcript."""

    id: int
    channel: str
    reason_text: str
    status: Status
    created_at: datetime
    resolved_at: datetime | None
    resolution: str | None
    case_number: str | None
    agent: AgentRef | None
    transcript: list[TranscriptEntry]


class PreviousConversation(Schema):
    """An earlier conversation of the verified customer with the assistant (tracker store)."""

    conversation_id: str
    channel: str
    summary: str
    started_at: datetime
    transcript: list[TranscriptEntry]


class EscalationDetail(EscalationItem):
    """The whole context package."""

    transcript: list[TranscriptEntry]
    intents: list[dict[str, Any]]
    entities: list[dict[str, Any]]
    slots: dict[str, Any]
    bot_actions: list[dict[str, Any]]
    notes: list[Note]
    previous_escalations: list[PreviousEscalation] = Field(
        [], description="The verified customer's earlier escalations, newest first."
    )
    previous_conversations: list[PreviousConversation] = Field(
        [],
        description=(
            "The verified customer's earlier conversations with the assistant (also those"
            " no human saw), newest first, from the tracker store."
        ),
    )


class EscalationIntake(Command):
    """A handoff request from the action server (or the tracker-store sweeper)."""

    conversation_id: str = Field(..., min_length=1, max_length=255)
    reason: str = Field("customer_request", max_length=40)
    case_number: str | None = Field(None, max_length=16)
    verified_customer_number: str | None = Field(None, max_length=20)
    claimed_customer_number: str | None = Field(None, max_length=30)
    channel: str | None = Field(None, max_length=40)
    slots: dict[str, Any] | None = None
    events: list[dict[str, Any]] = Field(..., max_items=5000)


class IntakeReceipt(Schema):
    """What the bot tells the customer after the handoff request."""

    escalation_id: int
    created: bool = Field(..., description="False: the open escalation already existed.")
    mode: Literal["live", "ticket"]
    queue_position: int | None
    wait_minutes: int | None
    callback_due_at: datetime | None
    callback_due_text: str | None = Field(None, description="German, e.g. 'Montag, ...'.")
    ticket_number: str


class FollowUpReceipt(Schema):
    """The open escalation a customer's follow-up was added to."""

    escalation_id: int
    ticket_number: str
    queue: IntakeReceipt | None = Field(
        None, description="Its place in the queue now (the answer to a question about the wait)."
    )


class LoginRequest(Command):
    """Agent credentials."""

    username: str = Field(..., min_length=1, max_length=60)
    password: str = Field(..., min_length=1, max_length=256)


class TokenResponse(Schema):
    """A bearer token for the agent desk."""

    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int


class TextBody(Command):
    """A message or note text."""

    text: str = Field(..., min_length=1, max_length=4000)

    @validator("text")
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be blank")
        return value.strip()


class ResolveBody(Command):
    """How the escalation was resolved (goes into the CRM interaction history)."""

    resolution: str = Field(..., min_length=1, max_length=480)
    note: str | None = Field(None, max_length=4000)


class CustomerMessage(Command):
    """A customer message that arrived while an agent has taken over."""

    conversation_id: str = Field(..., min_length=1, max_length=255)
    text: str = Field(..., min_length=1, max_length=4000)
    timestamp: float | None = None


class AttachmentReceipt(Schema):
    """What the customer's side learns about a file it sent."""

    attachment_id: int
    escalation_id: int
    kind: str
    filename: str | None
    size_bytes: int | None
    taken_over: bool = Field(description="An agent has the chat now (else it waits in the queue).")


class MessengerAttachment(Command):
    """An attachment a customer sent on Messenger (Facebook keeps the file)."""

    conversation_id: str = Field(..., min_length=1, max_length=255)
    kind: Literal["image", "file", "video", "audio"]
    url: str = Field(..., min_length=8, max_length=2000, regex=r"^https://")
    message_id: str | None = Field(None, max_length=200)
    timestamp: float | None = None
