"""Customers' files on their way to the agent: checked, stored with the escalation, opened.

A file is only accepted for a conversation with an open escalation: the
agent (or the colleague who claims it) reads it in the transcript. Without
one nobody would look at it, so it is refused and the customer is told that
the assistant cannot read files and a human can (instead of it vanishing).
Uploaded bytes live in the escalation's database, beside the transcript
line, so erasure and retention remove them with it; Messenger attachments
stay at Facebook and only their address is kept.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import urlsplit

from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock, system_clock
from bot.crm.service.base import as_naive_utc
from bot.escalation import schemas
from bot.escalation.attachment_files import AttachmentLimits, kind_of, safe_filename, sniff_type
from bot.escalation.errors import (
    AttachmentTooLarge,
    AttachmentTypeRefused,
    EscalationNotFound,
    EscalationStoreUnavailable,
    NoAgentForAttachment,
    TooManyAttachments,
)
from bot.escalation.models import AuditEntry, Escalation, EscalationAttachment, EscalationMessage

logger = logging.getLogger(__name__)

_LINE_TEXT = {"image": "Bild", "file": "Datei", "video": "Video", "audio": "Sprachnachricht"}


@dataclass(frozen=True)
class StoredFile:
    """An uploaded file as an agent downloads it."""

    content_type: str
    filename: str
    data: bytes


def attachment_path(escalation_id: int, attachment_id: int) -> str:
    """Return the agent API path of an uploaded file."""
    return f"/api/escalations/{escalation_id}/attachments/{attachment_id}"


def attachment_info(row: EscalationAttachment) -> schemas.AttachmentInfo:
    """Return what the desk needs to show an attachment."""
    return schemas.AttachmentInfo(
        id=row.id,
        kind=row.kind,
        content_type=row.content_type,
        filename=row.filename,
        size_bytes=row.size_bytes,
        source=row.source,
        url=attachment_path(row.escalation_id, row.id)
        if row.size_bytes is not None  # uploaded, or a Messenger file copied here
        else row.source_url,
    )


def size_text(size_bytes: int) -> str:
    """Return a size as a German reader expects it: ``850 KB``, ``1,2 MB``."""
    if size_bytes < 1024 * 1024:
        return f"{max(1, round(size_bytes / 1024))} KB"
    return f"{size_bytes / (1024 * 1024):.1f} MB".replace(".", ",")


class Attachments:
    """Files customers send to the agent of their conversation.

    Args:
        sessions: Sessions of the escalation database.
        limits: Accepted types and the largest size.
        clock: Current time (tests inject one).

    """

    def __init__(
        self,
        sessions: sessionmaker | Callable[[], Session],
        limits: AttachmentLimits,
        clock: Clock = system_clock,
    ) -> None:
        self._sessions = sessions
        self.limits = limits
        self._clock = clock

    def check(self, data: bytes, declared_type: str | None) -> str:
        """Return the file's real type, or refuse it.

        Raises:
            AttachmentTooLarge: Larger than the limit.
            AttachmentTypeRefused: Empty, not an accepted type by its content, or
                declared as another type than its content shows.

        """
        if len(data) > self.limits.max_bytes:
            raise AttachmentTooLarge(f"the file is larger than {self.limits.max_bytes} bytes")
        real = sniff_type(data[:16])
        if real is None or real not in self.limits.types:
            raise AttachmentTypeRefused(f"accepted: {', '.join(self.limits.types)}")
        declared = (declared_type or "").split(";")[0].strip().lower()
        if declared and declared not in ("application/octet-stream", real):
            raise AttachmentTypeRefused(f"declared {declared[:60]}, but the content is {real}")
        return real

    def store_upload(
        self, conversation_id: str, data: bytes, declared_type: str | None, filename: str | None
    ) -> schemas.AttachmentReceipt:
        """Check a file from the website chat and add it to the conversation's open escalation.

        Raises:
            AttachmentTooLarge: See :meth:`check`.
            AttachmentTypeRefused: See :meth:`check`.
            NoAgentForAttachment: The conversation has no open escalation.

        """
        content_type = self.check(data, declared_type)
        name = safe_filename(filename, content_type)
        kind = kind_of(content_type)
        row = EscalationAttachment(
            kind=kind,
            content_type=content_type,
            filename=name,
            size_bytes=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            source="upload",
            data=data,
        )
        text = f"{_LINE_TEXT[kind]} gesendet: {name} ({size_text(len(data))})"
        return self._attach(conversation_id, row, text, source_key=None)

    def record_messenger(
        self, attachment: schemas.MessengerAttachment
    ) -> schemas.AttachmentReceipt:
        """Add a Messenger attachment (by Facebook's address) to the open escalation.

        The same Messenger message id is recorded once.

        Raises:
            NoAgentForAttachment: The conversation has no open escalation.

        """
        row = EscalationAttachment(
            kind=attachment.kind, source="messenger", source_url=attachment.url
        )
        key = f"mid:{attachment.message_id}"[:80] if attachment.message_id else None
        text = f"{_LINE_TEXT[attachment.kind]} über Messenger gesendet"
        sent = (
            datetime.fromtimestamp(attachment.timestamp, tz=timezone.utc)
            if attachment.timestamp
            else None
        )
        return self._attach(attachment.conversation_id, row, text, source_key=key, sent=sent)

    def pending_copy(self, attachment_id: int) -> str | None:
        """Return Facebook's address of a Messenger file not copied yet (else ``None``)."""
        with self._writing() as session:
            row = session.get(EscalationAttachment, attachment_id)
            if row is None or row.source != "messenger" or row.size_bytes is not None:
                return None
            return str(row.source_url)

    def store_copy(self, attachment_id: int, data: bytes) -> bool:
        """Keep a fetched copy of a Messenger file if it is an accepted type (by content).

        Returns:
            Whether the copy was kept (otherwise the agent keeps Facebook's link).

        """
        try:
            content_type = self.check(data, None)
        except (AttachmentTooLarge, AttachmentTypeRefused) as error:
            logger.info("Messenger file %s not kept: %s", attachment_id, error)
            return False
        with self._writing() as session:
            row = session.get(EscalationAttachment, attachment_id)
            if row is None or row.size_bytes is not None:
                return False
            name = urlsplit(row.source_url or "").path.rsplit("/", 1)[-1]
            row.data, row.content_type = data, content_type
            row.size_bytes, row.sha256 = len(data), hashlib.sha256(data).hexdigest()
            row.filename = safe_filename(name, content_type)
            return True

    def open_file(self, escalation_id: int, attachment_id: int, agent_id: int) -> StoredFile:
        """Return a file of the escalation stored here (the opening is audited).

        Raises:
            EscalationNotFound: No such uploaded file in this escalation.

        """
        with self._writing() as session:
            row = session.execute(
                select(EscalationAttachment).where(
                    EscalationAttachment.id == attachment_id,
                    EscalationAttachment.escalation_id == escalation_id,
                )
            ).scalar_one_or_none()
            if row is None or row.data is None:
                raise EscalationNotFound(f"no file {attachment_id} stored for {escalation_id}")
            self._audit(session, "attachment_opened", escalation_id, agent_id, row.id)
            return StoredFile(str(row.content_type), str(row.filename), bytes(row.data))

    def _attach(
        self,
        conversation_id: str,
        attachment: EscalationAttachment,
        text: str,
        *,
        source_key: str | None,
        sent: datetime | None = None,
    ) -> schemas.AttachmentReceipt:
        now = as_naive_utc(self._clock())
        with self._writing() as session:
            escalation = session.execute(
                select(Escalation).where(Escalation.open_key == conversation_id)
            ).scalar_one_or_none()
            if escalation is None:
                raise NoAgentForAttachment("this conversation has no open escalation")
            known = (
                session.execute(
                    select(EscalationMessage).where(
                        EscalationMessage.escalation_id == escalation.id,
                        EscalationMessage.source_key == source_key,
                    )
                ).scalar_one_or_none()
                if source_key
                else None
            )
            if known is not None and known.attachment is not None:
                return self._receipt(escalation, known.attachment)
            count = session.execute(
                select(func.count(EscalationAttachment.id)).where(
                    EscalationAttachment.escalation_id == escalation.id
                )
            ).scalar_one()
            if count >= self.limits.max_per_escalation:
                raise TooManyAttachments(f"this escalation has {count} files, the most it takes")
            line = EscalationMessage(
                role="customer",
                text=text,
                sent_at=as_naive_utc(sent) if sent else now,
                source_key=source_key,
            )
            attachment.escalation_id = escalation.id
            attachment.created_at = now
            line.attachment = attachment
            escalation.messages.append(line)
            if not escalation.takeover_active:
                escalation.summary = f"{escalation.summary}\nNachtrag des Kunden: {text}"
            session.flush()
            self._audit(session, "attachment_received", escalation.id, None, attachment.id)
            return self._receipt(escalation, attachment)

    @contextmanager
    def _writing(self) -> Iterator[Session]:
        """One transaction; database failures become :class:`EscalationStoreUnavailable`."""
        try:
            with self._sessions() as session, session.begin():
                yield session
        except DBAPIError as error:
            raise EscalationStoreUnavailable(
                f"escalation database failed: {type(error.orig).__name__}"
            ) from error

    @staticmethod
    def _receipt(
        escalation: Escalation, attachment: EscalationAttachment
    ) -> schemas.AttachmentReceipt:
        return schemas.AttachmentReceipt(
            attachment_id=attachment.id,
            escalation_id=escalation.id,
            kind=attachment.kind,
            filename=attachment.filename,
            size_bytes=attachment.size_bytes,
            taken_over=bool(escalation.takeover_active),
        )

    def _audit(
        self,
        session: Session,
        action: str,
        escalation_id: int,
        agent_id: int | None,
        attachment_id: int,
    ) -> None:
        session.add(
            AuditEntry(
                occurred_at=as_naive_utc(self._clock()),
                agent_id=agent_id,
                escalation_id=escalation_id,
                action=action,
                details={"attachment_id": attachment_id},
            )
        )
