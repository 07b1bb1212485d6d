"""Every RabbitMQ consumer has a queue of its own that Rasa's broker feeds.

A queue hands each message to one of its consumers, so two features reading
one queue would each see part of the events. Rasa's Pika broker publishes to
a fanout exchange bound to every queue listed in ``endpoints.production.yml``.
"""

from __future__ import annotations

import yaml

from bot.settings import PROJECT_ROOT, Settings
from bot.training.settings import TrainingSettings


def production_queues() -> list[str]:
    endpoints = yaml.safe_load((PROJECT_ROOT / "endpoints.production.yml").read_text())
    return list(endpoints["event_broker"]["queues"])


def test_the_inbox_and_analytics_read_different_queues_both_fed_by_rasa() -> None:
    inbox = TrainingSettings.from_env({}).queue
    analytics = Settings.from_env({}).analytics_queue
    assert inbox != analytics
    assert {inbox, analytics} <= set(production_queues())


def test_the_analytics_queue_comes_from_the_environment() -> None:
    assert Settings.from_env({"ANALYTICS_QUEUE": "other"}).analytics_queue == "other"
