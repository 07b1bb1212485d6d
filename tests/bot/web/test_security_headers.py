"""The Content-Security-Policy follows the Rasa server's address."""

from __future__ import annotations

import pytest

from bot.web.security_headers import content_security_policy, websocket_origin


@pytest.mark.parametrize(
    ("http_origin", "ws_origin"),
    [
        ("http://localhost:5005", "ws://localhost:5005"),
        ("https://chat.nordlicht.example", "wss://chat.nordlicht.example"),
    ],
)
def test_the_websocket_origin_matches_the_http_origin(http_origin: str, ws_origin: str) -> None:
    assert websocket_origin(http_origin) == ws_origin


@pytest.mark.parametrize("origin", ["ftp://host", "localhost:5005", "javascript:alert(1)"])
def test_only_http_origins_are_accepted(origin: str) -> None:
    with pytest.raises(ValueError, match="not an http"):
        websocket_origin(origin)


def test_connections_go_only_to_the_site_and_the_rasa_server() -> None:
    policy = content_security_policy("https://chat.nordlicht.example")
    assert (
        "connect-src 'self' https://chat.nordlicht.example wss://chat.nordlicht.example" in policy
    )
    assert "script-src 'self';" in policy and "style-src 'self';" in policy
