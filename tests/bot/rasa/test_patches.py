"""The patches of Rasa internals: pinned to the code they replace, installed, same behaviour."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest

import bot.nlu.components  # noqa: F401  (installs the patches, as in every Rasa process)
from bot.rasa import patches as rasa_patches
from bot.rasa.patches import PATCHES, RELIED_ON, install, installed, source_sha256


@pytest.mark.parametrize("pin", PATCHES + RELIED_ON, ids=lambda p: p.target)
def test_rasa_still_has_the_code_the_patches_were_written_for(pin) -> None:
    assert source_sha256(pin.original()) == pin.source_sha256, (
        f"Rasa changed {pin.target}: read the new code, adapt bot/rasa/patches.py, re-pin"
    )


def test_importing_our_components_installs_every_patch_once() -> None:
    assert installed() == [p.target for p in PATCHES]
    install()  # a second time changes nothing
    for patch in PATCHES:
        assert patch.owner_class().__dict__[patch.name] is patch.replacement
        assert not hasattr(patch.original(), "__nordlicht_patch__")


# --- 1. action server responses --------------------------------------------------

VALID_RESPONSES: list[dict[str, Any]] = [
    {},
    {"events": [], "responses": []},
    {
        "events": [
            {"event": "slot", "name": "customer_number", "value": "K-100001"},
            {"event": "active_loop", "name": None},
            {"event": "followup", "name": "action_listen"},
        ],
        "responses": [{"response": "utter_greet", "buttons": []}],
    },
]
MALFORMED_RESPONSES: list[Any] = [
    {"events": {"event": "slot"}},
    {"events": [{"event": "no_such_event"}]},
    {"events": [{"event": "slot"}]},  # a slot event without a name
    {"responses": ["utter_greet"]},
    ["not", "an", "object"],
]


def validate(result: Any) -> bool:
    from rasa.core.actions.action import RemoteAction

    return RemoteAction("action_test", None)._validate_action_result(result)


@pytest.mark.parametrize("response", VALID_RESPONSES)
def test_a_valid_action_response_passes(response) -> None:
    assert validate(response) is True


@pytest.mark.parametrize("response", MALFORMED_RESPONSES)
def test_a_malformed_action_response_is_rejected_as_rasa_rejects_it(response) -> None:
    from rasa.core.actions.action import RemoteAction

    with pytest.raises(jsonschema.ValidationError) as ours:
        validate(response)
    with pytest.raises(jsonschema.ValidationError) as rasas:
        jsonschema.validate(response, RemoteAction.action_response_format_spec())
    assert ours.value.message.startswith(rasas.value.message)
    assert "Failed to validate Action server response" in ours.value.message
    assert list(ours.value.path) == list(rasas.value.path)


# --- 2. the SQL tracker store -------------------------------------------------------

DOMAIN_YAML = """
version: "3.1"
intents: [greet, order_status]
slots:
  customer_number:
    type: text
    mappings: [{type: custom}]
responses:
  utter_greet: [{text: "Hallo"}]
