"""Patches of Rasa 3.6 internals that cost time on every turn.

Each patch replaces one method of a Rasa class with a version that gives the
same result with less work per turn (measured steps: reports/load.md). They
are installed by
:func:`install`, which ``bot.nlu.components`` calls on import: every Rasa
process that loads or trains our model imports that package (the pipeline
names its components), whatever its command line (``rasa run`` from the
Procfile, tests and benchmarks, ``rasa shell``, ``rasa test``).

A patch relies on the exact code it replaces and on some code around it, so
each of those pins the SHA-256 of Rasa's source (``PATCHES``, ``RELIED_ON``);
``tests/bot/rasa/test_patches.py`` fails when a Rasa upgrade changes one of
them (re-read the new code, adapt the patch, re-pin).
"""

from __future__ import annotations

import hashlib
import inspect
import json
import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from bot.rasa import hot_paths
from bot.rasa.local_actions import LOCAL_ACTIONS
from bot.verification import CUSTOMER_TOKEN_KEY

logger = logging.getLogger(__name__)

_MARK = "__nordlicht_patch__"


@dataclass(frozen=True)
class Addition:
    """A method Rasa's class does not define, added to it (``module:Class.name``)."""

    module: str
    owner: str
    name: str
    method: Callable[..., Any]

    @property
    def target(self) -> str:
        """Return ``module:Class.name``."""
        return f"{self.module}:{self.owner}.{self.name}"

    def owner_class(self) -> Any:
        """Return the Rasa class."""
        return getattr(import_module(self.module), self.owner)


@dataclass(frozen=True)
class Pin:
    """A method of a Rasa class whose exact code a patch relies on.

    Attributes:
        module: The module that defines the class.
        owner: The class name ("" for a function of the module).
        name: The method name.
        source_sha256: SHA-256 of Rasa's source of the method (what we read).

    """

    module: str
    owner: str
    name: str
    source_sha256: str

    @property
    def target(self) -> str:
        """Return ``module:Class.method`` (``module:function`` without a class)."""
        return f"{self.module}:{self.owner + '.' if self.owner else ''}{self.name}"

    def owner_class(self) -> Any:
        """Return the Rasa class the method belongs to (the module for a function)."""
        module = import_module(self.module)
        return getattr(module, self.owner) if self.owner else module

    def original(self) -> Callable[..., Any]:
        """Return Rasa's own method (also after :func:`install`)."""
        current = self.owner_class().__dict__[self.name]
        return getattr(current, _MARK, current)  # type: ignore[no-any-return]


@dataclass(frozen=True)
class Patch(Pin):
    """A method of a Rasa class replaced by ours (``replacement``)."""

    replacement: Callable[..., Any]


def source_sha256(function: Callable[..., Any]) -> str:
    """Return the SHA-256 of a function's source text."""
    return hashlib.sha256(inspect.getsource(function).encode()).hexdigest()


# --- 1. the validation of action server responses -------------------------------
#
# RemoteAction._validate_action_result calls jsonschema.validate for every
# response of the action server. That function first checks the *schema*
# against its draft 2020-12 meta-schema ($dynamicRef resolution, urllib work)
# and builds a new validator, every time: 45-56 % of the Rasa process under
# load. The schema never changes, so it is checked and compiled once; every
# response is still validated against it, and a malformed one raises the same
# ValidationError with the same message as before.


def _validate_action_result(self: Any, result: dict[str, Any]) -> bool:
    """Validate an action server response against the compiled schema (as Rasa does)."""
    from jsonschema import ValidationError
    from rasa.shared.constants import DOCS_BASE_URL

    error: ValidationError | None = hot_paths.action_response_error(result)
    if error is None:
        return True
    error.message += (
        f". Failed to validate Action server response from API, "
        f"make sure your response from the Action endpoint is valid. "
        f"For more information about the format visit "
        f"{DOCS_BASE_URL}/custom-actions"
    )
    raise error


