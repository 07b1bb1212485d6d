"""A failing turn on the REST channel: a polite answer, an error log without the message.

The channel runs on a loopback Sanic server wired like Rasa wires it, with the
real domain's responses; the turn handler raises the way a broken tracker
store or policy would.
"""

from __future__ import annotations

import logging
from types import SimpleNamespace
from urllib.parse import urljoin

import httpx
import pytest
import yaml
from rasa.core.channels.channel import UserMessage
from rasa.shared.exceptions import RasaException

from bot.channels.rest import SecureRestInput
from tests.bot.channels.conftest import new_app, serve
from tests.support.processes import PROJECT_ROOT

TOKEN = "rest-token-for-the-failure-tests-0123456789"
RESPONSES = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))["responses"]
TECHNICAL_PROBLEM = RESPONSES["utter_technical_problem"][0]["text"]


async def failing_turn(message: UserMessage) -> None:
    raise RuntimeError(f"tracker store down while handling {message.text!r}")


async def post_to_channel(on_new_message, text: str) -> httpx.Response:
    channel = SecureRestInput(TOKEN)
    app = new_app("rest")
    app.ctx.agent = SimpleNamespace(domain=SimpleNamespace(responses=RESPONSES))
    app.blueprint(
        channel.blueprint(on_new_message), url_prefix=urljoin("/webhooks/", channel.url_prefix())
    )
    async with serve(app) as base_url, httpx.AsyncClient() as client:
        return await client.post(
            f"{base_url}/webhooks/rest/webhook",
            json={"sender": "k1", "message": text},
            headers={"Authorization": f"Bearer {TOKEN}"},
            timeout=10,
        )


async def test_an_exception_in_the_turn_is_answered_politely_and_logged_without_text(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    answer = await post_to_channel(failing_turn, "Meine IBAN ist DE02120300000000202051")
    assert answer.status_code == 200
    assert answer.json() == [{"recipient_id": "k1", "text": TECHNICAL_PROBLEM}]
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors and "RuntimeError" in errors[0].getMessage()
    assert "DE02120300000000202051" not in caplog.text


async def test_a_turn_without_failure_keeps_the_bot_messages() -> None:
    async def greet(message: UserMessage) -> None:
        await message.output_channel.send_text_message(message.sender_id, "Guten Tag!")

    answer = await post_to_channel(greet, "Hallo")
    assert answer.json() == [{"recipient_id": "k1", "text": "Guten Tag!"}]


def test_the_channel_refuses_to_start_without_a_token() -> None:
    with pytest.raises(RasaException):
        SecureRestInput.from_credentials({"token": ""})
    with pytest.raises(RasaException):
        SecureRestInput.from_credentials(None)
