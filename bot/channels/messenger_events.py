"""Parsing and authenticating Messenger webhook deliveries."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

SIGNATURE_HEADER = "X-Hub-Signature-256"
_SIGNATURE_PREFIX = "sha256="


def is_valid_signature(app_secret: str, body: bytes, header_value: str | None) -> bool:
    """Check ``X-Hub-Signature-256: sha256=<HMAC-SHA256(app secret, raw body)>``.

    Only SHA-256 is accepted (no legacy SHA-1 ``X-Hub-Signature``, no other
    algorithms), and the comparison is constant-time.

    Args:
        app_secret: The Meta app secret.
        body: The raw request body exactly as received.
        header_value: The ``X-Hub-Signature-256`` header, if present.

    Returns:
        ``True`` if the signature matches.

    """
    if not app_secret or not header_value or not header_value.startswith(_SIGNATURE_PREFIX):
        return False
    received = header_value[len(_SIGNATURE_PREFIX) :].strip().lower().encode("utf-8")
    expected = hmac.new(app_secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode("ascii"), received)


ATTACHMENT_KINDS = ("image", "video", "audio", "file")
"""Attachment types that carry a customer's file (stickers, locations, shares do not)."""


@dataclass(frozen=True)
class MessengerFile:
    """A file the customer sent: Facebook keeps it under ``url`` (for some days).

    Attributes:
        kind: ``image``, ``video``, ``audio`` or ``file``.
        url: ``payload.url`` of the attachment (https only).

    """

    kind: str
    url: str


@dataclass(frozen=True)
class MessengerEvent:
    """A user input from Messenger that the bot should answer.

    Attributes:
        sender_id: Page-scoped user id (PSID).
        text: Message text, or the payload of a quick reply or postback.
        kind: ``"text"``, ``"quick_reply"``, ``"postback"`` or ``"attachment"``
            (files only, ``text`` empty).
        message_id: Meta's ``mid``, if given (used to drop re-deliveries).
        page_id: Id of the page the message was sent to.
        files: The customer's files (``message.attachments``).
        timestamp: When Meta received the message (Unix seconds), if given.

    """

    sender_id: str
    text: str
    kind: str
    message_id: str | None = None
    page_id: str | None = None
    files: tuple[MessengerFile, ...] = ()
    timestamp: float | None = None


def parse_webhook(payload: Mapping[str, Any]) -> list[MessengerEvent]:
    """Extract the user inputs of every entry of a (batched) page webhook.

    Echoes, deliveries, reads, stickers and other events are skipped.

    Args:
        payload: The decoded webhook JSON.

    Returns:
        The events in delivery order.

    """
    if payload.get("object") != "page":
        return []
    events = []
    for entry in _dicts(payload.get("entry")):
        page_id = _id(entry.get("id"))
        for messaging in _dicts(entry.get("messaging")):
            event = parse_messaging_event(messaging, page_id)
            if event is not None:
                events.append(event)
    return events


def parse_messaging_event(
    messaging: Mapping[str, Any], page_id: str | None = None
) -> MessengerEvent | None:
    """Turn one ``messaging`` item into an event, or ``None`` if it is no user input.

    Args:
        messaging: One item of ``entry[].messaging``.
        page_id: The entry's page id.

    Returns:
        The event, or ``None``.

    """
    sender = messaging.get("sender")
    sender_id = _id(sender.get("id")) if isinstance(sender, dict) else None
    if sender_id is None:
        return None
    message, postback = messaging.get("message"), messaging.get("postback")
    if isinstance(message, dict):
        if message.get("is_echo"):
            return None
        mid = _id(message.get("mid"))
        quick = message.get("quick_reply")
        if isinstance(quick, dict) and isinstance(quick.get("payload"), str):
            return MessengerEvent(sender_id, quick["payload"], "quick_reply", mid, page_id)
        files = _files(message.get("attachments"))
        stamp = messaging.get("timestamp")
        moment = stamp / 1000 if isinstance(stamp, (int, float)) and stamp > 0 else None
        if isinstance(message.get("text"), str):
            return MessengerEvent(sender_id, message["text"], "text", mid, page_id, files, moment)
        if files:
            return MessengerEvent(sender_id, "", "attachment", mid, page_id, files, moment)
        return None
    if isinstance(postback, dict) and isinstance(postback.get("payload"), str):
        mid = _id(postback.get("mid"))
        return MessengerEvent(sender_id, postback["payload"], "postback", mid, page_id)
    return None


def _files(value: object) -> tuple[MessengerFile, ...]:
    """Return the files of ``message.attachments`` (a sticker, ``sticker_id``, is none)."""
    files = []
    for item in _dicts(value)[:10]:
        payload = item.get("payload")
        if item.get("type") not in ATTACHMENT_KINDS or not isinstance(payload, dict):
            continue
        url = payload.get("url")
        if "sticker_id" in payload or not isinstance(url, str) or not url.startswith("https://"):
            continue
        files.append(MessengerFile(str(item["type"]), url[:2000]))
    return tuple(files)


def _dicts(value: object) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _id(value: object) -> str | None:
    if isinstance(value, (str, int)) and not isinstance(value, bool) and str(value):
        return str(value)
    return None