# --- 2. the SQL tracker store ----------------------------------------------------
#
# Every turn Rasa's SQLTrackerStore loads the conversation (retrieve), then on
# save counts the rows of the latest session again to find the new events,
# inserts them one ORM object at a time and, with an event broker, loads the
# whole conversation a second time to find the same new events for the broker.
# On SQLite it opens a new connection for every session (SQLAlchemy's NullPool)
# in the default rollback-journal mode, whose commits wait for several fsyncs;
# the calls are synchronous, so the whole server waits with them.
#
# Instead, a tracker that retrieve() loaded (latest session only) remembers how
# many of its events are stored; save() writes exactly the events after those
# in one executemany, gives the same events to the broker, and remembers the
# new count. A tracker without that count (created, or loaded with all
# sessions) is saved exactly as Rasa does. One process holds a conversation's
# lock from retrieve to save (Rasa's lock store), which is what Rasa's own
# count relies on too. SQLite files get pooled connections in WAL mode with
# synchronous=NORMAL, set on first use (Rasa creates the store before it loads
# the model, which installs these patches): a crash of the process loses
# nothing, a power cut can lose the last turns (production runs on PostgreSQL).

_STORED = "_nordlicht_stored_events"
_TUNED = "_nordlicht_sqlite_tuned"


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _tune_sqlite(store: Any) -> None:
    """Give a SQLite file store pooled WAL connections, once (Rasa creates the store early)."""
    if getattr(store, _TUNED, False):
        return
    setattr(store, _TUNED, True)
    engine = store.engine
    if engine.dialect.name != "sqlite" or engine.url.database in (None, "", ":memory:"):
        return
    import sqlalchemy as sa
    from sqlalchemy.orm import sessionmaker

    tuned = sa.create_engine(
        engine.url, poolclass=sa.pool.QueuePool, connect_args={"check_same_thread": False}
    )
    sa.event.listen(tuned, "connect", _sqlite_pragmas)
    engine.dispose()
    store.engine = tuned
    store.sessionmaker = sessionmaker(bind=tuned)


async def _sql_store_retrieve(
    self: Any, sender_id: str, fetch_events_from_all_sessions: bool
) -> Any:
    """Load the tracker as Rasa does and remember how many of its events are stored."""
    _tune_sqlite(self)
    tracker = await _original("SQLTrackerStore", "_retrieve")(
        self, sender_id, fetch_events_from_all_sessions
    )
    if tracker is not None and not fetch_events_from_all_sessions:
        setattr(tracker, _STORED, len(tracker.events))
    return tracker


def carry_stored_count(saved: Any, original: Any) -> None:
    """Let ``original`` know what was stored when a copy of it (``saved``) was saved.

    The fail-closed store saves a copy without customer tokens; without this
    the original tracker would still count the new events as unstored.
    """
    if hasattr(saved, _STORED):
        setattr(original, _STORED, getattr(saved, _STORED))


async def _sql_store_save(self: Any, tracker: Any) -> None:
    """Store the events after the remembered count in one statement (Rasa's way without it)."""
    import itertools

    from rasa.shared.nlu.constants import INTENT_NAME_KEY

    _tune_sqlite(self)
    stored = getattr(tracker, _STORED, None)
    if stored is None:  # a new tracker: Rasa counts what is stored
        await _original("SQLTrackerStore", "save")(self, tracker)
        setattr(tracker, _STORED, len(tracker.events))
        return
    new_events = list(itertools.islice(tracker.events, stored, None))
    if self.event_broker is not None:
        await self._stream_new_events(self.event_broker, new_events, tracker.sender_id)
    rows = []
    for event in new_events:
        data = event.as_dict()
        rows.append(
            {
                "sender_id": tracker.sender_id,
                "type_name": event.type_name,
                "timestamp": data.get("timestamp"),
                "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
                "action_name": data.get("name"),
                "data": json.dumps(data),
            }
        )
    if rows:
        with self.session_scope() as session:
            session.execute(self.SQLEvent.__table__.insert(), rows)
            session.commit()
    setattr(tracker, _STORED, stored + len(rows))


