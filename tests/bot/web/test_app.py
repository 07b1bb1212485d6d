"""The app factory: token required, health check, room for more routers."""

from __future__ import annotations

import httpx
import pytest
from fastapi import APIRouter

from bot.crm.db import create_crm_engine
from bot.crm.service import CRMService
from bot.settings import Secret, Settings, SettingsError
from bot.web.app import create_app

TOKEN = Secret("app-test-token")


def test_the_app_refuses_to_start_without_a_token() -> None:
    with pytest.raises(SettingsError, match="CRM_API_TOKEN is not set"):
        create_app(Settings(crm_api_token=None))


async def test_more_routers_can_be_mounted(tmp_path) -> None:
    desk = APIRouter(prefix="/desk")

    @desk.get("/ping")
    def ping() -> dict[str, str]:
        return {"pong": "desk"}

    settings = Settings(crm_database_url=f"sqlite:///{tmp_path / 'crm.db'}", crm_api_token=TOKEN)
    app = create_app(settings, routers=[desk])
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bot") as client:
        assert (await client.get("/desk/ping")).json() == {"pong": "desk"}
        assert (await client.get("/healthz")).status_code == 200


async def test_healthz_reports_an_unreachable_database() -> None:
    engine = create_crm_engine("postgresql+psycopg2://postgres@127.0.0.1:9/none?connect_timeout=1")
    app = create_app(Settings(crm_api_token=TOKEN), crm_service=CRMService(engine))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bot") as client:
        response = await client.get("/healthz")
    engine.dispose()
    assert (response.status_code, response.json()) == (
        503,
        {"status": "degraded", "database": "unavailable"},
    )


def test_blocking_work_runs_in_as_many_threads_as_configured(tmp_path) -> None:
    import threading

    from fastapi.testclient import TestClient

    desk = APIRouter(prefix="/desk")
    running = {"now": 0, "most": 0}
    lock = threading.Lock()

    @desk.get("/work")
    def work() -> dict[str, int]:  # a blocking endpoint: runs in the thread pool
        import time

        with lock:
            running["now"] += 1
            running["most"] = max(running["most"], running["now"])
        time.sleep(0.05)
        with lock:
            running["now"] -= 1
        return running

    settings = Settings(
        crm_database_url=f"sqlite:///{tmp_path / 'crm.db'}", crm_api_token=TOKEN, bot_threads=3
    )
    with TestClient(create_app(settings, routers=[desk])) as client:

        async def many() -> None:
            transport = httpx.ASGITransport(app=client.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://bot") as inner:
                import asyncio

                await asyncio.gather(*(inner.get("/desk/work") for _ in range(12)))

        client.portal.call(many)
    assert running["most"] == 3
