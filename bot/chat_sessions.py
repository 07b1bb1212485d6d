"""Server-issued, signed chat sessions for the website chat.

A chat session is a random ``session_id`` plus a ``session_token`` that proves
the server issued that id and says until when it is valid::

    session_token = "v1.<expires_at>.<hex HMAC-SHA256(secret, "v1|<session_id>|<expires_at>")>"

The website widget keeps both values (e.g. in ``sessionStorage``) and presents
them again when it reconnects. Anyone who only knows or guesses a session id
cannot produce a valid token for it, so they cannot join that conversation.

Settings (environment):
    CHAT_SESSION_SECRET: signing key, at least 32 characters. Required. Generate
        one with ``python -c "import secrets; print(secrets.token_urlsafe(48))"``.
    CHAT_SESSION_TTL_SECONDS: lifetime of a token in seconds (default 86400).

This module deliberately has no Rasa imports so other services (e.g. the demo
website backend) can issue or check sessions too.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

SECRET_ENV_VAR = "CHAT_SESSION_SECRET"
TTL_ENV_VAR = "CHAT_SESSION_TTL_SECONDS"
DEFAULT_TTL_SECONDS = 24 * 60 * 60
MIN_SECRET_LENGTH = 32

_TOKEN_VERSION = "v1"
_SESSION_ID_PATTERN = re.compile(r"[0-9a-f]{32}")
_TOKEN_PATTERN = re.compile(r"v1\.([0-9]{1,12})\.([0-9a-f]{64})")


class ChatSessionConfigError(RuntimeError):
    """Raised when the chat session settings are missing or unusable."""


@dataclass(frozen=True)
class ChatSession:
    """A session the server issued.

    Attributes:
        session_id: Random identifier; also the Rasa conversation (sender) id.
        session_token: Signature binding ``session_id`` to ``expires_at``.
        expires_at: Unix time (seconds) after which the token is rejected.

    """

    session_id: str
    session_token: str
    expires_at: int

    def as_dict(self) -> dict[str, str | int]:
        """Return the JSON-serialisable form sent to the browser."""
        return {
            "session_id": self.session_id,
            "session_token": self.session_token,
            "expires_at": self.expires_at,
        }


class ChatSessionSigner:
    """Issues chat sessions and verifies the tokens presented for them."""

    def __init__(
        self,
        secret: str | bytes,
        ttl_seconds: int = DEFAULT_TTL_SECONDS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """Create a signer.

        Args:
            secret: HMAC key, at least ``MIN_SECRET_LENGTH`` characters.
            ttl_seconds: Lifetime of issued tokens.
            clock: Returns the current Unix time; injectable for tests.

        Raises:
            ChatSessionConfigError: If the secret is too short or the TTL not positive.

        """
        key = secret.encode("utf-8") if isinstance(secret, str) else secret
        if len(key) < MIN_SECRET_LENGTH:
            raise ChatSessionConfigError(
                f"{SECRET_ENV_VAR} must be at least {MIN_SECRET_LENGTH} characters long."
            )
        if ttl_seconds <= 0:
            raise ChatSessionConfigError(f"{TTL_ENV_VAR} must be a positive number.")
        self._key = key
        self._ttl_seconds = ttl_seconds
        self._clock = clock

    def __repr__(self) -> str:
        return f"ChatSessionSigner(secret='**********', ttl_seconds={self._ttl_seconds})"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> ChatSessionSigner:
        """Build a signer from ``CHAT_SESSION_SECRET`` / ``CHAT_SESSION_TTL_SECONDS``.

        Args:
            environ: Environment to read; defaults to ``os.environ``.

        Returns:
            The configured signer.

        Raises:
            ChatSessionConfigError: If the secret is missing or a setting is invalid.

        """
        env = os.environ if environ is None else environ
        secret = env.get(SECRET_ENV_VAR, "")
        if not secret:
            raise ChatSessionConfigError(f"Environment variable {SECRET_ENV_VAR} is not set.")
        raw_ttl = env.get(TTL_ENV_VAR, str(DEFAULT_TTL_SECONDS))
        try:
            ttl_seconds = int(raw_ttl)
        except ValueError as error:
            raise ChatSessionConfigError(f"{TTL_ENV_VAR} must be an integer.") from error
        return cls(secret, ttl_seconds=ttl_seconds)

    def issue(self, session_id: str | None = None) -> ChatSession:
        """Issues a session: a new random id, or a fresh token for a verified id.

        Args:
            session_id: Only pass an id that was verified with ``verify`` (used to
                extend a valid session); ``None`` creates a new session.

        Returns:
            The signed session.

        Raises:
            ValueError: If ``session_id`` is not of the issued form (32 hex digits).

        """
        if session_id is not None and not _SESSION_ID_PATTERN.fullmatch(session_id):
            raise ValueError("session_id must be 32 lowercase hex digits")
        new_id = session_id if session_id is not None else secrets.token_hex(16)
        expires_at = int(self._clock()) + self._ttl_seconds
        token = f"{_TOKEN_VERSION}.{expires_at}.{self._sign(new_id, expires_at)}"
        return ChatSession(session_id=new_id, session_token=token, expires_at=expires_at)

    def verify(self, session_id: object, session_token: object) -> bool:
        """Check that ``session_token`` was issued for ``session_id`` and is unexpired.

        Args:
            session_id: Id presented by the client (any type; non-strings fail).
            session_token: Token presented by the client (any type; non-strings fail).

        Returns:
            ``True`` only for a well-formed, correctly signed, unexpired token.

        """
        if not isinstance(session_id, str) or not isinstance(session_token, str):
            return False
        if not _SESSION_ID_PATTERN.fullmatch(session_id):
            return False
        match = _TOKEN_PATTERN.fullmatch(session_token)
        if match is None:
            return False
        expires_at = int(match.group(1))
        expected = self._sign(session_id, expires_at)
        if not hmac.compare_digest(expected.encode("ascii"), match.group(2).encode("ascii")):
            return False
        return self._clock() < expires_at

    def _sign(self, session_id: str, expires_at: int) -> str:
        message = f"{_TOKEN_VERSION}|{session_id}|{expires_at}".encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()
