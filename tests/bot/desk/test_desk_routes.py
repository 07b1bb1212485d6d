"""The desk's routes in process (httpx ASGI transport): page, static files, live updates."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import AsyncIterator
from datetime import datetime, timezone
from pathlib import Path

import httpx
import pytest
from anyio import to_thread

from bot.channels.typing_relay import TypingRelay
from bot.desk.live import ChangeSignal, SharedReads, next_update
from bot.desk.router import DESK_DIR
from bot.escalation.auth import issue_agent_token
from bot.escalation.client import EscalationClient
from bot.escalation.schemas import EscalationIntake
from bot.settings import Secret, Settings
from bot.web.app import create_app
from tests.bot.escalation.conftest import AGENT_SECRET, T0, invoice_conversation, settings, user

CRM_TOKEN = Secret("desk-test-crm-token-0123456789abcdef")
PASSWORD = "geheim-genug-1"


@pytest.fixture
async def app(crm_service_local, tmp_path: Path):
    built = create_app(
        Settings(
            crm_database_url=f"sqlite:///{tmp_path / 'unused.db'}",
            crm_api_token=CRM_TOKEN,
        ),
        crm_service=crm_service_local,
        escalation_settings=settings(),
    )
    built.state.escalations.agents.create_agent("keller", PASSWORD, "Frau Keller")
    return built


@pytest.fixture
async def client(app) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bot") as client:
        yield client


async def log_in(client: httpx.AsyncClient) -> dict[str, str]:
    response = await client.post(
        "/api/auth/login", json={"username": "keller", "password": PASSWORD}
    )
    assert response.status_code == 200
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def open_escalation(app, conversation: str, reason: str = "customer_request") -> int:
    intake = EscalationIntake(
        conversation_id=conversation,
        reason=reason,
        verified_customer_number="K-100001",
        channel="socketio",
        events=invoice_conversation(),
    )
    return app.state.escalations.service.open_escalation(intake).escalation_id


async def test_the_page_loads_only_its_own_files_under_a_strict_csp(client) -> None:
    response = await client.get("/desk")
    assert response.status_code == 200
    csp = response.headers["content-security-policy"]
    assert "script-src 'self';" in csp and "style-src 'self';" in csp
    assert "unsafe-inline" not in csp and "connect-src 'self';" in csp
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["cache-control"] == "no-store"
    html = response.text
    scripts = re.findall(r"<script([^>]*)>", html)
    assert scripts and all('src="/desk/static/' in attributes for attributes in scripts)
    assert " style=" not in html and "<style" not in html


async def test_every_file_the_page_and_its_modules_load_is_served(client) -> None:
    html = (await client.get("/desk")).text
    paths = set(re.findall(r'(?:src|href)="(/(?:desk/)?static/[^"]+)"', html))
    for module in (DESK_DIR / "static").glob("*.js"):
        imports = re.findall(r'from "\./([\w-]+\.js)"', module.read_text())
        paths.update(f"/desk/static/{name}" for name in imports)
    assert "/desk/static/desk.js" in paths and "/desk/static/api.js" in paths
    for path in sorted(paths):
        response = await client.get(path)
        assert response.status_code == 200, path
        assert response.headers["x-content-type-options"] == "nosniff"
    script = await client.get("/desk/static/desk.js")
    assert script.headers["content-type"].startswith("text/javascript")
    assert (await client.get("/desk/static/../router.py")).status_code == 404


async def test_the_scripts_never_put_data_into_html() -> None:
    for module in (DESK_DIR / "static").glob("*.js"):
        source = module.read_text()
        assert "innerHTML" not in source and "insertAdjacentHTML" not in source, module.name
        assert "eval(" not in source and "document.write" not in source, module.name


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer not-a-token", "Basic a2VsbGVyOmdlaGVpbQ=="],
    ids=["missing", "forged", "wrong-scheme"],
)
async def test_live_updates_need_an_agent_token(client, authorization) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    response = await client.get("/desk/api/updates", headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


async def test_an_expired_token_is_refused(client) -> None:
    expired = issue_agent_token(1, "keller", AGENT_SECRET.reveal(), ttl_seconds=-10)
    response = await client.get("/desk/api/updates", headers={"Authorization": f"Bearer {expired}"})
    assert response.status_code == 401


async def test_a_valid_token_of_an_unknown_agent_is_refused_by_desk_and_api(client) -> None:
    stranger = issue_agent_token(999, "ghost", AGENT_SECRET.reveal(), ttl_seconds=60)
    headers = {"Authorization": f"Bearer {stranger}"}
    assert (await client.get("/desk/api/updates", headers=headers)).status_code == 401
    assert (await client.get("/api/escalations", headers=headers)).status_code == 401
    me = await client.get("/api/auth/me", headers=await log_in(client))
    assert me.status_code == 200


async def test_the_snapshot_has_the_queue_by_priority_and_the_open_escalation(app, client) -> None:
    normal = open_escalation(app, "conv-normal")
    urgent = open_escalation(app, "conv-urgent", "breakdown_urgent")
    headers = await log_in(client)

    response = await client.get("/desk/api/updates", params={"escalation": normal}, headers=headers)

    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert body["changed"] is True and len(body["cursor"]) == 32
    assert [(item["id"], item["priority"]) for item in body["open"]] == [
        (urgent, "urgent"),
        (normal, "normal"),
    ]
    assert [item["queue_position"] for item in body["open"]] == [1, 2]
    assert body["claimed"] == []
    package = body["escalation"]
    assert package["id"] == normal and package["customer"]["verified"] is True
    assert package["transcript"][0] == {
        "role": "customer",
        "text": "Ich habe eine Frage zu meiner Rechnung R-20250100",
        "timestamp": datetime.fromtimestamp(T0 + 1, timezone.utc).isoformat(),
        "attachment": None,
    }
    assert body["agent"]["username"] == "keller" and body["missing"] is False


async def test_an_unchanged_snapshot_is_held_until_the_wait_ends(app, client) -> None:
    open_escalation(app, "conv-1")
    headers = await log_in(client)
    first = (await client.get("/desk/api/updates", headers=headers)).json()

    started = time.perf_counter()
    again = await client.get(
        "/desk/api/updates", params={"cursor": first["cursor"], "wait": 1}, headers=headers
    )

    assert time.perf_counter() - started >= 0.9
    assert again.json()["changed"] is False
    assert again.json()["cursor"] == first["cursor"]


async def test_a_new_escalation_ends_the_wait_at_once(app, client) -> None:
    headers = await log_in(client)
    first = (await client.get("/desk/api/updates", headers=headers)).json()
    assert first["open"] == []

    async def customer_asks_for_a_human() -> int:
        await asyncio.sleep(0.3)
        return await to_thread.run_sync(open_escalation, app, "conv-new")

    started = time.perf_counter()
    waiting = client.get(
        "/desk/api/updates", params={"cursor": first["cursor"], "wait": 20}, headers=headers
    )
    response, created = await asyncio.gather(waiting, customer_asks_for_a_human())

    assert time.perf_counter() - started < 2.0
    body = response.json()
    assert body["changed"] is True and [item["id"] for item in body["open"]] == [created]


async def test_a_customer_message_reaches_the_open_escalation(app, client) -> None:
    escalation_id = open_escalation(app, "conv-1")
    headers = await log_in(client)
    params = {"escalation": escalation_id}
    first = (await client.get("/desk/api/updates", params=params, headers=headers)).json()

    events = [*invoice_conversation(), user("Sind Sie noch da?", "greet", at=60)]
    app.state.escalations.service.open_escalation(
        EscalationIntake(conversation_id="conv-1", events=events)
    )
    body = (
        await client.get(
            "/desk/api/updates", params={**params, "cursor": first["cursor"]}, headers=headers
        )
    ).json()

    assert body["changed"] is True
    assert body["escalation"]["transcript"][-1]["text"] == "Sind Sie noch da?"


async def test_an_unknown_escalation_is_reported_missing(client) -> None:
    headers = await log_in(client)
    body = (
        await client.get("/desk/api/updates", params={"escalation": 999}, headers=headers)
    ).json()
    assert (body["escalation"], body["missing"]) == (None, True)


@pytest.mark.parametrize(
    "params", [{"escalation": "abc"}, {"escalation": 0}, {"wait": 99}, {"cursor": "x" * 65}]
)
async def test_bad_parameters_get_422(client, params) -> None:
    headers = await log_in(client)
    response = await client.get("/desk/api/updates", params=params, headers=headers)
    assert response.status_code == 422


class CountingReader:
    """A stand-in for the escalation service whose open queue the test changes."""

    def __init__(self) -> None:
        self.open: list[dict] = []
        self.reads = 0

    def list_escalations(self, status: str = "open") -> list[dict]:
        self.reads += 1
        return list(self.open) if status == "open" else []

    def get_escalation(self, escalation_id: int) -> dict:
        raise AssertionError("not asked for")


async def test_a_change_signal_ends_the_pause_between_two_reads() -> None:
    reader, changes = CountingReader(), ChangeSignal()
    first = await next_update(reader, None, "", wait_seconds=0, poll_seconds=10)
    waiting = asyncio.create_task(
        next_update(
            reader, None, first["cursor"], wait_seconds=20, poll_seconds=10, changes=changes
        )
    )
    await asyncio.sleep(0.2)
    reader.open.append({"id": 7})
    started = time.perf_counter()
    changes.notify()
    update = await asyncio.wait_for(waiting, timeout=5)
    assert time.perf_counter() - started < 1.0  # not the 10 s poll interval
    assert update["changed"] is True and update["open"] == [{"id": 7}]


async def test_a_write_call_to_the_api_wakes_the_desk(app, client) -> None:
    waiter = asyncio.create_task(app.state.desk_changes.wait(10))
    await asyncio.sleep(0.05)
    response = await client.post(
        "/api/internal/escalations",
        json={"conversation_id": "conv-woken", "events": invoice_conversation()},
        headers={"Authorization": f"Bearer {CRM_TOKEN.reveal()}"},
    )
    assert response.status_code == 201
    await asyncio.wait_for(waiter, timeout=1)

    headers = await log_in(client)  # a POST as well
    reading = asyncio.create_task(app.state.desk_changes.wait(0.5))
    await asyncio.sleep(0.05)
    started = time.perf_counter()
    await client.get("/api/escalations", headers=headers)
    await reading
    assert time.perf_counter() - started > 0.3  # a GET changes nothing: no wake-up


async def test_waiting_desks_share_one_read_per_poll_interval() -> None:
    reader, changes = CountingReader(), ChangeSignal()
    shared = SharedReads(reader, changes, max_age=10)
    first = await next_update(shared, None, "", wait_seconds=0, poll_seconds=10)
    assert reader.reads == 2  # the open and the claimed queue
    waiters = [
        asyncio.create_task(
            next_update(
                shared, None, first["cursor"], wait_seconds=20, poll_seconds=10, changes=changes
            )
        )
        for _ in range(5)
    ]
    await asyncio.sleep(0.2)
    assert reader.reads == 2  # five more desks waiting, no more reads
    reader.open.append({"id": 7})
    changes.notify()  # a write: the shared answers are stale
    updates = await asyncio.wait_for(asyncio.gather(*waiters), timeout=5)
    assert all(update["open"] == [{"id": 7}] for update in updates)
    assert reader.reads == 4  # read once more for all five


async def test_a_typing_customer_is_shown_only_in_a_taken_over_chat(app, client) -> None:
    agent = await log_in(client)
    escalation = open_escalation(app, "web-typing")
    seconds = [0.0]
    relay = TypingRelay(
        lambda: EscalationClient(
            "http://bot", CRM_TOKEN, transport=httpx.ASGITransport(app=app), attempts=1
        ),
        clock=lambda: seconds[0],
    )

    async def update() -> dict:
        response = await client.get(
            "/desk/api/updates", params={"escalation": escalation, "wait": 0}, headers=agent
        )
        assert response.status_code == 200
        return response.json()

    relay.typing("web-typing")  # no agent has the chat: refused, nothing shown
    await relay.drain()
    assert (await update())["customer_typing"] is False

    service = app.state.escalations.service
    me = (await client.get("/api/auth/me", headers=agent)).json()["id"]
    service.claim(escalation, me)
    service.set_takeover(escalation, me, True)
    seconds[0] += 3  # the relay sends one signal per conversation in 2.5 s
    relay.typing("web-typing")
    relay.typing("web-typing")  # throttled: one signal
    await relay.drain()
    assert (await update())["customer_typing"] is True

    refused = await client.post("/api/internal/typing", json={"conversation_id": "web-typing"})
    assert refused.status_code == 401  # the service token is needed
    unknown = await client.post(
        "/api/internal/typing",
        json={"conversation_id": "nobody"},
        headers={"Authorization": f"Bearer {CRM_TOKEN.reveal()}"},
    )
    assert unknown.status_code == 404
