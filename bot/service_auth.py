"""Bearer tokens between our own services (Rasa -> action server, integrations -> REST channel)."""

from __future__ import annotations

import hmac

_BEARER = "bearer "


def bearer_token_matches(authorization: str | None, expected: str) -> bool:
    """Check an ``Authorization: Bearer <token>`` header against ``expected`` in constant time.

    Args:
        authorization: The header as received, if any.
        expected: The shared secret; an empty one matches nothing.

    Returns:
        ``True`` if the header carries exactly ``expected``.

    """
    if not expected or not authorization or authorization[: len(_BEARER)].lower() != _BEARER:
        return False
    presented = authorization[len(_BEARER) :].strip().encode("utf-8")
    return hmac.compare_digest(presented, expected.encode("utf-8"))
