"""Personal data never reaches a log above DEBUG: every record is masked as it is made.

Rasa, the Rasa SDK, Sanic, uvicorn and our own modules log through the
standard :mod:`logging` module (Python warnings, which Rasa uses to report
odd messages, are routed into it); :func:`install` replaces its record factory,
so the masking applies to every logger and every handler of the process,
including handlers configured later (Rasa sets up its own). Records at
DEBUG and below are left alone: they are off in production and needed
while developing.

What is masked (:func:`mask`):

* identifiers by their shape: customer numbers, e-mail addresses, phone
  numbers, VINs, JSON web tokens, bearer tokens and other long secrets;
* values by their key, in ``key=value``, JSON and Python
  reprs: message text, names, addresses, sender and conversation ids,
  tokens and passwords (:data:`SENSITIVE_KEYS`);
* a quoted message after the word "message" or "text" (exceptions that
  quote the customer);
* names after a salutation ("Frau Anna Schmidt").

The message is formatted and masked once, the exception text too
(formatters reuse ``exc_text``), so no handler can print the original.
"""

from __future__ import annotations

import logging
import re
import traceback
from collections.abc import Callable
from typing import Any

MASK = "[redacted]"
MAX_MESSAGE_CHARACTERS = 4000
"""A longer log message is cut (a 1 MB customer message is never logged whole)."""
MAX_TRACEBACK_CHARACTERS = 20000
"""A longer traceback keeps its end, where the error is."""

SENSITIVE_KEYS = (
    "text",
    "message",
    "message_text",
    "user_message",
    "name",
    "first_name",
    "last_name",
    "full_name",
    "display_name",
    "addressee",
    "street",
    "city",
    "postal_code",
    "email",
    "e_mail",
    "phone",
    "sender",
    "sender_id",
    "recipient_id",
    "conversation_id",
    "customer_number",
    "verified_customer_number",
    "customer_token",
    "token",
    "access_token",
    "auth_token",
    "password",
    "secret",
    "authorization",
    "new_email",
    "new_phone",
    "new_street",
    "old_value",
    "new_value",
)
"""Keys whose values are personal or secret, whatever they look like."""

_KEYS = "|".join(sorted(SENSITIVE_KEYS, key=len, reverse=True))
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # "key": "value" / 'key': 'value' (JSON, dict reprs)
    (
        re.compile(rf"""(?i)(["']({_KEYS})["']\s*:\s*)(["'])(?:\\.|(?!\3).)*\3"""),
        rf"\1\3{MASK}\3",
    ),
    # key='value' / key="value" (pydantic and dataclass reprs)
    (re.compile(rf"""(?i)\b(({_KEYS})\s*=\s*)(["'])(?:\\.|(?!\3).)*\3"""), rf"\1\3{MASK}\3"),
    # key=value, unquoted, up to the next separator
    (re.compile(rf"""(?i)\b(({_KEYS})\s*=\s*)(?!["'\[{{(])[^\s,;&)}}\]]+"""), rf"\1{MASK}"),
    # a quoted message after the word (Rasa: "handling user message '...'"), to the line's end
    (
        re.compile(r"""(?i)(?<!["'])\b(message|text|utterance)(\s*:?\s+)(["'])[^\n]*\3"""),
        rf"\1\2\3{MASK}\3",
    ),
    (re.compile(r"(?i)\bBearer\s+[A-Za-z0-9._~+/=-]+"), f"Bearer {MASK}"),
    (re.compile(r"\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*"), MASK),
    (re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"), MASK),
    (re.compile(r"(?i)(?<![\w-])K\s?[-–]?\s?\d{6}(?!\d)"), MASK),
    (re.compile(r"\b[A-HJ-NPR-Z0-9]{17}\b"), MASK),
    (re.compile(r"(?<![\w.])(?:\+|00)\d[\d ()/-]{6,}\d"), MASK),
    (re.compile(r"(?<![\w.:])0\d{2,4}[ /-]?\d{3,}(?:[ -]?\d+)*"), MASK),
    # long secrets: hex, or base64url with letters and digits (not long identifiers)
    (re.compile(r"\b[A-Fa-f0-9]{32,}\b|\b(?=[\w-]*\d)(?=[\w-]*[A-Za-z])[\w-]{40,}\b"), MASK),
    (
        re.compile(
            r"\b(Herr|Frau|Herrn|Dr\.|Mr\.?|Mrs\.?|Ms\.?)\s+"
            r"[A-ZÄÖÜ][\w'-]+(?:\s+[A-ZÄÖÜ][\w'-]+)*"
        ),
        rf"\1 {MASK}",
    ),
)


def mask(text: str) -> str:
    """Return ``text`` with personal data and secrets replaced by ``[redacted]``."""
    if len(text) > MAX_MESSAGE_CHARACTERS:
        text = f"{text[:MAX_MESSAGE_CHARACTERS]} [... {len(text) - MAX_MESSAGE_CHARACTERS} cut]"
    return _masked(text)


def _masked(text: str) -> str:
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def mask_record(record: logging.LogRecord) -> logging.LogRecord:
    """Mask a record in place (message, arguments, exception and stack text); DEBUG is kept."""
    if record.levelno <= logging.DEBUG or getattr(record, "_masked", False):
        return record
    try:
        message = record.getMessage()
    except Exception:  # a broken format string: keep what can be shown safely
        message = f"{record.msg!s} (unformattable arguments)"
    masked = mask(message)
    if masked != message:
        # Keep the arguments where a formatter needs them (uvicorn's access log
        # unpacks them) as long as masking them one by one masks the message.
        args = _masked_args(record)
        if args is not None:
            record.args = args
        else:
            record.msg, record.args = masked, None
    if record.exc_info and record.exc_info[0] is not None:
        text = "".join(traceback.format_exception(*record.exc_info)).rstrip()
        cut = len(text) - MAX_TRACEBACK_CHARACTERS
        if cut > 0:
            text = f"[{cut} cut ...] {text[cut:]}"
        record.exc_text = _masked(text)
        record.exc_info = None
    if record.stack_info:
        record.stack_info = mask(record.stack_info)
    record._masked = True
    return record


def _masked_args(record: logging.LogRecord) -> tuple[Any, ...] | None:
    """Return the record's arguments masked one by one, or None when that is not enough."""
    if not isinstance(record.args, tuple) or not record.args:
        return None
    args = tuple(mask(arg) if isinstance(arg, str) else arg for arg in record.args)
    try:
        message = str(record.msg) % args
    except Exception:  # the format needs what masking changed
        return None
    return args if mask(message) == message else None


_installed: list[Callable[..., logging.LogRecord]] = []


def install() -> None:
    """Mask every log record of this process from now on (idempotent)."""
    if _installed:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        return mask_record(previous(*args, **kwargs))

    _installed.append(previous)
    logging.setLogRecordFactory(factory)
    # Python warnings (Rasa reports odd messages with them) become log records too
    logging.captureWarnings(True)


def uninstall() -> None:
    """Restore the record factory :func:`install` replaced (tests)."""
    if _installed:
        logging.setLogRecordFactory(_installed.pop())
        logging.captureWarnings(False)
