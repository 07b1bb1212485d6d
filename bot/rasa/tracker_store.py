"""The SQL tracker store, failing closed, and keeping no customer tokens.

Rasa's ``SQLTrackerStore`` retries forever while the database is down at
start-up, but swallows a failed ``CREATE TABLE`` and starts without tables;
afterwards Rasa's fail-safe wrapper turns every failed read into an empty
conversation and keeps failed writes in memory. :class:`StrictSQLTrackerStore`
instead:

* waits at most ``startup_timeout`` seconds (endpoint option, default 30)
  for the database, then stops the Rasa server with an error;
* creates the tables and checks that they exist before Rasa starts;
* raises every later failure (``fail_closed``, see
  :mod:`bot.rasa.fail_closed`): the turn is answered with the technical
  problem, never from an empty in-memory conversation;
* stores no customer token: the signed token the website sends with each
  message (metadata ``customer_token``) is used during the turn and removed
  from the events before they are written (and published);
* keeps the trackers it saved in memory and hands them out again while the
  database holds nothing newer (:mod:`bot.rasa.tracker_cache`): a turn
  does not load and replay its conversation. ``cache_conversations`` (endpoint
  option, default 200; 0 turns it off) bounds how many are kept.

In ``endpoints.yml``: ``tracker_store: {type: bot.rasa.tracker_store.StrictSQLTrackerStore,
dialect: ..., db: ..., url: ...}`` - the options of Rasa's SQL store.
"""

from __future__ import annotations

import copy
import logging
import time
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, TrackerStore, create_engine_kwargs
from rasa.shared.core.events import SlotSet
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from bot.rasa import fail_closed, tracker_cache
from bot.rasa.patches import carry_stored_count

logger = logging.getLogger(__name__)

CUSTOMER_TOKEN_KEY = "customer_token"
"""Metadata key of the signed customer token (see bot.verification)."""
STARTUP_TIMEOUT_SECONDS = 30.0
RETRY_PAUSE_SECONDS = 1.0


class TrackerStoreUnavailable(ConnectionError):
    """The conversation database cannot be reached or has no tables."""


class StrictSQLTrackerStore(SQLTrackerStore):
    """Rasa's SQL tracker store without silent fallbacks (see the module docstring).

    Args:
        domain: The domain.
        dialect: SQLAlchemy dialect (``sqlite``, ``postgresql``).
        host: Database host (``url`` in endpoints.yml).
        port: Database port.
        db: Database name, or the SQLite file.
        username: Database user.
        password: Database password.
        event_broker: Where events are published.
        login_db: Database to log in to for creating ``db`` (Rasa's option).
        query: URL query parameters.
        startup_timeout: Seconds to wait for the database at start-up.
        cache_conversations: Saved trackers kept in memory at most (0: none).
        **kwargs: Rasa's further tracker-store options.

    Raises:
        TrackerStoreUnavailable: The database was not reachable in time, or
            its tables could not be created.

    """

    fail_closed = True

    def __init__(
        self,
        domain: Any = None,
        dialect: str = "sqlite",
        host: str | None = None,
        port: int | None = None,
        db: str = "rasa.db",
        username: str | None = None,
        password: str | None = None,
        event_broker: Any = None,
        login_db: str | None = None,
        query: dict[str, Any] | None = None,
        startup_timeout: float = STARTUP_TIMEOUT_SECONDS,
        cache_conversations: int = tracker_cache.DEFAULT_SIZE,
        **kwargs: Any,
    ) -> None:
        fail_closed.install()
        url = self.get_db_url(dialect, host, _port(port), db, username, password, login_db, query)
        self.engine = sa.create_engine(url, **create_engine_kwargs(url))
        deadline = time.monotonic() + float(startup_timeout)
        while True:
            try:
                if login_db:
                    self._create_database_and_update_engine(db, url)
                self.Base.metadata.create_all(self.engine)
                self.check()
                break
            except (sa.exc.SQLAlchemyError, TrackerStoreUnavailable) as error:
                if time.monotonic() >= deadline:
                    raise TrackerStoreUnavailable(
                        f"Tracker store database unavailable after {startup_timeout} s: "
                        f"{type(error).__name__}: {fail_closed.first_line(error)}"
                    ) from error
                logger.warning(
                    "Tracker store database not ready (%s); retrying", type(error).__name__
                )
                time.sleep(RETRY_PAUSE_SECONDS)
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
        self.cache = tracker_cache.TrackerCache(
            self.SQLEvent.__table__, size=_count(cache_conversations)
        )
        TrackerStore.__init__(self, domain, event_broker, **kwargs)

    @classmethod
    def from_endpoint_config(cls, config: EndpointConfig, **kwargs: Any) -> StrictSQLTrackerStore:
        """Create the store from an endpoint configuration (``url`` is the host)."""
        return cls(host=config.url, **{**config.kwargs, **kwargs})

    def check(self) -> None:
        """Check that the database answers and the events table exists.

        Raises:
            TrackerStoreUnavailable: It does not.

        """
        try:
            with self.engine.connect() as connection:
                connection.execute(sa.text("SELECT 1"))
                tables = sa.inspect(connection).get_table_names()
        except sa.exc.SQLAlchemyError as error:
            raise TrackerStoreUnavailable(
                f"tracker store database unreachable: {type(error).__name__}"
            ) from error
        if self.SQLEvent.__tablename__ not in tables:
            raise TrackerStoreUnavailable("tracker store database has no events table")

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        """Return the latest session: the tracker kept since the last save, or loaded."""
        if self.cache.enabled:
            with self.session_scope() as session:
                kept = self.cache.take(
                    sender_id, self.domain, lambda: self.cache.stamp(session, sender_id)
                )
            if kept is not None:
                return kept
        return await super().retrieve(sender_id)

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Write (and publish) the new events, without customer tokens; keep the tracker."""
        clean = without_customer_tokens(tracker)
        self.cache.forget(tracker.sender_id)
        await super().save(clean)
        if clean is not tracker:
            carry_stored_count(clean, tracker)
        if self.cache.enabled:
            with self.session_scope() as session:
                stamp = self.cache.stamp(session, clean.sender_id)
            self.cache.keep(clean, self.domain, stamp)


def without_customer_tokens(tracker: DialogueStateTracker) -> DialogueStateTracker:
    """Return ``tracker``, or a copy of it whose events carry no customer token."""
    if not any(_carries_token(event) for event in tracker.events):
        return tracker
    clean = copy.deepcopy(tracker)
    for event in clean.events:
        metadata = getattr(event, "metadata", None)
        if isinstance(metadata, dict):
            metadata.pop(CUSTOMER_TOKEN_KEY, None)
        if isinstance(event, SlotSet) and isinstance(event.value, dict):
            event.value.pop(CUSTOMER_TOKEN_KEY, None)
    return clean


def _carries_token(event: Any) -> bool:
    metadata = getattr(event, "metadata", None)
    if isinstance(metadata, dict) and CUSTOMER_TOKEN_KEY in metadata:
        return True
    return (
        isinstance(event, SlotSet)
        and isinstance(event.value, dict)
        and (CUSTOMER_TOKEN_KEY in event.value)
    )


def _count(value: Any) -> int:
    """Read a non-negative count from endpoints.yml (``None`` or empty: the default)."""
    if value in (None, ""):
        return tracker_cache.DEFAULT_SIZE
    count = int(value)
    if count < 0:
        raise ValueError(f"cache_conversations must be 0 or more, not {count}")
    return count


def _port(port: Any) -> int | None:
    if port in (None, ""):
        return None
    return int(port)
