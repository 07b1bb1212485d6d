"""Socket.io output that keeps the sender marks of agent and system messages.

Rasa's ``SocketIOOutput`` emits only ``{"text": ...}`` and drops the
metadata of a ``bot`` event. Messages of a human agent (live takeover) carry
``{"sender": "agent", "agent_name": ...}``, takeover notices ``{"sender":
"system"}``; this output passes them on as ``metadata``, which the website
widget renders as a person's message or a notice (docs/website-widget.md).
"""

from __future__ import annotations

from typing import Any

from rasa.core.channels.socketio import SocketIOOutput

SENDER_KEYS = ("sender", "agent_name")


def sender_marks(kwargs: dict[str, Any]) -> dict[str, Any]:
    """Return the agent/system marks of a bot message (empty for the bot's own)."""
    if kwargs.get("sender") not in ("agent", "system"):
        return {}
    return {key: kwargs[key] for key in SENDER_KEYS if kwargs.get(key)}


class MarkedSocketIOOutput(SocketIOOutput):
    """``SocketIOOutput`` whose text messages keep the sender marks."""

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        """Send text; agent and system messages carry ``metadata`` with the sender."""
        marks = sender_marks(kwargs)
        if not marks:
            await super().send_text_message(recipient_id, text, **kwargs)
            return
        for part in text.strip().split("\n\n"):
            await self._send_message(recipient_id, {"text": part, "metadata": marks})
