"""``GET /metrics`` of the bot service, in Prometheus text format.

What operators watch, from three places:

- counts read from the database at scrape time, so they survive restarts
  and agree with the analytics: conversations, customer turns, fallbacks
  (``conversation_stats``), escalations by reason and the queue length
  (``escalations``);
- measured in this process: the latency of CRM API calls (the action
  server's calls into the CRM) and errors (5xx answers, failed background
  runs);
- the Rasa server's turn latency as its channels see it, fetched from its
  ``/webhooks/health/metrics`` (``bot.analytics.turn_metrics``) and appended;
  ``nordlicht_rasa_metrics_up`` says whether that worked.

With METRICS_TOKEN set, a scrape must send ``Authorization: Bearer <token>``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from typing import Any

import httpx
from fastapi import APIRouter, FastAPI, Request, Response
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.analytics.models import ConversationStat
from bot.escalation.models import Escalation
from bot.service_auth import bearer_token_matches
from bot.settings import Secret

logger = logging.getLogger(__name__)

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
RASA_TIMEOUT_SECONDS = 1.0


class StoreCollector(Collector):
    """Counts from the database, read at each scrape."""

    def __init__(self, sessions: Any, escalation_sessions: Any = None) -> None:
        self._sessions = sessions
        self._escalation_sessions = escalation_sessions or sessions

    def describe(self) -> list[Any]:
        """Describe nothing up front, so registering never touches the database."""
        return []

    def collect(self) -> Iterator[Any]:
        """Yield conversations, turns, fallbacks, escalations by reason, queue length."""
        try:
            yield from self._collect()
        except SQLAlchemyError as error:  # the scrape still answers; the gap shows the outage
            logger.error("Metrics from the database unavailable: %s", type(error).__name__)

    def _collect(self) -> Iterator[Any]:
        with self._sessions() as session:
            conversations, turns, fallbacks = session.execute(
                select(
                    func.count(ConversationStat.id),
                    func.coalesce(func.sum(ConversationStat.turns), 0),
                    func.coalesce(func.sum(ConversationStat.fallbacks), 0),
                )
            ).one()
        with self._escalation_sessions() as session:
            by_reason = session.execute(
                select(Escalation.reason_code, func.count(Escalation.id)).group_by(
                    Escalation.reason_code
                )
            ).all()
            queue = session.execute(
                select(func.count(Escalation.id)).where(Escalation.status == "open")
            ).scalar_one()
        yield _counter("nordlicht_conversations", "Conversations analysed.", conversations)
        yield _counter("nordlicht_turns", "Customer messages in analysed conversations.", turns)
        yield _counter(
            "nordlicht_fallbacks", "Messages the assistant did not understand.", fallbacks
        )
        escalations = CounterMetricFamily(
            "nordlicht_escalations", "Hand-overs to a human by reason.", labels=["reason"]
        )
        for reason, count in sorted(by_reason):
            escalations.add_metric([reason], count)
        yield escalations
        yield GaugeMetricFamily(
            "nordlicht_queue_length", "Escalations waiting for an agent.", value=queue
        )


class ServiceMetrics:
    """The bot service's registry and the instruments other parts record into."""

    def __init__(
        self,
        sessions: Any,
        rasa_url: str,
        token: Secret | None = None,
        escalation_sessions: Any = None,
    ) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.registry.register(StoreCollector(sessions, escalation_sessions))
        self.crm_seconds = Histogram(
            "nordlicht_crm_request_seconds",
            "Latency of CRM API calls answered by this service.",
            ["method"],
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
            registry=self.registry,
        )
        self.errors = Counter(
            "nordlicht_errors",
            "Errors: 5xx answers of this service and failed background runs.",
            ["kind"],
            registry=self.registry,
        )
        self._rasa_url = rasa_url.rstrip("/")
        self._token = token

    def count_error(self, kind: str) -> None:
        """Count one error of ``kind`` (e.g. a failed background run)."""
        self.errors.labels(kind).inc()

    def install(self, app: FastAPI) -> None:
        """Mount ``GET /metrics`` and the middleware that times CRM calls and counts 5xx."""
        app.add_middleware(MeasureCalls, metrics=self)
        app.include_router(self.router())

    def router(self) -> APIRouter:
        """Return the ``/metrics`` route."""
        router = APIRouter(include_in_schema=False)

        @router.get("/metrics")
        async def metrics(request: Request) -> Response:
            if self._token and not bearer_token_matches(
                request.headers.get("Authorization"), self._token.reveal()
            ):
                return Response("unauthorized\n", status_code=401, media_type="text/plain")
            body = generate_latest(self.registry) + await self._rasa_metrics()
            return Response(body, media_type=CONTENT_TYPE)

        return router

    async def _rasa_metrics(self) -> bytes:
        up = 0
        body = b""
        try:
            async with httpx.AsyncClient(timeout=RASA_TIMEOUT_SECONDS) as client:
                answer = await client.get(f"{self._rasa_url}/webhooks/health/metrics")
            if answer.status_code == 200:
                up, body = 1, answer.content
        except httpx.HTTPError as error:
            logger.debug("Rasa metrics unavailable: %s", type(error).__name__)
        head = (
            b"# HELP nordlicht_rasa_metrics_up Whether the Rasa server's turn metrics were read.\n"
            b"# TYPE nordlicht_rasa_metrics_up gauge\n"
            + f"nordlicht_rasa_metrics_up {up}\n".encode()
        )
        return head + body


def _counter(name: str, documentation: str, value: float) -> CounterMetricFamily:
    return CounterMetricFamily(name, documentation, value=float(value))


class MeasureCalls:
    """ASGI middleware: time CRM API calls (until the answer starts) and count 5xx answers.

    A plain ASGI wrapper, not ``app.middleware("http")``: Starlette's
    ``BaseHTTPMiddleware`` runs every call through a task group and memory
    streams, which cost more CPU than a CRM call itself (issue #14).
    """

    def __init__(self, app: ASGIApp, metrics: ServiceMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the call on, watching the start of the answer."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        crm = str(scope["path"]).startswith("/api/crm/")
        answered = False

        async def watched(message: Message) -> None:
            nonlocal answered
            if message["type"] == "http.response.start" and not answered:
                answered = True
                if crm:
                    seconds = time.perf_counter() - started
                    self.metrics.crm_seconds.labels(scope["method"]).observe(seconds)
                if message["status"] >= 500:
                    self.metrics.errors.labels("http_5xx").inc()
            await send(message)

        try:
            await self.app(scope, receive, watched)
        except Exception:
            if not answered:  # the server answers 500 for it
                self.metrics.errors.labels("http_5xx").inc()
            raise
