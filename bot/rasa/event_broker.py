"""RabbitMQ event broker that refuses to buffer events in memory while RabbitMQ is down.

Rasa's ``PikaEventBroker`` keeps events it could not publish in a queue in
memory and publishes them in the background, so a turn looks fine while
RabbitMQ is gone (and the events are lost with the process).
:class:`StrictPikaEventBroker` raises instead when the connection is down:
the tracker store publishes before it writes, so the turn fails visibly
(:mod:`bot.rasa.fail_closed`) and nothing is half-stored. Rasa does not start
when RabbitMQ is unreachable (Rasa's own behaviour).

In ``endpoints.yml``: ``event_broker: {type: bot.rasa.event_broker.StrictPikaEventBroker, ...}``
with the options of Rasa's ``pika`` broker.
"""

from __future__ import annotations

from typing import Any

from rasa.core.brokers.pika import PikaEventBroker

from bot.rasa import fail_closed


class EventBrokerUnavailable(ConnectionError):
    """RabbitMQ is not connected: the event cannot be published now."""


class StrictPikaEventBroker(PikaEventBroker):
    """Rasa's RabbitMQ broker without the in-memory buffer (see the module docstring)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        fail_closed.install()
        kwargs["should_keep_unpublished_messages"] = False
        super().__init__(*args, **kwargs)

    def publish(self, event: dict[str, Any], headers: dict[str, str] | None = None) -> None:
        """Publish ``event``, or raise when RabbitMQ is not connected.

        Raises:
            EventBrokerUnavailable: The connection to RabbitMQ is down.

        """
        if not self.is_ready():
            raise EventBrokerUnavailable("RabbitMQ is not connected; event not published")
        super().publish(event, headers)
