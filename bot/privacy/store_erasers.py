"""Our own stores: escalations with transcripts and notes, feedback, analytics rows, the inbox.

Escalations are anonymised, not deleted, while they are within their
retention period: the queue's statistics (reason, wait, handle time) stay
true, but nothing names the customer any more. Feedback keeps its score
and loses its comment; an analytics row keeps its counts and loses the
conversation, sender and customer it belonged to.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import String, cast, delete, or_, select, update
from sqlalchemy.orm import Session

from bot.analytics.models import AnalyticsEvent, ConversationStat
from bot.escalation.models import (
    AuditEntry,
    Escalation,
    EscalationAttachment,
    EscalationMessage,
    EscalationNote,
)
from bot.feedback.models import Feedback
from bot.privacy.erasers import (
    ERASED,
    Counts,
    RetentionCutoffs,
    Subject,
    pseudonym,
    sender_of,
    timestamp_of,
)
from bot.training.models import InboxItem, InboxSighting

ERASED_CUSTOMER = {"customer_number": None, "verified": False, "note": "gelöscht (DSGVO Art. 17)"}


class EscalationEraser:
    """Anonymises escalations, their transcripts and notes; expires old ones.

    Args:
        sessions: A session factory over the CRM's database.

    """

    name = "escalations"

    def __init__(self, sessions: Any) -> None:
        self._sessions = sessions

    def find_conversations(self, customer_number: str) -> set[str]:
        """Return senders of escalations whose (verified or typed) customer is this one."""
        found: set[str] = set()
        with self._sessions() as session:
            rows = session.execute(select(Escalation.conversation_id, Escalation.customer))
            for conversation_id, customer in rows:
                if (customer or {}).get("customer_number") == customer_number:
                    found.add(sender_of(conversation_id) or conversation_id)
        return found

    def erase(self, subject: Subject) -> Counts:
        """Anonymise the subject's escalations (conversations or number); delete their files."""
        counts = {"escalations": 0, "transcript_lines": 0, "notes": 0}
        with self._sessions() as session, session.begin():
            for row in session.scalars(select(Escalation)).all():
                if not _belongs(row, subject):
                    continue
                counts["escalations"] += 1
                session.execute(
                    delete(EscalationAttachment).where(EscalationAttachment.escalation_id == row.id)
                )
                counts["transcript_lines"] += _rowcount(
                    session,
                    update(EscalationMessage)
                    .where(EscalationMessage.escalation_id == row.id)
                    .values(text=ERASED),
                )
                counts["notes"] += _rowcount(
                    session,
                    update(EscalationNote)
                    .where(EscalationNote.escalation_id == row.id)
                    .values(text=ERASED),
                )
                row.conversation_id = pseudonym(row.conversation_id)
                if row.open_key is not None:
                    row.open_key = None
                    row.status, row.takeover_active = "resolved", False
                    row.resolved_at = row.resolved_at or row.created_at
                row.customer, row.slots, row.intents = dict(ERASED_CUSTOMER), {}, []
                row.summary = ERASED
                row.resolution = ERASED if row.resolution is not None else None
        return counts

    def expire(self, cutoffs: RetentionCutoffs, *, dry_run: bool) -> Counts:
        """Delete escalations created before the cutoff (resolved or not), transcripts and notes."""
        with self._sessions() as session, session.begin():
            ids = list(
                session.scalars(
                    select(Escalation.id).where(Escalation.created_at < cutoffs.escalations)
                )
            )
            counts = {"escalations": len(ids)}
            if ids and not dry_run:
                session.execute(
                    update(AuditEntry)
                    .where(AuditEntry.escalation_id.in_(ids))
                    .values(escalation_id=None, details=None)
                )
                session.execute(
                    delete(EscalationAttachment).where(EscalationAttachment.escalation_id.in_(ids))
                )
                session.execute(
                    delete(EscalationMessage).where(EscalationMessage.escalation_id.in_(ids))
                )
                session.execute(delete(EscalationNote).where(EscalationNote.escalation_id.in_(ids)))
                session.execute(delete(Escalation).where(Escalation.id.in_(ids)))
        return counts


class FeedbackEraser:
    """Removes comments and identities from feedback; the scores stay."""

    name = "feedback"

    def __init__(self, sessions: Any) -> None:
        self._sessions = sessions

    def find_conversations(self, customer_number: str) -> set[str]:
        """Return senders of the customer's rated conversations."""
        with self._sessions() as session:
            ids = session.scalars(
                select(Feedback.conversation_id).where(Feedback.customer_number == customer_number)
            ).all()
        return {sender for sender in map(sender_of, ids) if sender}

    def erase(self, subject: Subject) -> Counts:
        """Drop comments and identities of the subject's feedback."""
        with self._sessions() as session, session.begin():
            rows = session.scalars(select(Feedback).where(_feedback_of(subject))).all()
            comments = 0
            for row in rows:
                comments += int(row.comment is not None)
                row.comment, row.customer_number = None, None
                row.conversation_id = pseudonym(row.conversation_id)
        return {"ratings": len(rows), "comments": comments}

    def expire(self, cutoffs: RetentionCutoffs, *, dry_run: bool) -> Counts:
        """Drop comments and identities of feedback older than the conversation cutoff."""
        with self._sessions() as session, session.begin():
            rows = session.scalars(
                select(Feedback).where(
                    Feedback.created_at < cutoffs.conversations,
                    ~Feedback.conversation_id.startswith("erased-"),
                )
            ).all()
            if not dry_run:
                for row in rows:
                    row.comment, row.customer_number = None, None
                    row.conversation_id = pseudonym(row.conversation_id)
        return {"feedback": len(rows)}