# --- 3. round trips to the action server -------------------------------------------
#
# Rasa's EndpointConfig opens a new aiohttp session, and with it a new TCP
# connection (and a host look-up in a thread), for every request to the action
# server. One session per endpoint and event loop is kept instead; its idle
# connections are dropped after 2 s, before the action server's Sanic drops
# them (5 s), so a request never goes out on a connection the server is
# closing.
#
# Custom actions that need nothing but the tracker (bot.rasa.local_actions:
# ``action_remember_request``) are run in the Rasa process instead.
#
# And the custom slot mapping of ``verified_customer_number`` makes Rasa call
# ``action_check_customer_token`` after every message, shipping the whole
# tracker and domain, although the action returns nothing unless the message
# carries a customer token (bot.verification.customer_number_from_token). The
# call is skipped for messages without one.

_SESSIONS = "_nordlicht_sessions"
_KEEPALIVE_SECONDS = 2.0
_NEEDS_METADATA_KEY = {"action_check_customer_token": CUSTOMER_TOKEN_KEY}
"""Custom slot-mapping actions that do nothing without this key in the message metadata."""


class _KeptSession:
    """``async with`` around a client session that stays open for the next request."""

    def __init__(self, session: Any) -> None:
        self._session = session

    async def __aenter__(self) -> Any:
        return self._session

    async def __aexit__(self, *_exc: object) -> None:
        return None


def _endpoint_session(self: Any) -> Any:
    """Return the endpoint's client session for this event loop (configured as Rasa does)."""
    import asyncio
    import weakref

    import aiohttp
    from rasa.core.constants import DEFAULT_REQUEST_TIMEOUT

    loop = asyncio.get_running_loop()
    sessions = self.__dict__.setdefault(_SESSIONS, weakref.WeakKeyDictionary())
    session = sessions.get(loop)
    if session is None or session.closed:
        auth = None
        if self.basic_auth:
            auth = aiohttp.BasicAuth(self.basic_auth["username"], self.basic_auth["password"])
        session = aiohttp.ClientSession(
            headers=self.headers,
            auth=auth,
            timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
            connector=aiohttp.TCPConnector(keepalive_timeout=_KEEPALIVE_SECONDS),
            json_serialize=hot_paths.json_dumps,
        )
        sessions[loop] = session
    return _KeptSession(session)


async def _execute_custom_action(
    self: Any,
    mapping: dict[str, Any],
    executed_custom_actions: set[str],
    output_channel: Any,
    nlg: Any,
    tracker: Any,
    domain: Any,
) -> tuple[list[Any], set[str]]:
    """Run a custom mapping's action as Rasa does, unless it needs metadata the message lacks."""
    key = _NEEDS_METADATA_KEY.get(mapping.get("action") or "")
    if key is not None:
        metadata = tracker.latest_message.metadata if tracker.latest_message else None
        if not isinstance(metadata, Mapping) or not metadata.get(key):
            return [], executed_custom_actions
    return await _original("ActionExtractSlots", "_execute_custom_action")(  # type: ignore[no-any-return]
        self, mapping, executed_custom_actions, output_channel, nlg, tracker, domain
    )


async def _run_remote_action(
    self: Any, output_channel: Any, nlg: Any, tracker: Any, domain: Any
) -> list[Any]:
    """Run a custom action on the action server, or here when it needs only the tracker."""
    local = LOCAL_ACTIONS.get(self.name())
    if local is not None:
        return local(tracker)
    return await _original("RemoteAction", "run")(  # type: ignore[no-any-return]
        self, output_channel, nlg, tracker, domain
    )


# --- 4. filling slots into responses -------------------------------------------------
#
# Rasa fills slot values into every text of a response, button payloads
# included. A payload such as '/inform{"service_type":"repair"}' looks like a
# placeholder to it: it raises a KeyError, logs it at ERROR with the whole
# stack and its local variables (the slot values among them) and returns the
# text unchanged - for each of the eight buttons of the booking form's first
# question, on every turn that asks it. A text whose placeholders name no slot
# is returned unchanged without that detour; a text without braces is returned
# as it is (Rasa's format() gives the same text); everything else goes to
# Rasa's function.

_PLACEHOLDER = re.compile(r"{([^\n{}]+?)}")


