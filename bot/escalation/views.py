"""Turn escalation rows into the API's schemas."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from bot.escalation import schemas
from bot.escalation.attachments import attachment_info
from bot.escalation.models import Agent, Escalation, EscalationNote
from bot.escalation.roles import loaded_roles


def ticket_number(escalation_id: int) -> str:
    """Return the number the customer is told, e.g. ``E-000042``."""
    return f"E-{escalation_id:06d}"


def utc(moment: datetime | None) -> datetime | None:
    """Mark a stored (naive UTC) time as UTC."""
    return moment.replace(tzinfo=timezone.utc) if moment else None


def utc_at(moment: datetime) -> datetime:
    """Mark a stored (naive UTC) time that is always set as UTC."""
    return moment.replace(tzinfo=timezone.utc)


def agent_ref(agent: Agent) -> schemas.AgentRef:
    """Return the public view of an agent."""
    return schemas.AgentRef(
        id=agent.id,
        username=agent.username,
        display_name=agent.display_name,
        roles=loaded_roles(agent.roles),
    )


def note(row: EscalationNote) -> schemas.Note:
    """Return the view of a note."""
    return schemas.Note(
        id=row.id, text=row.text, created_at=utc_at(row.created_at), agent=agent_ref(row.agent)
    )


def _fields(row: Escalation, position: int | None, wait: int | None) -> dict[str, Any]:
    return {
        "id": row.id,
        "conversation_id": row.conversation_id,
        "channel": row.channel,
        "reason": row.reason_code,
        "reason_text": row.reason_text,
        "priority": row.priority,
        "status": row.status,
        "mode": row.mode,
        "created_at": utc(row.created_at),
        "customer": schemas.CustomerInfo(**row.customer),
        "summary": row.summary,
        "topic": row.topic,
        "case_number": row.case_number,
        "queue_position": position,
        "wait_minutes": wait,
        "callback_due_at": utc(row.callback_due_at),
        "claimed_by": agent_ref(row.claimed_by) if row.claimed_by else None,
        "claimed_at": utc(row.claimed_at),
        "takeover_active": bool(row.takeover_active),
        "resolved_at": utc(row.resolved_at),
        "resolution": row.resolution,
        "customer_messages": int(row.customer_message_count or 0),
    }


def item(row: Escalation, position: int | None, wait: int | None) -> schemas.EscalationItem:
    """Return the queue view of an escalation."""
    return schemas.EscalationItem(**_fields(row, position, wait))


def transcript(row: Escalation) -> list[schemas.TranscriptEntry]:
    """Return the transcript of an escalation in time order."""
    return [
        schemas.TranscriptEntry(
            role=m.role,
            text=m.text,
            timestamp=utc_at(m.sent_at),
            attachment=attachment_info(m.attachment) if m.attachment is not None else None,
        )
        for m in sorted(row.messages, key=lambda m: (m.sent_at, m.id))
    ]


def detail(
    row: Escalation,
    position: int | None,
    wait: int | None,
    previous: list[schemas.PreviousEscalation] | None = None,
) -> schemas.EscalationDetail:
    """Return the whole context package."""
    slots = row.slots or {}
    return schemas.EscalationDetail(
        **_fields(row, position, wait),
        transcript=transcript(row),
        intents=row.intents,
        entities=slots.get("entities", []),
        slots=slots.get("values", {}),
        bot_actions=row.bot_actions,
        notes=[note(n) for n in row.notes],
        previous_escalations=previous or [],
    )
