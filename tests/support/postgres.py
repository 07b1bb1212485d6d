"""The local PostgreSQL server (127.0.0.1:5432, user postgres, trust auth) for tests."""

from __future__ import annotations

import uuid

from tests.support.requirements import unavailable

PG_HOST, PG_PORT, PG_USER = "127.0.0.1", 5432, "postgres"


class PostgresServer:
    """Creates and drops this session's databases on the local PostgreSQL."""

    def __init__(self, prefix: str) -> None:
        import psycopg2

        self._connection = psycopg2.connect(
            host=PG_HOST, port=PG_PORT, user=PG_USER, dbname="postgres", connect_timeout=3
        )
        self._connection.autocommit = True
        self.prefix = f"{prefix}_{uuid.uuid4().hex[:10]}"
        self._created: list[str] = []

    def url(self, name: str) -> str:
        """Return the SQLAlchemy URL of database ``name``."""
        return f"postgresql+psycopg2://{PG_USER}@{PG_HOST}:{PG_PORT}/{name}"

    def create(self, suffix: str, template: str | None = None) -> str:
        """Create ``<prefix>_<suffix>`` (optionally as a copy of ``template``)."""
        name = f"{self.prefix}_{suffix}"
        copy = f" TEMPLATE {template}" if template else ""
        with self._connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"{copy}')
        self._created.append(name)
        return name

    def drop(self, name: str) -> None:
        """Drop one of this session's databases."""
        with self._connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self._created.remove(name)

    def close(self) -> None:
        """Drop every database still left and disconnect."""
        for name in reversed(list(self._created)):
            self.drop(name)
        self._connection.close()


def postgres_server(prefix: str) -> PostgresServer:
    """Connect to the local PostgreSQL, or skip (fail in CI) when it is down."""
    try:
        return PostgresServer(prefix=prefix)
    except Exception as error:  # psycopg2.OperationalError, or psycopg2 missing
        unavailable(f"PostgreSQL at {PG_HOST}:{PG_PORT} unreachable: {error}".strip())
