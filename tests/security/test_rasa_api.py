"""Rasa's HTTP API takes its token in a header (a JWT), never in the query string."""

from __future__ import annotations

import time

import httpx
import jwt
import pytest

from tests.e2e.chat import Chat
from tests.support.processes import rasa_api_auth

pytestmark = [pytest.mark.model, pytest.mark.e2e]


def admin_jwt(secret: str, expires_in: float = 60) -> str:
    claims = {"user": {"username": "x", "role": "admin"}, "exp": int(time.time() + expires_in)}
    return jwt.encode(claims, secret, algorithm="HS256")


def tracker_status(rasa_server, sender: str, **request) -> int:
    url = f"{rasa_server.url}/conversations/{sender}/tracker"
    return httpx.get(url, timeout=10, **request).status_code


def test_the_tracker_needs_a_signed_bearer_token(rasa_server) -> None:
    chat = Chat(rasa_server)
    chat.say("Hallo")
    ok = rasa_api_auth(rasa_server.jwt_secret)
    assert tracker_status(rasa_server, chat.sender, headers=ok) == 200
    assert tracker_status(rasa_server, chat.sender) == 401


@pytest.mark.parametrize("where", ["secret", "jwt"])
def test_a_token_in_the_query_string_is_not_accepted(rasa_server, where: str) -> None:
    token = rasa_server.jwt_secret if where == "secret" else admin_jwt(rasa_server.jwt_secret)
    assert tracker_status(rasa_server, "anyone", params={"token": token}) == 401


def test_forged_and_expired_tokens_are_refused(rasa_server) -> None:
    forged = {"Authorization": f"Bearer {admin_jwt('not-the-secret-0123456789abcdef')}"}
    # sanic-jwt allows 3 minutes of clock skew; ours live one minute
    expired = {"Authorization": f"Bearer {admin_jwt(rasa_server.jwt_secret, -600)}"}
    assert tracker_status(rasa_server, "anyone", headers=forged) == 401
    assert tracker_status(rasa_server, "anyone", headers=expired) == 401
