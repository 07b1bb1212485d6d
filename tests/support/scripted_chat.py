"""A stand-in Rasa server for the chat widget's browser tests.

It serves our real website channel (``SecureSocketIOInput``: signed sessions,
metadata handling, Rasa's ``SocketIOOutput``) on a Sanic app with the same CORS
set-up as ``rasa run --cors "*"``, but the bot is a script: each customer
message picks a reply that exercises one thing the widget must render - buttons,
an image, links, a human agent's message, text that looks like HTML. Replies
come after a short pause, so the typing indicator can be seen.

Run: ``python -m tests.support.scripted_chat --port 5099 --image-url URL``
(needs CHAT_SESSION_SECRET in the environment; ``GET /health`` answers 200).
``--polling-only`` refuses WebSocket upgrades, as some proxies do.
"""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.server import configure_cors
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.socketio import SecureSocketIOInput

REPLY_DELAY_SECONDS = 0.6
AGENT = {"sender": "agent", "agent_name": "Frau Keller"}


def replies(text: str, metadata: dict[str, Any], image_url: str) -> list[dict[str, Any]]:
    """Return what the scripted bot answers to ``text``."""
    if text == "Knöpfe":
        return [
            {
                "text": "Soll ich Sie mit einer Mitarbeiterin oder einem Mitarbeiter verbinden?",
                "buttons": [
                    {"title": "Ja, bitte", "payload": "/affirm"},
                    {"title": "Nein, danke", "payload": "/deny"},
                ],
            }
        ]
    if text == "/affirm":
        return [{"text": "Gern, ich verbinde Sie."}]
    if text == "Bild":
        return [{"text": "Hier ist ein Bild:", "image": image_url}]
    if text == "Links":
        return [
            {
                "text": "Termine finden Sie unter https://www.nordlicht.example/service. "
                "Nicht klickbar: javascript:alert(1)"
            }
        ]
    if text == "Mensch":
        return [
            {"agent": "Guten Tag, hier ist Frau Keller aus dem Kundenservice. Ich übernehme gern."}
        ]
    if text == "Token":
        return [{"text": f"customer_token={metadata.get('customer_token', '-')}"}]
    return [{"text": f"Sie schrieben: {text}"}]


def build_app(image_url: str, *, polling_only: bool = False) -> Sanic:
    """Return the Sanic app with the website channel and the scripted bot."""
    app = Sanic("scripted_chat")
    app.config.ACCESS_LOG = False
    configure_cors(app, "*")
    channel = SecureSocketIOInput()
    channel.origins = ["*"]  # any test website may connect (the default: the demo website only)

    async def on_new_message(message: UserMessage) -> None:
        await asyncio.sleep(REPLY_DELAY_SECONDS)
        for reply in replies(message.text or "", message.metadata or {}, image_url):
            if "agent" in reply:
                # What the agent desk sends: one bot_uttered event, marked as from a person.
                assert channel.sio is not None
                payload = {"text": reply["agent"], "metadata": AGENT}
                await channel.sio.emit("bot_uttered", payload, room=message.sender_id)
            else:
                await message.output_channel.send_response(message.sender_id, reply)

    app.blueprint(channel.blueprint(on_new_message), url_prefix="/webhooks/socketio")
    if polling_only:
        assert channel.sio is not None
        channel.sio.eio.transports = ["polling"]  # a WebSocket handshake gets 400

    @app.get("/health")
    async def health(_request: Request) -> HTTPResponse:
        return response.json({"status": "ok"})

    return app


def main() -> None:
    """Run the scripted server until it is stopped."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--image-url", required=True)
    parser.add_argument("--polling-only", action="store_true")
    args = parser.parse_args()
    build_app(args.image_url, polling_only=args.polling_only).run(
        host="127.0.0.1", port=args.port, access_log=False, motd=False, workers=1
    )


if __name__ == "__main__":
    main()
