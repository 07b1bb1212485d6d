"""Agents' passwords (scrypt, salted) and signed, expiring bearer tokens (JWT HS256).

Passwords are stored as ``scrypt$n$r$p$<salt hex>$<hash hex>`` and compared
in constant time. The cost follows OWASP's Password Storage Cheat Sheet
(2023+): N=2^14, r=8, p=5, one of its equivalent scrypt settings, chosen for
16 MiB of memory per hash instead of 128 MiB with N=2^17, p=1. A hash stored
with other parameters still verifies (they are part of it) and is replaced
at the next successful login (:func:`needs_rehash`).

A token names the agent (``sub`` = agent id, ``name`` = username), carries
the agent's token generation (``gen``; raised by logout, password reset and
disabling, so older tokens stop working at once) and expires (``exp``);
the audience ``nordlicht-agent-desk`` keeps customer tokens (signed with
another secret anyway) out.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass

import jwt

ALGORITHM = "HS256"
AUDIENCE = "nordlicht-agent-desk"
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 5
MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 256


class InvalidToken(Exception):
    """A bearer token is missing, forged, expired or malformed."""


@dataclass(frozen=True)
class AgentClaims:
    """Who a valid token belongs to."""

    agent_id: int
    username: str
    generation: int = 0


def check_password_rules(password: str) -> None:
    """Reject passwords that are too short or too long.

    Raises:
        ValueError: The password breaks a rule.

    """
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"the password needs at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise ValueError(f"the password may have at most {MAX_PASSWORD_LENGTH} characters")


def hash_password(password: str) -> str:
    """Return a salted scrypt hash of ``password``."""
    salt = secrets.token_bytes(16)
    digest = _scrypt(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    """Tell whether ``password`` matches the stored hash (constant-time)."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        given = _scrypt(password, bytes.fromhex(salt), int(n), int(r), int(p))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(given, bytes.fromhex(digest))


def needs_rehash(stored: str) -> bool:
    """Tell whether a stored hash was made with other parameters than :func:`hash_password` uses."""
    parts = stored.split("$")
    return len(parts) != 6 or parts[:4] != ["scrypt", str(SCRYPT_N), str(SCRYPT_R), str(SCRYPT_P)]


def issue_agent_token(
    agent_id: int, username: str, secret: str, ttl_seconds: int, generation: int = 0
) -> str:
    """Return a bearer token for the agent, valid for ``ttl_seconds`` and this generation."""
    now = int(time.time())
    claims = {
        "sub": str(agent_id),
        "name": username,
        "gen": generation,
        "aud": AUDIENCE,
        "iat": now,
        "exp": now + ttl_seconds,
    }
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def read_agent_token(token: str, secret: str) -> AgentClaims:
    """Return the agent a token names.

    Raises:
        InvalidToken: The token is forged, expired or malformed.

    """
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            audience=AUDIENCE,
            options={"require": ["exp", "sub", "aud"]},
        )
        return AgentClaims(
            int(claims["sub"]), str(claims.get("name", "")), int(claims.get("gen", 0))
        )
    except (jwt.InvalidTokenError, ValueError, KeyError) as error:
        raise InvalidToken(str(error)) from None


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=64 * 1024 * 1024, dklen=32
    )
