"""Signed customer tokens: how a website that knows its logged-in customer says so.

The website puts ``{"customer_token": "<JWT>"}`` into the chat metadata. The
token is a JWT signed with HS256 and ``CUSTOMER_TOKEN_SECRET``; ``sub`` is the
customer number, ``exp`` is required. Anything else - expired, forged, another
algorithm, no expiry, a malformed customer number - is rejected and never
trusted.
"""

from __future__ import annotations

import logging
import time

import jwt

from bot.crm.identifiers import normalize_customer_number

logger = logging.getLogger(__name__)

ALGORITHM = "HS256"
DEFAULT_TTL_SECONDS = 3600
MINIMUM_SECRET_LENGTH = 32


def issue_customer_token(
    customer_number: str, secret: str, ttl_seconds: int = DEFAULT_TTL_SECONDS
) -> str:
    """Return a token saying the bearer is logged in as ``customer_number``.

    Raises:
        ValueError: the customer number is malformed or the secret too short.

    """
    number = normalize_customer_number(customer_number)
    if number is None:
        raise ValueError(f"not a customer number: {customer_number!r}")
    _check_secret(secret)
    now = int(time.time())
    claims = {"sub": number, "iat": now, "exp": now + ttl_seconds}
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def verify_customer_token(token: object, secret: str) -> str | None:
    """Return the customer number of a valid token, else ``None`` (with a log line)."""
    if not isinstance(token, str) or not token:
        return None
    try:
        _check_secret(secret)
        claims = jwt.decode(
            token, secret, algorithms=[ALGORITHM], options={"require": ["exp", "sub"]}
        )
    except (jwt.InvalidTokenError, ValueError) as error:
        logger.warning("Ignoring customer token: %s", error)
        return None
    number = normalize_customer_number(str(claims["sub"]))
    if number is None:
        logger.warning("Ignoring customer token with a malformed subject")
    return number


def _check_secret(secret: str) -> None:
    if len(secret or "") < MINIMUM_SECRET_LENGTH:
        raise ValueError(
            f"CUSTOMER_TOKEN_SECRET must be at least {MINIMUM_SECRET_LENGTH} characters"
        )
