"""The environment of `rasa run` with endpoints.production.yml on this machine's services."""

from __future__ import annotations

from tests.support.postgres import PG_HOST, PG_PORT, PG_USER
from tests.support.processes import server_environment


def production_environment(action_url: str, database: str, **overrides: str) -> dict[str, str]:
    """Return a server environment for the production endpoints.

    PostgreSQL (``database``), Redis (lock db 3) and RabbitMQ on their local
    default ports, the action server at ``action_url``; ``overrides`` win.
    """
    values = dict(
        ACTION_SERVER_URL=f"{action_url}/webhook",
        RASA_TRACKER_DB_HOST=PG_HOST,
        RASA_TRACKER_DB_PORT=str(PG_PORT),
        RASA_TRACKER_DB_NAME=database,
        RASA_TRACKER_DB_USER=PG_USER,
        RASA_TRACKER_DB_PASSWORD="",
        REDIS_HOST="127.0.0.1",
        REDIS_PORT="6379",
        REDIS_LOCK_DB="3",
        REDIS_PASSWORD="",
        RABBITMQ_HOST="127.0.0.1",
        RABBITMQ_PORT="5672",
        RABBITMQ_USER="guest",
        RABBITMQ_PASSWORD="guest",
    )
    values.update(overrides)
    return server_environment(**values)
