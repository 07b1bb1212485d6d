"""Browsers may call the Rasa server only from the website origins (RASA_CORS_ORIGINS)."""

from __future__ import annotations

import httpx
import pytest
import socketio

from tests.conftest import WEBSITE_ORIGINS

pytestmark = [pytest.mark.model, pytest.mark.e2e]

FOREIGN = "https://evil.example"


def test_http_api_answers_cors_only_for_the_website(rasa_server) -> None:
    foreign = httpx.get(f"{rasa_server.url}/", headers={"Origin": FOREIGN}, timeout=10)
    assert "access-control-allow-origin" not in foreign.headers
    for origin in WEBSITE_ORIGINS:
        allowed = httpx.get(f"{rasa_server.url}/", headers={"Origin": origin}, timeout=10)
        assert allowed.headers.get("access-control-allow-origin") == origin


def test_a_preflight_from_a_foreign_origin_gets_no_permission(rasa_server) -> None:
    preflight = httpx.options(
        f"{rasa_server.url}/webhooks/rest/webhook",
        headers={
            "Origin": FOREIGN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type",
        },
        timeout=10,
    )
    assert "access-control-allow-origin" not in preflight.headers


async def connects(rasa_server, origin: str) -> bool:
    client = socketio.AsyncClient(reconnection=False)
    try:
        await client.connect(
            rasa_server.url, headers={"Origin": origin}, transports=["polling"], wait_timeout=10
        )
    except socketio.exceptions.ConnectionError:
        return False
    await client.disconnect()
    return True


async def test_the_website_chat_connects_only_from_the_website(rasa_server) -> None:
    assert not await connects(rasa_server, FOREIGN)
    assert await connects(rasa_server, WEBSITE_ORIGINS[0])
