"""Agents' passwords (scrypt) and tokens (signed, expiring, audience-bound)."""

from __future__ import annotations

import jwt
import pytest

from bot.escalation.auth import (
    InvalidToken,
    check_password_rules,
    hash_password,
    issue_agent_token,
    read_agent_token,
    verify_password,
)

SECRET = "s" * 40


def test_passwords_are_salted_hashes() -> None:
    first, second = hash_password("geheim-genug-1"), hash_password("geheim-genug-1")
    assert first != second and first.startswith("scrypt$") and "geheim" not in first
    assert verify_password("geheim-genug-1", first)
    assert not verify_password("geheim-genug-2", first)
    assert not verify_password("geheim-genug-1", "garbage")


def test_password_rules() -> None:
    with pytest.raises(ValueError, match="at least 8"):
        check_password_rules("kurz")


def test_a_token_names_its_agent() -> None:
    claims = read_agent_token(issue_agent_token(7, "keller", SECRET, 60), SECRET)
    assert (claims.agent_id, claims.username) == (7, "keller")


def test_expired_forged_and_foreign_tokens_are_rejected() -> None:
    with pytest.raises(InvalidToken):
        read_agent_token(issue_agent_token(7, "keller", SECRET, -1), SECRET)
    with pytest.raises(InvalidToken):
        read_agent_token(issue_agent_token(7, "keller", "x" * 40, 60), SECRET)
    customer_token = jwt.encode(
        {"sub": "K-100001", "exp": 9_999_999_999}, SECRET, algorithm="HS256"
    )
    with pytest.raises(InvalidToken):
        read_agent_token(customer_token, SECRET)
    with pytest.raises(InvalidToken):
        read_agent_token("not-a-token", SECRET)
