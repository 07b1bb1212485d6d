"""Messenger as Meta speaks it, for the channel tests: constants, signed deliveries, a driver."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx
from rasa.core.channels.channel import UserMessage

from bot.channels.facebook import MessengerInput

APP_SECRET = "meta-app-secret-for-tests"
VERIFY_TOKEN = "nordlicht-verify"
PAGE_TOKEN = "EAAG-page-access-token"
PAGE_ID = "105000000000001"
PSID = "6200000000000001"
OTHER_PSID = "6200000000000002"

Handler = Callable[[UserMessage], Awaitable[None]]


def sign(body: bytes, secret: str = APP_SECRET, algorithm: str = "sha256") -> str:
    """What Meta puts into X-Hub-Signature(-256): HMAC of the raw body."""
    digest = hmac.new(secret.encode(), body, getattr(hashlib, algorithm)).hexdigest()
    return f"{algorithm}={digest}"


def text_event(text: str, mid: str, psid: str = PSID) -> dict[str, Any]:
    return {
        "sender": {"id": psid},
        "recipient": {"id": PAGE_ID},
        "timestamp": 1_700_000_000_000,
        "message": {"mid": mid, "text": text},
    }


def webhook(*messaging: dict[str, Any]) -> dict[str, Any]:
    return {
        "object": "page",
        "entry": [{"id": PAGE_ID, "time": 1_700_000_000_000, "messaging": list(messaging)}],
    }


async def echo(message: UserMessage) -> None:
    await message.output_channel.send_response(message.sender_id, {"text": f"Echo: {message.text}"})


@dataclass
class Messenger:
    client: httpx.AsyncClient
    channel: MessengerInput
    graph: Any  # SendApiRecorder
    received: list[UserMessage]

    async def post(self, payload: Any, headers: dict[str, str] | None = None) -> httpx.Response:
        body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        if headers is None:
            headers = {"X-Hub-Signature-256": sign(body)}
        headers = {"Content-Type": "application/json", **headers}
        return await self.client.post("/webhooks/facebook/webhook", content=body, headers=headers)

    async def settle(self) -> None:
        await self.channel.drain(timeout=5)