def _interpolate_text(response: str, values: dict[str, Any]) -> str:
    """Fill slot values into ``response`` as Rasa does, without errors for non-slot braces."""
    if "{" not in response and "}" not in response:
        return response
    names = _PLACEHOLDER.findall(response)
    if names and "{{" not in response and not any(name in values for name in names):
        return response
    return _original("", "interpolate_text")(response, values)  # type: ignore[no-any-return]


PATCHES: tuple[Patch, ...] = (
    Patch(
        "rasa.core.actions.action",
        "RemoteAction",
        "_validate_action_result",
        "f8cdb4be6812396167ced74161b2ccd65c5ea676ad86d7d359d8c322d9d8dc42",
        _validate_action_result,
    ),
    Patch(
        "rasa.core.tracker_store",
        "SQLTrackerStore",
        "_retrieve",
        "c8adbf6f4b61ddd1124690944ebdf2ebc82d0723bd07c6704caab0b80120a0ef",
        _sql_store_retrieve,
    ),
    Patch(
        "rasa.core.tracker_store",
        "SQLTrackerStore",
        "save",
        "57165e46eab3de0866e77f03df0bf7fd5eac2c1de617ed431b934c9a4edfeef6",
        _sql_store_save,
    ),
    Patch(
        "rasa.utils.endpoints",
        "EndpointConfig",
        "session",
        "e55aa13d9d4fb4bc440ac33b870a97ee162b76dda7ccb6bf68433567475fdffb",
        _endpoint_session,
    ),
    Patch(
        "rasa.core.actions.action",
        "RemoteAction",
        "run",
        "ccabf6f1160d527a157fad5bd285ce69e8221b1bcad23f8a61499b4360a1c17e",
        _run_remote_action,
    ),
    Patch(
        "rasa.core.actions.action",
        "ActionExtractSlots",
        "_execute_custom_action",
        "a35ee5cc9f5d3152838dd634d5cdcd70c71c473ca5eee1e9e2a74bcca24e9504",
        _execute_custom_action,
    ),
    Patch(
        "rasa.core.nlg.interpolator",
        "",
        "interpolate_text",
        "103660b426d1753bbd27c22731142b9cdc40c09c9166694ff19dfeca9e2802fc",
        _interpolate_text,
    ),
    # 5. code that runs many times per turn (bot/rasa/hot_paths.py)
    Patch(
        "rasa.shared.core.events",
        "Event",
        "resolve_by_type",
        "b5cf570fa7f286c7059ec73d8880528d03a78b28cf4e80285a46079c0fa65968",
        staticmethod(hot_paths.resolve_event_type),
    ),
    Patch(
        "rasa.engine.graph",
        "GraphSchema",
        "minimal_graph_schema",
        "58dfb30335499fff7640e0d4ea6c0a715e23abc27e641b05636798db7bb4f9fe",
        hot_paths.minimal_graph_schema,
    ),
    Patch(
        "rasa.core.policies.rule_policy",
        "RulePolicy",
        "_get_possible_keys",
        "2915fd81711e194c6d667728e00bd0e51e9c1c2791a0be14c55f0ef9938f9936",
        hot_paths.possible_rule_keys,
    ),
    Patch(
        "rasa.engine.runner.dask",
        "DaskGraphRunner",
        "run",
        "45f0f52f574f3aa9546a552bf671183e171092c18b66e97f5771a7fa295de37e",
        hot_paths.run_graph,
    ),
)

ADDITIONS: tuple[Addition, ...] = (
    # 6. copying slots (bot/rasa/hot_paths.py: copy_slot)
    Addition("rasa.shared.core.slots", "Slot", "__copy__", hot_paths.copy_slot),
)

