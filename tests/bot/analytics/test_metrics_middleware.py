"""The metrics middleware times CRM calls and counts each 5xx answer once."""

from __future__ import annotations

from fastapi import FastAPI, HTTPException
from fastapi.testclient import TestClient

from bot.analytics.metrics import ServiceMetrics


def samples(metric: object, name: str) -> dict[tuple[str, ...], float]:
    return {
        tuple(sample.labels.values()): sample.value
        for family in metric.collect()  # type: ignore[attr-defined]
        for sample in family.samples
        if sample.name == name
    }


def test_crm_calls_are_timed_and_5xx_answers_counted_once() -> None:
    metrics = ServiceMetrics(sessions=None, rasa_url="http://127.0.0.1:9")
    app = FastAPI()
    metrics.install(app)

    @app.get("/api/crm/fine")
    def fine() -> dict[str, str]:
        return {"status": "ok"}

    @app.post("/api/crm/unavailable")
    def unavailable() -> None:
        raise HTTPException(503, "down")

    @app.get("/api/other/broken")
    def broken() -> None:
        raise RuntimeError("bug")

    with TestClient(app, raise_server_exceptions=False) as client:
        assert client.get("/api/crm/fine").status_code == 200
        assert client.get("/api/crm/fine").status_code == 200
        assert client.post("/api/crm/unavailable").status_code == 503
        assert client.get("/api/crm/missing").status_code == 404
        assert client.get("/api/other/broken").status_code == 500
    timed = samples(metrics.crm_seconds, "nordlicht_crm_request_seconds_count")
    assert timed == {("GET",): 3.0, ("POST",): 1.0}
    assert samples(metrics.errors, "nordlicht_errors_total") == {("http_5xx",): 2.0}
