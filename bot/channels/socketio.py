"""Website chat channel: Rasa's socket.io channel with server-issued sessions.

Rasa's stock ``SocketIOInput`` lets a client name any ``session_id`` in
``session_request`` and so join (and read) another customer's conversation.
``SecureSocketIOInput`` binds every socket to a session the server issued and
signed (see ``bot.chat_sessions``).

Protocol for the browser widget (same events and path as stock Rasa, so
socket.io clients such as rasa-webchat keep working):

1. Connect to ``/socket.io`` (path configurable via ``socketio_path``).
2. Emit ``session_request`` with ``{"session_id": ..., "session_token": ...}``
   from an earlier ``session_confirm`` (or ``{}`` / nothing the first time),
   optionally with ``"metadata": {...}``.
3. The server answers ``session_confirm`` with an object
   ``{"session_id": str, "session_token": str, "expires_at": int}``. If the
   presented pair was valid it is the same ``session_id`` with a refreshed
   token; otherwise (missing, forged, guessed, expired) it is a brand-new
   session and the requested one is never joined. Store the answer and present
   it on the next reconnect. Note that stock Rasa sends a bare string here;
   rasa-webchat accepts both forms.
4. Emit ``user_uttered`` with ``{"message": str, "metadata": {...}}``. The
   message always goes to the session bound to this socket; a ``session_id``
   in the payload is ignored. Bot replies arrive as ``bot_uttered``.

Metadata: the ``metadata`` object (or JSON string) from ``session_request`` is
kept for the socket and merged with the ``metadata`` of each
``user_uttered`` (message values win), then ``{"channel": "socketio"}`` is
set. The website passes ``{"customer_token": "<JWT>"}`` there.

Input: every message is screened (``bot.channels.input_guard``): invisible
characters are removed, an empty or over-long message is answered with a
prompt or a polite refusal and never reaches the NLU.

Origins: browsers may connect only from ``RASA_CORS_ORIGINS`` (the origins
Rasa's ``--cors`` takes, separated by spaces; default the demo website,
http://localhost:8000 and http://127.0.0.1:8000); stock Rasa accepts any.

Settings: ``CHAT_SESSION_SECRET`` and ``CHAT_SESSION_TTL_SECONDS`` from the
environment (read in ``from_credentials``). With ``CLUSTER_REDIS_URL`` set
(several Rasa servers behind a load balancer, see ``bot.channels.cluster``)
messages to a session reach its socket on whichever server holds it; the
socket itself must then use the WebSocket transport (long-polling would need
sticky sessions, since the signed session lives in the socket). Every socket always joins the room
of its bound session, so ``session_persistence`` is effectively always on.
The stock ``jwt_key`` connect check still applies if configured.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.socketio import SocketIOInput
from sanic import Blueprint
from socketio import AsyncRedisManager

from bot.analytics.turn_metrics import timed
from bot.channels.canned import canned_text
from bot.channels.cluster import SOCKETIO_REDIS_CHANNEL, cluster_redis_url
from bot.channels.input_guard import screen_message
from bot.channels.socketio_output import MarkedSocketIOOutput
from bot.channels.typing_relay import TypingRelay
from bot.chat_sessions import ChatSession, ChatSessionSigner

logger = logging.getLogger(__name__)

CHANNEL_METADATA = {"channel": "socketio"}
ORIGINS_ENV_VAR = "RASA_CORS_ORIGINS"
DEFAULT_ORIGINS = ("http://localhost:8000", "http://127.0.0.1:8000")
SESSION_CONFIRM_EVENT = "session_confirm"
TYPING_EVENT = "user_typing"
_SESSION_ID_KEY = "chat_session_id"
_SESSION_METADATA_KEY = "chat_session_metadata"


def allowed_origins(environ: Mapping[str, str] | None = None) -> list[str]:
    """Return the website origins browsers may chat from (``RASA_CORS_ORIGINS``).

    Args:
        environ: Environment to read; defaults to ``os.environ``.

    Returns:
        The origins; the demo website's when the variable is unset or empty.

    """
    env = os.environ if environ is None else environ
    origins = [o.rstrip("/") for o in env.get(ORIGINS_ENV_VAR, "").replace(",", " ").split()]
    return origins or list(DEFAULT_ORIGINS)


def parse_metadata(raw: object) -> dict[str, Any]:
    """Return client-sent metadata as a dict; anything else becomes ``{}``.

    Args:
        raw: A dict, a JSON string encoding a dict, or anything else.

    Returns:
        A shallow copy of the metadata dict, or an empty dict.

    """
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            logger.debug("Ignoring socket.io metadata that is not valid JSON.")
            return {}
    return dict(raw) if isinstance(raw, dict) else {}


class SecureSocketIOInput(SocketIOInput):
    """Socket.io input channel that only joins server-issued, signed sessions."""

    def __init__(
        self, *args: Any, session_signer: ChatSessionSigner | None = None, **kwargs: Any
    ) -> None:
        """Create the channel.

        Args:
            *args: Positional arguments of ``SocketIOInput``.
            session_signer: Issues and verifies sessions; if ``None`` it is built
                from the environment when the blueprint is created.
            **kwargs: Keyword arguments of ``SocketIOInput``.

        """
        super().__init__(*args, **kwargs)
        self.session_signer = session_signer
        self.redis_url: str | None = None
        self.origins: list[str] = list(DEFAULT_ORIGINS)
        self.typing_relay = TypingRelay()
        self._app: Any = None

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        """Build the channel from credentials.yml plus the session settings.

        Args:
            credentials: The stock socket.io credentials (all optional).

        Returns:
            The configured channel.

        Raises:
            ChatSessionConfigError: If ``CHAT_SESSION_SECRET`` is missing or invalid.

        """
        channel = super().from_credentials(credentials)
        assert isinstance(channel, SecureSocketIOInput)
        channel.session_signer = ChatSessionSigner.from_env()
        channel.origins = allowed_origins()
        channel.redis_url = cluster_redis_url()
        return channel

    def get_output_channel(self) -> OutputChannel | None:
        """Return the output for messages Rasa sends on its own (agent messages, notices).

        Rasa's HTTP API uses it with ``output_channel=latest``; the message
        goes to the room of the conversation's session.
        """
        if self.sio is None:
            return None
        return MarkedSocketIOOutput(self.sio, self.bot_message_evt)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """Build the stock blueprint and replaces its session and message handlers.

        Args:
            on_new_message: Rasa's callback for incoming user messages.

        Returns:
            The blueprint that attaches the socket.io server to the app.

        """
        signer = self.session_signer or ChatSessionSigner.from_env()
        self.session_signer = signer
        on_new_message = timed("website", on_new_message)
        socket_blueprint = super().blueprint(on_new_message)
        sio = self.sio
        assert sio is not None
        if self.redis_url:
            # Several Rasa servers: an emit to a room goes through Redis to every
            # server, and each delivers it to the sockets it holds.
            sio.manager = AsyncRedisManager(self.redis_url, channel=SOCKETIO_REDIS_CHANNEL)
            sio.manager.set_server(sio)
        namespace = self.namespace
        stock_connect = sio.handlers[namespace or "/"]["connect"]

        # Stock Rasa switches engine.io's origin check off (its CORS headers would
        # clash with Sanic's); the connect handler refuses foreign origins instead.
        async def connect(sid: str, environ: dict[str, Any], auth: Any = None) -> bool:
            origin = (environ.get("HTTP_ORIGIN") or "").rstrip("/")
            if origin and "*" not in self.origins and origin not in self.origins:
                logger.warning("Refused a socket.io connection from a foreign origin.")
                return False
            return bool(await stock_connect(sid, environ, auth))

        @socket_blueprint.listener("before_server_start")
        async def remember_app(app: Any, _: Any) -> None:
            self._app = app  # the loaded model's domain holds the canned texts

        async def session_request(sid: str, data: Any = None) -> None:
            request = data if isinstance(data, dict) else {}
            session = self._resume_or_issue(signer, request)
            async with sio.session(sid, namespace=namespace) as socket_session:
                previous = socket_session.get(_SESSION_ID_KEY)
                socket_session[_SESSION_ID_KEY] = session.session_id
                socket_session[_SESSION_METADATA_KEY] = parse_metadata(
                    request.get(self.metadata_key)
                )
            if previous and previous != session.session_id:
                await sio.leave_room(sid, previous, namespace=namespace)
            await sio.enter_room(sid, session.session_id, namespace=namespace)
            await sio.emit(SESSION_CONFIRM_EVENT, session.as_dict(), room=sid, namespace=namespace)

        async def handle_message(sid: str, data: Any = None) -> None:
            socket_session = await sio.get_session(sid, namespace=namespace)
            session_id = socket_session.get(_SESSION_ID_KEY)
            if session_id is None:
                logger.warning("Dropping socket.io message from a socket without a session.")
                return
            payload = data if isinstance(data, dict) else {}
            text = payload.get("message")
            if not isinstance(text, str):
                logger.debug("Dropping socket.io message without text.")
                return
            output = MarkedSocketIOOutput(sio, self.bot_message_evt)
            screened = screen_message(text)
            if not screened.accepted:
                assert screened.refusal is not None
                logger.info(
                    "Answered a socket.io message of %d characters with %s.",
                    screened.length,
                    screened.refusal,
                )
                reply = canned_text(self._app, screened.refusal)
                await output.send_text_message(session_id, reply)
                return
            metadata = {
                **socket_session.get(_SESSION_METADATA_KEY, {}),
                **parse_metadata(payload.get(self.metadata_key)),
                **CHANNEL_METADATA,
            }
            await on_new_message(
                UserMessage(
                    screened.text,
                    output,
                    session_id,
                    input_channel=self.name(),
                    metadata=metadata,
                )
            )

        async def handle_typing(sid: str, _data: Any = None) -> None:
            socket_session = await sio.get_session(sid, namespace=namespace)
            session_id = socket_session.get(_SESSION_ID_KEY)
            if isinstance(session_id, str):
                self.typing_relay.typing(session_id)

        # Registering again replaces the stock handlers for these events.
        sio.on(TYPING_EVENT, handle_typing, namespace=namespace)
        sio.on("connect", connect, namespace=namespace)
        sio.on("session_request", session_request, namespace=namespace)
        sio.on(self.user_message_evt, handle_message, namespace=namespace)
        return socket_blueprint

    @staticmethod
    def _resume_or_issue(signer: ChatSessionSigner, request: dict[str, Any]) -> ChatSession:
        session_id = request.get("session_id")
        if signer.verify(session_id, request.get("session_token")):
            assert isinstance(session_id, str)
            return signer.issue(session_id)
        if session_id:
            logger.info("Rejected a socket.io session request; issuing a new session.")
        return signer.issue()
