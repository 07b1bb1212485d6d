import time

import jwt
import pytest

from bot.customer_tokens import issue_customer_token, verify_customer_token

SECRET = "s" * 40


def test_a_valid_token_names_the_normalised_customer() -> None:
    token = issue_customer_token("k100001", SECRET)
    assert verify_customer_token(token, SECRET) == "K-100001"


@pytest.mark.parametrize(
    "token",
    [
        jwt.encode({"sub": "K-100001", "exp": int(time.time()) - 5}, SECRET, algorithm="HS256"),
        jwt.encode({"sub": "K-100001", "exp": int(time.time()) + 60}, "x" * 40, algorithm="HS256"),
        jwt.encode({"sub": "K-100001"}, SECRET, algorithm="HS256"),
        jwt.encode(
            {"sub": "Robert'); DROP", "exp": int(time.time()) + 60}, SECRET, algorithm="HS256"
        ),
        jwt.encode({"sub": "K-100001", "exp": int(time.time()) + 60}, SECRET, algorithm="HS512"),
        "not-a-jwt",
        "",
        None,
        {"sub": "K-100001"},
    ],
    ids=[
        "expired",
        "forged",
        "no-exp",
        "bad-subject",
        "other-alg",
        "garbage",
        "empty",
        "none",
        "dict",
    ],
)
def test_anything_but_a_valid_token_is_ignored(token) -> None:
    assert verify_customer_token(token, SECRET) is None


def test_unsigned_alg_none_token_is_rejected() -> None:
    token = jwt.encode({"sub": "K-100001", "exp": int(time.time()) + 60}, None, algorithm="none")
    assert verify_customer_token(token, SECRET) is None


def test_short_secrets_are_refused() -> None:
    with pytest.raises(ValueError):
        issue_customer_token("K-100001", "short")
    assert verify_customer_token(issue_customer_token("K-100001", SECRET), "short") is None
