"""Trackers as the Rasa server sends them, and the actions' collaborators over a real CRM."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterable
from datetime import date, datetime, timezone
from typing import Any

import pytest
import pytest_asyncio
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.services import Services
from actions.slots import identity_signer
from bot.crm.http_client import HttpCRMClient
from bot.settings import Secret
from tests.support.processes import PROJECT_ROOT, free_port

TOKEN_SECRET = "t" * 40
TODAY = date(2026, 11, 23)


def demo_clock() -> datetime:
    """09:00 in Munich on ``TODAY`` (a Monday), like the CRM's clock in these tests."""
    return datetime(2026, 11, 23, 8, 0, tzinfo=timezone.utc)


@pytest.fixture(scope="session")
def domain() -> dict[str, Any]:
    """The project's domain.yml as a dict (what the action server receives)."""
    return yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())


def initial_slots(domain: dict[str, Any]) -> dict[str, Any]:
    slots = {name: spec.get("initial_value") for name, spec in domain["slots"].items()}
    slots.update(requested_slot=None, session_started_metadata=None)
    return slots


def user(
    text: str,
    intent: str,
    entities: Iterable[tuple[str, str]] = (),
    metadata: dict[str, Any] | None = None,
    channel: str = "rest",
) -> dict[str, Any]:
    """A user event like Rasa's (entities as (name, value) pairs)."""
    return {
        "event": "user",
        "timestamp": time.time(),
        "text": text,
        "input_channel": channel,
        "metadata": metadata or {},
        "parse_data": {
            "text": text,
            "intent": {"name": intent, "confidence": 0.99},
            "intent_ranking": [{"name": intent, "confidence": 0.99}],
            "entities": [{"entity": name, "value": value} for name, value in entities],
        },
    }


def slot(name: str, value: Any) -> dict[str, Any]:
    return {"event": "slot", "timestamp": time.time(), "name": name, "value": value}


def action(name: str) -> dict[str, Any]:
    return {"event": "action", "timestamp": time.time(), "name": name}


def make_tracker(
    domain: dict[str, Any],
    events: list[dict[str, Any]],
    slots: dict[str, Any] | None = None,
    active_loop: str | None = None,
    sender: str = "conv-1",
) -> Tracker:
    """A tracker whose slots are the domain's initial values, the slot events, then ``slots``.

    A verified customer number gets the claim the action server signs when it
    verifies (unless ``slots`` give their own ``identity_claim``).
    """
    values = initial_slots(domain)
    for event in events:
        if event["event"] == "slot":
            values[event["name"]] = event["value"]
    values.update(slots or {})
    number = values.get("verified_customer_number")
    if isinstance(number, str) and number and "identity_claim" not in (slots or {}):
        values["identity_claim"] = identity_signer().sign(sender, number)
    latest = next((e for e in reversed(events) if e["event"] == "user"), None)
    latest_message = dict(latest["parse_data"]) if latest else {}
    return Tracker(
        sender,
        values,
        latest_message,
        events,
        False,
        None,
        {"name": active_loop} if active_loop else {},
        events[-1]["name"] if events and events[-1]["event"] == "action" else None,
    )


def form_turn(
    domain: dict[str, Any],
    message: dict[str, Any],
    *,
    asked: str | None,
    slots: dict[str, Any] | None = None,
) -> Tracker:
    """The tracker the form sends its validation action after ``message``.

    ``asked`` is the slot the form asked for (None when the message activates the form).
    """
    history = [action("action_listen"), message]
    values = {"requested_slot": asked, **(slots or {})}
    return make_tracker(
        domain,
        [*history, slot("requested_slot", asked), action("verification_form")],
        values,
        active_loop="verification_form" if asked else None,
    )


def responses(dispatcher: CollectingDispatcher) -> list[str]:
    return [message["response"] for message in dispatcher.messages]


def as_dict(events: list[dict[str, Any]]) -> dict[str, Any]:
    """The slot values the events set (the last one wins)."""
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


@pytest.fixture
def services(local_crm) -> Services:
    """The actions' collaborators over the real, seeded CRM (in process)."""
    return Services(
        crm_factory=lambda: local_crm, token_secret=Secret(TOKEN_SECRET), clock=demo_clock
    )


@pytest_asyncio.fixture(loop_scope="function")
async def unreachable_services() -> AsyncIterator[Services]:
    """Collaborators whose CRM refuses connections (nothing listens on the port)."""
    client = HttpCRMClient(f"http://127.0.0.1:{free_port()}", Secret("x" * 32))
    yield Services(crm_factory=lambda: client, token_secret=Secret(TOKEN_SECRET), clock=demo_clock)
    await client.aclose()


@pytest_asyncio.fixture(loop_scope="function")
async def hung_services() -> AsyncIterator[Services]:
    """Collaborators whose CRM accepts connections and never answers."""
    held: list[asyncio.StreamWriter] = []

    async def hold(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)

    server = await asyncio.start_server(hold, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    client = HttpCRMClient(f"http://127.0.0.1:{port}", Secret("x" * 32))
    yield Services(crm_factory=lambda: client, token_secret=Secret(TOKEN_SECRET), clock=demo_clock)
    await client.aclose()
    for writer in held:
        writer.close()
    server.close()
