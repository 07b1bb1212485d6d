"""``GET /webhooks/health/ready``: can this Rasa server hold a conversation now.

``GET /webhooks/health/metrics``: the channels' turn latency (``bot.analytics.turn_metrics``).

Rasa's ``/status`` and ``/`` say only that the process runs. Readiness asks
the parts a turn needs: the model, the tracker store (database reachable,
events table present), the lock store (Redis answers) and the event broker
(RabbitMQ connected). 200 with ``{"status": "ready", ...}`` when all are,
503 with ``{"status": "not ready", ...}`` naming the part that is not.
Nothing personal and no error text is in the answer (the log has the
reason). Registered as a channel in ``credentials.yml`` (Rasa has no other
way to add a route), it handles no messages.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.analytics import turn_metrics
from bot.rasa import fail_closed

logger = logging.getLogger(__name__)

CHECK_TIMEOUT_SECONDS = 2.0
OK, UNAVAILABLE, NOT_CONFIGURED = "ok", "unavailable", "not configured"


class HealthInput(InputChannel):
    """The readiness endpoint of the Rasa server (no messages)."""

    @classmethod
    def name(cls) -> str:
        """Return the channel name (the URL prefix ``/webhooks/health``)."""
        return "health"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """Return the blueprint with ``GET /ready``."""
        fail_closed.install()
        health = Blueprint("nordlicht_health", __name__)

        @health.route("/ready", methods=["GET"])
        async def ready(request: Request) -> HTTPResponse:
            checks = await readiness(getattr(request.app.ctx, "agent", None))
            is_ready = all(value in (OK, NOT_CONFIGURED) for value in checks.values())
            body = {"status": "ready" if is_ready else "not ready", **checks}
            return response.json(body, status=200 if is_ready else 503)

        @health.route("/metrics", methods=["GET"])
        async def metrics(_: Request) -> HTTPResponse:
            return response.raw(
                turn_metrics.exposition(), content_type="text/plain; version=0.0.4; charset=utf-8"
            )

        return health


async def readiness(agent: Any) -> dict[str, str]:
    """Check model, tracker store, lock store and event broker of ``agent``."""
    if agent is None:
        return {"model": UNAVAILABLE, "tracker_store": UNAVAILABLE, "lock_store": UNAVAILABLE}
    store = _unwrap(getattr(agent, "tracker_store", None))
    return {
        "model": OK if agent.is_ready() else UNAVAILABLE,
        "tracker_store": await _check("tracker store", _tracker_store_check(store)),
        "lock_store": await _check("lock store", _lock_store_check(agent.lock_store)),
        "event_broker": _broker_state(getattr(store, "event_broker", None)),
    }


def _unwrap(store: Any) -> Any:
    """Return the configured store inside Rasa's fail-safe and awaitable wrappers."""
    while store is not None and hasattr(store, "_tracker_store"):
        store = store._tracker_store
    return store


def _tracker_store_check(store: Any) -> Callable[[], None] | None:
    check = getattr(store, "check", None)
    if callable(check):
        return check  # type: ignore[no-any-return]
    engine = getattr(store, "engine", None)
    if engine is None:
        return None

    def ping() -> None:
        import sqlalchemy as sa

        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))

    return ping


def _lock_store_check(lock_store: Any) -> Callable[[], None] | None:
    client = getattr(lock_store, "red", None)
    return None if client is None else client.ping


async def _check(what: str, check: Callable[[], Any] | None) -> str:
    if check is None:
        return NOT_CONFIGURED if what != "tracker store" else OK
    try:
        await asyncio.wait_for(asyncio.to_thread(check), CHECK_TIMEOUT_SECONDS)
    except Exception as error:  # any failure means: not ready
        logger.error("Readiness: %s unavailable: %s", what, type(error).__name__)
        return UNAVAILABLE
    return OK


def _broker_state(broker: Any) -> str:
    if broker is None:
        return NOT_CONFIGURED
    is_ready = getattr(broker, "is_ready", None)
    if not callable(is_ready):
        return OK
    if is_ready():
        return OK
    logger.error("Readiness: event broker not connected")
    return UNAVAILABLE
