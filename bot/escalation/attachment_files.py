"""What a customer's file must be before it reaches an agent: its type by content, its size.

The type a browser declares is only a claim (any file can be sent as
``image/png``), so a file's type is read from its first bytes (the "magic
numbers" of JPEG, PNG and PDF); the declared type must agree with it. Nothing
is ever decoded or rendered on the server.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from bot.settings import SettingsError

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
DEFAULT_MAX_PER_ESCALATION = 20
DEFAULT_TYPES = ("image/jpeg", "image/png", "application/pdf")

_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"%PDF-", "application/pdf"),
)
_EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}
_UNSAFE_NAME = re.compile(r"[^\w .()+-]+")
MAX_NAME_LENGTH = 120


def sniff_type(head: bytes) -> str | None:
    """Return the type of a file by its first bytes (JPEG, PNG, PDF), or ``None``."""
    for signature, content_type in _SIGNATURES:
        if head.startswith(signature):
            return content_type
    return None


def kind_of(content_type: str) -> str:
    """Return ``image`` or ``file`` (how the desk shows it)."""
    return "image" if content_type.startswith("image/") else "file"


def safe_filename(raw: str | None, content_type: str) -> str:
    """Return a short, printable file name with the extension of the real type.

    Path parts, control characters and anything unusual are dropped; what is
    left is only ever shown as text and sent in a quoted header.
    """
    name = unicodedata.normalize("NFC", raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE_NAME.sub("_", name).strip(" ._")
    stem = name.rsplit(".", 1)[0] if "." in name else name
    extension = _EXTENSIONS.get(content_type, "bin")
    stem = stem[: MAX_NAME_LENGTH - len(extension) - 1] or "anhang"
    return f"{stem}.{extension}"


@dataclass(frozen=True)
class AttachmentLimits:
    """Which files customers may send to an agent, and how large.

    Attributes:
        max_bytes: Largest accepted file (CHAT_ATTACHMENT_MAX_BYTES, default 5 MB).
        types: Accepted types (CHAT_ATTACHMENT_TYPES, comma-separated; a subset
            of JPEG, PNG and PDF, the types recognised by their content).
        max_per_escalation: Files one escalation takes at most
            (CHAT_ATTACHMENT_MAX_PER_ESCALATION, default 20), so one chat cannot
            fill the database.

    """

    max_bytes: int = DEFAULT_MAX_BYTES
    types: tuple[str, ...] = DEFAULT_TYPES
    max_per_escalation: int = DEFAULT_MAX_PER_ESCALATION

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> AttachmentLimits:
        """Read the limits from the environment.

        Raises:
            SettingsError: A size that is no positive integer, or a type we cannot recognise.

        """
        max_bytes = _positive(env, "CHAT_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES)
        per_escalation = _positive(
            env, "CHAT_ATTACHMENT_MAX_PER_ESCALATION", DEFAULT_MAX_PER_ESCALATION
        )
        raw_types = env.get("CHAT_ATTACHMENT_TYPES") or ",".join(DEFAULT_TYPES)
        types = tuple(t.strip().lower() for t in raw_types.split(",") if t.strip())
        unknown = [t for t in types if t not in DEFAULT_TYPES]
        if unknown or not types:
            raise SettingsError(
                f"CHAT_ATTACHMENT_TYPES: only {', '.join(DEFAULT_TYPES)} can be checked, "
                f"not {', '.join(unknown) or 'nothing'}"
            )
        return cls(max_bytes=max_bytes, types=types, max_per_escalation=per_escalation)

    def describe(self) -> str:
        """Return the limits for a message: ``JPEG, PNG, PDF bis 5 MB``."""
        names = ", ".join(_EXTENSIONS[t].upper().replace("JPG", "JPEG") for t in self.types)
        megabytes = self.max_bytes / (1024 * 1024)
        size = f"{megabytes:.0f} MB" if megabytes >= 1 else f"{self.max_bytes // 1024} KB"
        return f"{names} bis {size}"


def _positive(env: Mapping[str, str], key: str, default: int) -> int:
    raw = env.get(key) or str(default)
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{key} must be a whole number") from None
    if value <= 0:
        raise SettingsError(f"{key} must be positive")
    return value