"""


class CollectingBroker:
    """An event broker that keeps what it is given (Rasa calls publish per event)."""

    def __init__(self) -> None:
        self.published: list[dict[str, Any]] = []

    def publish(self, event: dict[str, Any]) -> None:
        self.published.append(event)


@pytest.fixture
def domain():
    from rasa.shared.core.domain import Domain

    return Domain.from_yaml(DOMAIN_YAML)


def sql_store(domain, path, broker=None):
    from rasa.core.tracker_store import SQLTrackerStore

    return SQLTrackerStore(domain, dialect="sqlite", db=str(path), event_broker=broker)


def turn(tracker, domain, text: str, number: str | None = None) -> list:
    from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered

    events = [
        UserUttered(text, {"name": "greet", "confidence": 1.0}),
        *([SlotSet("customer_number", number)] if number else []),
        ActionExecuted("utter_greet"),
        BotUttered("Hallo", metadata={"utter_action": "utter_greet"}),
        ActionExecuted("action_listen"),
    ]
    tracker.update_with_events(events, domain)
    return events


def stored_rows(path) -> list[dict[str, Any]]:
    import json
    import sqlite3

    with sqlite3.connect(path) as connection:
        rows = connection.execute("SELECT data FROM events ORDER BY id").fetchall()
    return [json.loads(data) for (data,) in rows]


async def test_each_turn_stores_exactly_its_new_events_once(domain, tmp_path) -> None:
    path = tmp_path / "tracker.db"
    store = sql_store(domain, path)
    tracker = await store.get_or_create_tracker("c1")  # created: saved Rasa's way
    for i in range(3):
        tracker = await store.retrieve("c1")
        turn(tracker, domain, f"Hallo {i}", number=f"K-10000{i}")
        await store.save(tracker)
    assert stored_rows(path) == [e.as_dict() for e in tracker.events]
    again = await store.retrieve("c1")
    assert [e.as_dict() for e in again.events] == [e.as_dict() for e in tracker.events]
    assert again.get_slot("customer_number") == "K-100002"


async def test_saving_the_same_tracker_twice_adds_nothing(domain, tmp_path) -> None:
    path = tmp_path / "tracker.db"
    store = sql_store(domain, path)
    await store.get_or_create_tracker("c1")
    tracker = await store.retrieve("c1")
    turn(tracker, domain, "Hallo")
    await store.save(tracker)
    await store.save(tracker)
    assert len(stored_rows(path)) == len(tracker.events)


async def test_a_new_session_is_stored_and_retrieved_apart_from_the_old_one(
    domain, tmp_path
) -> None:
    from rasa.shared.core.events import ActionExecuted, SessionStarted

    path = tmp_path / "tracker.db"
    store = sql_store(domain, path)
    await store.get_or_create_tracker("c1")
    tracker = await store.retrieve("c1")
    old = turn(tracker, domain, "alte Sitzung")
    await store.save(tracker)
    tracker = await store.retrieve("c1")
    tracker.update_with_events(
        [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")],
        domain,
    )
    new = turn(tracker, domain, "neue Sitzung")
    await store.save(tracker)
    assert len(stored_rows(path)) == len(tracker.events)
    latest = await store.retrieve("c1")
    texts = [e.text for e in latest.events if getattr(e, "text", None)]
    assert "neue Sitzung" in texts and "alte Sitzung" not in texts
    full = await store.retrieve_full_tracker("c1")
    assert [e.as_dict() for e in full.events] == [e.as_dict() for e in tracker.events]
    assert old[0].text != new[0].text


async def test_two_servers_taking_turns_on_one_conversation_lose_nothing(domain, tmp_path) -> None:
    path = tmp_path / "tracker.db"
    stores = [sql_store(domain, path), sql_store(domain, path)]
    await stores[0].get_or_create_tracker("c1")
    for i in range(4):
        store = stores[i % 2]
        tracker = await store.retrieve("c1")
        turn(tracker, domain, f"Nachricht {i}")
        await store.save(tracker)
    final = await stores[0].retrieve("c1")
    texts = [e.text for e in final.events if getattr(e, "text", None) and e.type_name == "user"]
    assert texts == [f"Nachricht {i}" for i in range(4)]
    assert stored_rows(path) == [e.as_dict() for e in final.events]


async def test_the_event_broker_gets_every_new_event_once(domain, tmp_path) -> None:
    broker = CollectingBroker()
    store = sql_store(domain, tmp_path / "tracker.db", broker)
    await store.get_or_create_tracker("c1")
    tracker = await store.retrieve("c1")
    turn(tracker, domain, "Hallo")
    await store.save(tracker)
    tracker = await store.retrieve("c1")
    turn(tracker, domain, "Noch was")
    await store.save(tracker)
    published = [{k: v for k, v in e.items() if k != "sender_id"} for e in broker.published]
    assert published == [e.as_dict() for e in tracker.events]
    assert {e["sender_id"] for e in broker.published} == {"c1"}


async def test_sqlite_tracker_files_are_written_in_wal_mode(domain, tmp_path) -> None:
    import sqlite3

    path = tmp_path / "tracker.db"
    store = sql_store(domain, path)
    await store.get_or_create_tracker("c1")
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)


# --- 3. round trips to the action server ---------------------------------------------


@pytest.fixture
def action_endpoint_server():
    """A stand-in action server on a loopback port (own thread) that records who called it."""
    import json
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    calls: list[dict[str, Any]] = []

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as Sanic

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            calls.append({"action": body["next_action"], "peer": self.client_address})
            answer = json.dumps({"events": [], "responses": []}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/webhook", calls
    server.shutdown()
    server.server_close()


async def test_requests_to_an_endpoint_share_one_connection(action_endpoint_server) -> None:
    from rasa.utils.endpoints import EndpointConfig

    url, calls = action_endpoint_server
    endpoint = EndpointConfig(url)
    for name in ("action_one", "action_two", "action_three"):
        assert await endpoint.request(json={"next_action": name}, method="post") == {
            "events": [],
            "responses": [],
        }
    assert [c["action"] for c in calls] == ["action_one", "action_two", "action_three"]
    assert len({c["peer"] for c in calls}) == 1


TOKEN_DOMAIN_YAML = """
version: "3.1"
intents: [greet]
slots:
  verified_customer_number:
    type: text
    mappings:
      - type: custom
        action: action_check_customer_token
