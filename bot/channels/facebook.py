"""Facebook Messenger input channel, replacing Rasa's stock ``facebook`` connector.

Register in credentials.yml as ``bot.channels.facebook.MessengerInput`` with
``verify``, ``secret`` and ``page-access-token``; optional keys:
``graph-api-url`` (default ``https://graph.facebook.com/v18.0``),
``message-id-store-url`` (``redis://...`` to share seen message ids between
processes; default in memory) and ``typing-indicator`` (default ``true``).
The webhook stays at ``/webhooks/facebook/webhook``.

Differences to the stock connector: the verification handshake answers 403
to a wrong token; POSTs must carry a valid ``X-Hub-Signature-256`` (SHA-256
only, constant-time check) or get 403, malformed JSON gets 400; every event of
a batched delivery is handled, in order; a re-delivered ``mid`` is handled
once; Meta gets its 200 at once and the bot works in a background task.
Texts are screened like on every channel (``bot.channels.input_guard``).
Files (``message.attachments``: image, video, audio, file) go to the agent of
the conversation's open escalation, or are answered politely
(``bot.channels.messenger_files``); they never vanish.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from contextlib import asynccontextmanager
from typing import Any

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.shared.exceptions import RasaException
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.analytics.turn_metrics import timed
from bot.channels.canned import canned_text
from bot.channels.cluster import cluster_redis_url
from bot.channels.graph_api import DEFAULT_GRAPH_API_URL, GraphSendApi
from bot.channels.input_guard import screen_message
from bot.channels.message_ids import InMemoryMessageIdStore, MessageIdStore, RedisMessageIdStore
from bot.channels.messenger_events import (
    SIGNATURE_HEADER,
    MessengerEvent,
    is_valid_signature,
    parse_webhook,
)
from bot.channels.messenger_files import MessengerFiles
from bot.channels.messenger_output import MessengerOutput

logger = logging.getLogger(__name__)

CHANNEL_METADATA = {"channel": "facebook"}
SHUTDOWN_GRACE_SECONDS = 10.0
OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


class MessengerInput(InputChannel):
    """Hardened Facebook Messenger webhook channel."""

    @classmethod
    def name(cls) -> str:
        """Return ``facebook``, so the webhook is ``/webhooks/facebook/webhook``."""
        return "facebook"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        """Build the channel from its credentials.yml section.

        Args:
            credentials: ``verify``, ``secret``, ``page-access-token`` and optional keys.

        Returns:
            The channel.

        Raises:
            RasaException: If credentials or a required key are missing.

        """
        creds: dict[str, Any] = credentials or {}
        if not creds:
            cls.raise_missing_credentials_exception()
        missing = [key for key in ("verify", "secret", "page-access-token") if not creds.get(key)]
        if missing:
            raise RasaException(f"Facebook channel credentials lack: {', '.join(missing)}.")
        store_url = creds.get("message-id-store-url") or cluster_redis_url()
        return cls(
            fb_verify=creds["verify"],
            fb_secret=creds["secret"],
            fb_access_token=creds["page-access-token"],
            graph_api_url=creds.get("graph-api-url") or DEFAULT_GRAPH_API_URL,
            message_ids=RedisMessageIdStore.from_url(store_url) if store_url else None,
            typing_indicator=_as_bool(creds.get("typing-indicator", True)),
        )

    def __init__(
        self,
        fb_verify: str,
        fb_secret: str,
        fb_access_token: str,
        graph_api_url: str = DEFAULT_GRAPH_API_URL,
        message_ids: MessageIdStore | None = None,
        typing_indicator: bool = True,
        send_api: GraphSendApi | None = None,
        files: MessengerFiles | None = None,
    ) -> None:
        """Create the channel.

        Args:
            fb_verify: Verify token chosen when subscribing the webhook.
            fb_secret: Meta app secret (signs webhook deliveries).
            fb_access_token: Page access token for the Send API.
            graph_api_url: Graph API root including the version.
            message_ids: Store of processed message ids; in memory if ``None``.
            typing_indicator: Show "typing…" while the bot works.
            send_api: Send API client; built from token and URL if ``None``.
            files: Hands customers' files to the bot service; from the settings if ``None``.

        Raises:
            RasaException: If the verify token or app secret is empty.

        """
        if not fb_verify or not fb_secret:
            raise RasaException("Facebook channel needs a verify token and an app secret.")
        self.fb_verify = fb_verify
        self.fb_secret = fb_secret
        self.send_api = send_api or GraphSendApi(fb_access_token, base_url=graph_api_url)
        self.message_ids = message_ids or InMemoryMessageIdStore()
        self.typing_indicator = typing_indicator
        self.files = files or MessengerFiles()
        self._sender_locks = _KeyedLocks()
        self._tasks: set[asyncio.Task[None]] = set()
        self._app: Any = None

    def __repr__(self) -> str:
        return f"MessengerInput(send_api={self.send_api!r}, secret='**********')"

    def get_output_channel(self) -> OutputChannel:
        """Return an output channel for bot-initiated messages."""
        return MessengerOutput(self.send_api)

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        """Define the webhook routes.

        Args:
            on_new_message: Rasa's callback for incoming user messages.

        Returns:
            The blueprint (``/``, ``GET /webhook``, ``POST /webhook``).

        """
        on_new_message = timed("messenger", on_new_message)
        facebook_webhook = Blueprint("facebook_webhook", __name__)

        @facebook_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @facebook_webhook.route("/webhook", methods=["GET"])
        async def verify_subscription(request: Request) -> HTTPResponse:
            if self._is_valid_handshake(request):
                return response.text(request.args.get("hub.challenge"))
            logger.warning("Facebook webhook handshake with a wrong verify token.")
            return response.text("forbidden", status=403)

        @facebook_webhook.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            return await self._receive(request, on_new_message)

        @facebook_webhook.listener("before_server_start")
        async def remember_app(app: Any, _: Any) -> None:
            self._app = app  # the loaded model's domain holds the canned texts

        @facebook_webhook.listener("before_server_stop")
        async def finish_work(*_: Any) -> None:
            await self.drain(SHUTDOWN_GRACE_SECONDS)
            await self.send_api.aclose()
            await self.files.aclose()

        return facebook_webhook

    async def drain(self, timeout: float | None = None) -> None:
        """Wait until the background work of accepted webhooks is done.

        Args:
            timeout: Seconds to wait at most; ``None`` waits indefinitely.

        """
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=timeout)

    def _is_valid_handshake(self, request: Request) -> bool:
        token = request.args.get("hub.verify_token") or ""
        return (
            request.args.get("hub.mode") == "subscribe"
            and request.args.get("hub.challenge") is not None
            and hmac.compare_digest(token.encode("utf-8"), self.fb_verify.encode("utf-8"))
        )

    async def _receive(self, request: Request, on_new_message: OnNewMessage) -> HTTPResponse:
        if not is_valid_signature(
            self.fb_secret, request.body, request.headers.get(SIGNATURE_HEADER)
        ):
            logger.warning("Rejected a Facebook webhook without a valid %s.", SIGNATURE_HEADER)
            return response.text("invalid signature", status=403)
        try:
            payload = json.loads(request.body)
        except ValueError:
            return response.text("malformed JSON", status=400)
        if not isinstance(payload, dict):
            return response.text("malformed JSON", status=400)

        events = [event for event in parse_webhook(payload) if await self._is_new(event)]
        if events:
            metadata = self.get_metadata(request) or {}
            self._run_in_background(self._handle_events(events, metadata, on_new_message))
        return response.text("EVENT_RECEIVED")

    async def _is_new(self, event: MessengerEvent) -> bool:
        if event.message_id is None:
            return True
        if await self.message_ids.first_seen(event.message_id):
            return True
        logger.info("Skipping a re-delivered Facebook message.")
        return False

    def _run_in_background(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _handle_events(
        self, events: list[MessengerEvent], metadata: dict[str, Any], on_new_message: OnNewMessage
    ) -> None:
        for event in events:
            async with self._sender_locks.hold(event.sender_id):
                await self._handle_event(event, metadata, on_new_message)

    async def _handle_event(
        self, event: MessengerEvent, metadata: dict[str, Any], on_new_message: OnNewMessage
    ) -> None:
        output = MessengerOutput(self.send_api)
        if event.files:
            answer = await self.files.forward(event)
            if answer is not None:
                await output.send_text_message(event.sender_id, canned_text(self._app, answer))
            if event.kind == "attachment":
                return
        screened = screen_message(event.text)
        if not screened.accepted:
            assert screened.refusal is not None
            logger.info(
                "Answered a Facebook message of %d characters with %s.",
                screened.length,
                screened.refusal,
            )
            await output.send_text_message(
                event.sender_id, canned_text(self._app, screened.refusal)
            )
            return
        message_metadata = {**metadata, **CHANNEL_METADATA}
        if event.page_id:
            message_metadata["page_id"] = event.page_id
        if self.typing_indicator:
            await output.send_action(event.sender_id, "typing_on")
        try:
            await on_new_message(
                UserMessage(
                    screened.text,
                    output,
                    event.sender_id,
                    input_channel=self.name(),
                    message_id=event.message_id,
                    metadata=message_metadata,
                )
            )
        except Exception:
            logger.exception("Failed to handle a Facebook message.")
        if self.typing_indicator and output.messages_sent == 0:
            await output.send_action(event.sender_id, "typing_off")


def _as_bool(value: object) -> bool:
    """Read a YAML flag that may arrive as a string (``${VAR}`` substitution)."""
    if isinstance(value, str):
        return value.strip().lower() not in ("", "0", "false", "no", "off")
    return bool(value)


class _KeyedLocks:
    """One FIFO lock per key, so each user's messages are handled in arrival order."""

    def __init__(self) -> None:
        self._locks: dict[str, asyncio.Lock] = {}
        self._holders: dict[str, int] = {}

    @asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._holders[key] = self._holders.get(key, 0) + 1
        try:
            async with lock:
                yield
        finally:
            self._holders[key] -= 1
            if not self._holders[key]:
                del self._holders[key], self._locks[key]
