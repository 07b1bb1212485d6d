"""Turn latency as the channels see it, in the Rasa server's process.

Each of our input channels wraps Rasa's ``on_new_message`` with
:func:`timed`: the time from a customer's message arriving at the channel
until Rasa has handled it (NLU, policies, actions, the answer sent or
collected). ``GET /webhooks/health/metrics`` on the Rasa server
(``bot.rasa.health``) shows the histogram; the bot service's ``/metrics``
includes it (``bot.analytics.metrics``), so one scrape sees both.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest

T = TypeVar("T")

REGISTRY = CollectorRegistry(auto_describe=True)
TURN_SECONDS = Histogram(
    "nordlicht_rasa_turn_seconds",
    "Time from a customer message reaching a channel until Rasa handled it.",
    ["channel"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0, 30.0),
    registry=REGISTRY,
)
TURN_ERRORS = Counter(
    "nordlicht_rasa_turn_errors",
    "Customer messages whose handling raised an exception.",
    ["channel"],
    registry=REGISTRY,
)


def timed(
    channel: str, on_new_message: Callable[[Any], Awaitable[T]]
) -> Callable[[Any], Awaitable[T]]:
    """Return ``on_new_message`` measuring each call under ``channel``."""

    async def measured(message: Any) -> T:
        started = time.perf_counter()
        try:
            return await on_new_message(message)
        except BaseException:
            TURN_ERRORS.labels(channel).inc()
            raise
        finally:
            TURN_SECONDS.labels(channel).observe(time.perf_counter() - started)

    return measured


def exposition() -> bytes:
    """Return this process's turn metrics in Prometheus text format."""
    return generate_latest(REGISTRY)