class AnalyticsEraser:
    """Cuts analytics rows loose from the conversation and customer; counts survive."""

    name = "analytics"

    def __init__(self, sessions: Any) -> None:
        self._sessions = sessions

    def find_conversations(self, customer_number: str) -> set[str]:
        """Return senders of the customer's analysed conversations."""
        with self._sessions() as session:
            ids = set(
                session.scalars(
                    select(ConversationStat.sender_id).where(
                        ConversationStat.customer_number == customer_number
                    )
                )
            )
            for sender, data in session.execute(
                select(AnalyticsEvent.sender_id, AnalyticsEvent.data).where(
                    cast(AnalyticsEvent.data, String).contains(customer_number)
                )
            ):
                if (data or {}).get("value") == customer_number:
                    ids.add(sender)
        return {str(sender) for sender in ids if sender}

    def erase(self, subject: Subject) -> Counts:
        """Anonymise the subject's rows."""
        with self._sessions() as session, session.begin():
            rows = session.scalars(
                select(ConversationStat).where(
                    or_(
                        ConversationStat.customer_number == subject.customer_number,
                        ConversationStat.sender_id.in_(sorted(subject.conversation_ids)),
                    )
                )
            ).all()
            for row in rows:
                _anonymise_stat(row)
            events = _rowcount(
                session,
                delete(AnalyticsEvent).where(
                    AnalyticsEvent.sender_id.in_(sorted(subject.conversation_ids))
                ),
            )
        return {"conversation_rows": len(rows), "events": events}

    def expire(self, cutoffs: RetentionCutoffs, *, dry_run: bool) -> Counts:
        """Anonymise rows of conversations older than the conversation cutoff."""
        with self._sessions() as session, session.begin():
            rows = session.scalars(
                select(ConversationStat).where(
                    ConversationStat.ended_at < cutoffs.conversations,
                    ConversationStat.erased.is_(False),
                )
            ).all()
            old = AnalyticsEvent.timestamp < timestamp_of(cutoffs.conversations)
            events = len(session.scalars(select(AnalyticsEvent.id).where(old)).all())
            if not dry_run:
                for row in rows:
                    _anonymise_stat(row)
                session.execute(delete(AnalyticsEvent).where(old))
        return {"conversation_rows": len(rows), "events": events}


class TrainingInboxEraser:
    """Cuts the trainers' inbox loose from the customer's conversations.

    The inbox keeps only masked texts (``bot.training.masking``), so an item
    names nobody; what ties it to a person is the conversation id and the
    masked turns around each sighting. Erasure deletes the sightings of the
    subject's conversations and unlinks the items; the masked text and its
    label stay, as training data. Retention does the same after the
    conversation period.
    """

    name = "training_inbox"

    def __init__(self, sessions: Any) -> None:
        self._sessions = sessions

    def find_conversations(self, customer_number: str) -> set[str]:
        """Return nothing: masked texts cannot name the customer."""
        return set()

    def erase(self, subject: Subject) -> Counts:
        """Delete the sightings of the subject's conversations and unlink their items."""
        ids = sorted(subject.conversation_ids)
        with self._sessions() as session, session.begin():
            sightings = _rowcount(
                session, delete(InboxSighting).where(InboxSighting.conversation_id.in_(ids))
            )
            items = _rowcount(
                session,
                update(InboxItem)
                .where(InboxItem.conversation_id.in_(ids))
                .values(conversation_id=None, channel=None),
            )
        return {"sightings": sightings, "items_unlinked": items}

    def expire(self, cutoffs: RetentionCutoffs, *, dry_run: bool) -> Counts:
        """Delete sightings and unlink items older than the conversation cutoff."""
        old_sightings = InboxSighting.seen_at < cutoffs.conversations
        old_items = (InboxItem.last_seen < cutoffs.conversations) & (
            InboxItem.conversation_id.is_not(None)
        )
        with self._sessions() as session, session.begin():
            sightings = len(session.scalars(select(InboxSighting.id).where(old_sightings)).all())
            items = len(session.scalars(select(InboxItem.id).where(old_items)).all())
            if not dry_run:
                session.execute(delete(InboxSighting).where(old_sightings))
                session.execute(
                    update(InboxItem).where(old_items).values(conversation_id=None, channel=None)
                )
        return {"sightings": sightings, "items_unlinked": items}


def _anonymise_stat(row: ConversationStat) -> None:
    if not row.erased:
        row.conversation_id = pseudonym(row.conversation_id)
    row.sender_id = row.subject = row.customer_number = None
    row.erased = True


def _belongs(row: Escalation, subject: Subject) -> bool:
    if (sender_of(row.conversation_id) or "") in subject.conversation_ids:
        return True
    return (row.customer or {}).get("customer_number") == subject.customer_number


def _feedback_of(subject: Subject) -> Any:
    senders = sorted(subject.conversation_ids)
    matches = [Feedback.customer_number == subject.customer_number]
    matches += [Feedback.conversation_id == sender for sender in senders]
    matches += [Feedback.conversation_id.startswith(f"{sender}@") for sender in senders]
    return or_(*matches)


def _rowcount(session: Session, statement: Any) -> int:
    return int(session.execute(statement).rowcount or 0)