RELIED_ON: tuple[Pin, ...] = (
    # every tracker copies the domain's slots with copy.copy (ADDITIONS: Slot.__copy__)
    Pin(
        "rasa.shared.core.trackers",
        "DialogueStateTracker",
        "__init__",
        "8f39eb22462aa62b140d9da1f6db986cbc76383d8f7cc4e3dc7664fa7d84cb2d",
    ),
    # possible_rule_keys skips the rules this check would refuse at the newest state
    Pin(
        "rasa.core.policies.rule_policy",
        "RulePolicy",
        "_is_rule_applicable",
        "64a108b016b46e573d6020b755a6036439dc207a364b45c9ea5dcb0f18dc7068",
    ),
    # action_response_error checks the events of this schema one by one
    Pin(
        "rasa.core.actions.action",
        "RemoteAction",
        "action_response_format_spec",
        "091b74aa3738d1262cf3c028386aaf9dd4f0d5c1374b62392411d70a79104a46",
    ),
    # Rasa fills every text of a response through the module's interpolate_text
    Pin(
        "rasa.core.nlg.interpolator",
        "",
        "interpolate",
        "f797ae38ba541564a75605dea665addb471c621d2c72448f2638aaca063b64ed",
    ),
    # the store's engine and sessionmaker, made before our patches are installed
    Pin(
        "rasa.core.tracker_store",
        "SQLTrackerStore",
        "__init__",
        "64e704d159dfa35b86175cccdc9d08b05cbf91b2e0779bccf115671106ad9314",
    ),
    # what Rasa's save() counts (the events of the latest session) and how its
    # retrieve() selects them: our remembered count must mean the same
    Pin(
        "rasa.core.tracker_store",
        "SQLTrackerStore",
        "_additional_events",
        "d22f99eb863acb07afee63d9fe3a04ca8464251e67a43eb7d36c2d65ffc1653f",
    ),
    Pin(
        "rasa.core.tracker_store",
        "SQLTrackerStore",
        "_event_query",
        "cd44f7901b860bfd598a813bde17d0d5b0d7bab129feaf76bb2dca87d628625b",
    ),
    # how new events reach the event broker
    Pin(
        "rasa.core.tracker_store",
        "TrackerStore",
        "_stream_new_events",
        "a3990c70850759b80da1ecac9b2e585fa7c6a0ba6f1f741b401410186fd326e8",
    ),
    Pin(
        "rasa.core.tracker_store",
        "TrackerStore",
        "stream_events",
        "efd3615f5340218a9edb4f386ed208d38f0d413d197eadc8b386d34fc8e4399c",
    ),
    # every use of EndpointConfig.session() is an `async with` around one request
    Pin(
        "rasa.utils.endpoints",
        "EndpointConfig",
        "request",
        "ccdb778aed8208e23cde3c3f47eac7fbbbb735dac8f7ef7254d54451c64ad608",
    ),
    Pin(
        "rasa.core.agent",
        "",
        "_pull_model_and_fingerprint",
        "373d0bc12bb9a25c99349a0c9db3f41f43abcfbf00860889a6efaebdd70849a3",
    ),
)


_ORIGINALS: dict[tuple[str, str], Callable[..., Any]] = {}


def _original(owner: str, name: str) -> Callable[..., Any]:
    """Return Rasa's own code under a patch (remembered: this runs on every turn)."""
    found = _ORIGINALS.get((owner, name))
    if found is not None:
        return found
    for patch in PATCHES:
        if patch.owner == owner and patch.name == name:
            found = patch.original()
            if installed_here(patch):
                _ORIGINALS[(owner, name)] = found
            return found
    raise KeyError(f"{owner}.{name}")


def installed_here(patch: Patch) -> bool:
    """Tell whether ``patch`` is in place."""
    return getattr(patch.owner_class().__dict__[patch.name], _MARK, None) is not None


def install() -> None:
    """Install every patch (idempotent)."""
    for patch in PATCHES:
        owner = patch.owner_class()
        current = owner.__dict__[patch.name]
        if getattr(current, _MARK, None) is not None:
            continue
        setattr(patch.replacement, _MARK, current)
        setattr(owner, patch.name, patch.replacement)
    for addition in ADDITIONS:
        owner = addition.owner_class()
        if addition.name not in owner.__dict__:
            setattr(owner, addition.name, addition.method)
    logger.info("Rasa patches installed: %s", ", ".join(p.target for p in PATCHES))


def installed() -> list[str]:
    """Return the targets whose patch is in place."""
    return [patch.target for patch in PATCHES if installed_here(patch)]
