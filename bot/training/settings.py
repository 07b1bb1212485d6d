"""Settings of the training inbox, read once from the environment.

``TRAINING_INBOX_SOURCE`` picks where the inbox learns about conversations:
``tracker_store`` (the embedded default: Rasa's SQL tracker store at
``RASA_TRACKER_STORE_URL``), ``rabbitmq`` (production: the queue
``endpoints.production.yml`` feeds, from the same ``RABBITMQ_*`` variables),
or ``off``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from bot.settings import PROJECT_ROOT, Secret, SettingsError

SOURCES = ("tracker_store", "rabbitmq", "off")


@dataclass(frozen=True, repr=False)
class TrainingSettings:
    """What the training inbox needs.

    Attributes:
        source: ``tracker_store``, ``rabbitmq`` or ``off``.
        tracker_store_url: Rasa's SQL tracker store (RASA_TRACKER_STORE_URL).
        amqp_url: RabbitMQ, with the password (a :class:`Secret`).
        queue: The queue Rasa's event broker feeds (TRAINING_EVENTS_QUEUE).
        sweep_seconds: How often the tracker store is read, or the queue's
            quiet conversations judged (TRAINING_SWEEP_SECONDS).
        nlu_summary: The figures of the last ``make nlu-eval`` (per-intent
            test accuracy in the workbench).

    """

    source: str = "tracker_store"
    tracker_store_url: str | None = None
    amqp_url: Secret | None = None
    queue: str = "nordlicht_events"
    sweep_seconds: float = 5.0
    nlu_summary: Path = PROJECT_ROOT / "reports" / "nlu" / "summary.json"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> TrainingSettings:
        """Build the settings from environment variables.

        Raises:
            SettingsError: A variable holds a malformed value.

        """
        env = os.environ if environ is None else environ
        source = (env.get("TRAINING_INBOX_SOURCE") or cls.source).strip().lower()
        if source not in SOURCES:
            raise SettingsError(f"TRAINING_INBOX_SOURCE must be one of {SOURCES}, got {source!r}")
        raw = env.get("TRAINING_SWEEP_SECONDS") or str(cls.sweep_seconds)
        try:
            sweep = float(raw)
        except ValueError:
            raise SettingsError(f"TRAINING_SWEEP_SECONDS must be a number, got {raw!r}") from None
        if sweep <= 0:
            raise SettingsError(f"TRAINING_SWEEP_SECONDS must be positive, got {raw!r}")
        amqp = None
        if env.get("RABBITMQ_HOST"):
            user = quote(env.get("RABBITMQ_USER") or "guest", safe="")
            password = quote(env.get("RABBITMQ_PASSWORD") or "", safe="")
            amqp = Secret(
                f"amqp://{user}:{password}@{env['RABBITMQ_HOST']}:"
                f"{env.get('RABBITMQ_PORT') or 5672}/"
            )
        if source == "rabbitmq" and amqp is None:
            raise SettingsError("TRAINING_INBOX_SOURCE=rabbitmq needs RABBITMQ_HOST")
        summary = env.get("TRAINING_NLU_SUMMARY")
        return cls(
            source=source,
            tracker_store_url=env.get("RASA_TRACKER_STORE_URL") or None,
            amqp_url=amqp,
            queue=env.get("TRAINING_EVENTS_QUEUE") or cls.queue,
            sweep_seconds=sweep,
            nlu_summary=Path(summary) if summary else cls.nlu_summary,
        )

    def __repr__(self) -> str:
        return (
            f"TrainingSettings(source={self.source!r}, queue={self.queue!r}, "
            f"tracker_store_url={'set' if self.tracker_store_url else None!r}, "
            f"amqp_url={self.amqp_url!r})"
        )
