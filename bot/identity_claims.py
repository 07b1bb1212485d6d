"""The verified identity of a conversation as a claim the action server signs.

A slot saying ``verified_customer_number: K-100001`` is only a value in a
tracker; whoever can write the tracker (a forged action call, a leaked API
token, a bug in a slot mapping) could name any customer. So when the
verification succeeds, the action server also stores a claim: an HMAC over
the conversation id and the customer number. Before any personal read or
write the actions check it; a number without a valid claim for this
conversation counts as "not verified". The key (IDENTITY_CLAIM_SECRET) never
leaves the action server.

    claim = "v1." + hex(HMAC-SHA256(secret, "v1|<conversation id>|<customer number>"))

No Rasa imports.
"""

from __future__ import annotations

import hashlib
import hmac

from bot.settings import Secret, strong_secret

_VERSION = "v1"


class IdentitySigner:
    """Signs and checks identity claims.

    Args:
        secret: IDENTITY_CLAIM_SECRET, at least 32 characters.

    Raises:
        SettingsError: The secret is missing or too short.

    """

    def __init__(self, secret: Secret | None) -> None:
        secret = strong_secret(
            secret, "IDENTITY_CLAIM_SECRET", "the action server signs verified identities with it"
        )
        self._key = secret.reveal().encode("utf-8")

    def __repr__(self) -> str:
        return "IdentitySigner(secret='**********')"

    def sign(self, conversation_id: str, customer_number: str) -> str:
        """Return the claim that ``customer_number`` is verified in ``conversation_id``."""
        return f"{_VERSION}.{self._mac(conversation_id, customer_number)}"

    def verify(self, claim: object, conversation_id: str, customer_number: str) -> bool:
        """Check a claim in constant time.

        Args:
            claim: The stored claim (anything: it comes from a tracker).
            conversation_id: The conversation it must be bound to.
            customer_number: The customer it must name.

        Returns:
            ``True`` only for a claim this signer issued for exactly these two values.

        """
        if not isinstance(claim, str) or not claim.startswith(f"{_VERSION}."):
            return False
        expected = self._mac(conversation_id, customer_number).encode("ascii")
        return hmac.compare_digest(claim[len(_VERSION) + 1 :].encode("utf-8"), expected)

    def _mac(self, conversation_id: str, customer_number: str) -> str:
        message = f"{_VERSION}|{conversation_id}|{customer_number}".encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()