actions: [action_check_customer_token]
"""


@pytest.mark.parametrize(
    ("metadata", "calls_expected"),
    [(None, 0), ({}, 0), ({"customer_token": ""}, 0), ({"customer_token": "eyJ..."}, 1)],
)
async def test_the_token_check_runs_only_for_a_message_with_a_token(
    action_endpoint_server, metadata, calls_expected
) -> None:
    from rasa.core.actions.action import ActionExtractSlots
    from rasa.core.channels import CollectingOutputChannel
    from rasa.core.nlg import TemplatedNaturalLanguageGenerator
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker
    from rasa.utils.endpoints import EndpointConfig

    url, calls = action_endpoint_server
    domain = Domain.from_yaml(TOKEN_DOMAIN_YAML)
    tracker = DialogueStateTracker.from_events(
        "c1",
        [UserUttered("Hallo", {"name": "greet", "confidence": 1.0}, metadata=metadata)],
        slots=domain.slots,
    )
    action = ActionExtractSlots(EndpointConfig(url))
    events = await action.run(
        CollectingOutputChannel(), TemplatedNaturalLanguageGenerator({}), tracker, domain
    )
    assert events == []
    assert [c["action"] for c in calls] == ["action_check_customer_token"] * calls_expected


# --- in a running server -----------------------------------------------------------


@pytest.mark.model
@pytest.mark.e2e
def test_the_running_rasa_server_has_the_patches_installed(rasa_server) -> None:
    expected = ", ".join(p.target for p in rasa_patches.PATCHES)
    assert f"Rasa patches installed: {expected}" in rasa_server.log()


async def test_the_fail_closed_store_saving_a_copy_without_tokens_stores_each_event_once(
    domain, tmp_path
) -> None:
    from rasa.shared.core.events import UserUttered

    from bot.rasa.tracker_store import CUSTOMER_TOKEN_KEY, StrictSQLTrackerStore

    path = tmp_path / "tracker.db"
    store = StrictSQLTrackerStore(domain, dialect="sqlite", db=str(path))
    await store.get_or_create_tracker("c1")
    tracker = await store.retrieve("c1")
    tracker.update(UserUttered("Hallo", metadata={CUSTOMER_TOKEN_KEY: "signed-token"}), domain)
    turn(tracker, domain, "Hallo")
    await store.save(tracker)  # a copy without the token is what gets stored
    turn(tracker, domain, "Noch eine Frage")
    await store.save(tracker)
    rows = stored_rows(path)
    assert len(rows) == len(tracker.events)
    assert not any(CUSTOMER_TOKEN_KEY in str(row) for row in rows)


# --- 4. filling slots into responses ------------------------------------------------

TEXTS = [
    "Guten Tag!",
    "Hallo {customer_name}, wie kann ich helfen?",
    '/inform{"service_type":"repair"}',
    "Ihr Termin: {appointment_date} um {appointment_time}",
    "{no_such_slot} und {customer_name}",
    "{{customer_name}} bleibt stehen",
    "Preis: 1.234,56 €",
]


@pytest.mark.parametrize("text", TEXTS)
def test_slot_filling_gives_rasas_text(text: str) -> None:
    from rasa.core.nlg import interpolator

    values = {"customer_name": "Frau Berg", "appointment_date": "27.11.2026"}
    original = next(p for p in PATCHES if p.name == "interpolate_text").original()
    assert interpolator.interpolate_text(text, dict(values)) == original(text, dict(values))


def test_a_button_payload_is_left_alone_without_an_error_in_the_log(caplog, capsys) -> None:
    """Rasa logs (structlog) a KeyError with its stack and locals; ours passes silently."""
    from rasa.core.nlg import interpolator

    payload = '/inform{"service_type":"repair"}'
    original = next(p for p in PATCHES if p.name == "interpolate_text").original()
    with caplog.at_level("DEBUG"):
        assert original(payload, {"a": 1}) == payload
        rasas = capsys.readouterr().out + caplog.text
        caplog.clear()
        response = interpolator.interpolate({"buttons": [{"payload": payload}]}, {"a": 1})
        ours = capsys.readouterr().out + caplog.text
    assert "interpolator.interpolate.text" in rasas
    assert response == {"buttons": [{"payload": payload}]}
    assert "interpolator.interpolate.text" not in ours
