"""Browsers may call the Rasa server only from the website origins (RASA_CORS_ORIGINS)."""

from __future__ import annotations

import httpx
import pytest

from tests.conftest import WEBSITE_ORIGINS

pytestmark = [pytest.mark.model, pytest.mark.e2e]

FOREIGN = "https://evil.example"
HANDSHAKE = "/socket.io/?EIO=4&transport=polling"


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


def test_the_website_chat_connects_only_from_the_website(rasa_server) -> None:
    foreign = httpx.get(f"{rasa_server.url}{HANDSHAKE}", headers={"Origin": FOREIGN}, timeout=10)
    assert foreign.status_code == 400
    allowed = httpx.get(
        f"{rasa_server.url}{HANDSHAKE}", headers={"Origin": WEBSITE_ORIGINS[0]}, timeout=10
    )
    assert allowed.status_code == 200 and '"sid"' in allowed.text
