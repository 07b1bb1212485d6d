"""The app factory of the bot service (port 8000).

``create_app`` mounts the CRM API, the escalation API, the agent desk
(``bot.desk``), feedback, privacy (erasure, retention) and analytics
(``bot.feedback``, ``bot.privacy``, ``bot.analytics``), ``GET /metrics``, the
website (chat widget files; the demo site in demo mode, see
``bot.web.site``) and any further routers that later features pass in, and
serves ``GET /healthz``.
"""

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI
from fastapi.responses import JSONResponse

from bot.analytics.api import analytics_router
from bot.analytics.metrics import ServiceMetrics
from bot.analytics.wiring import AnalyticsFeature
from bot.crm import schemas
from bot.crm.api import crm_error_response, crm_router
from bot.crm.db import create_crm_engine
from bot.crm.errors import CRMError, CRMUnavailable
from bot.crm.service import CRMService
from bot.desk.router import PAGE_HEADERS, install_desk
from bot.escalation.roles import Role
from bot.escalation.wiring import EscalationFeature
from bot.feedback.api import feedback_router
from bot.feedback.store import FeedbackStore
from bot.privacy.api import privacy_router
from bot.privacy.wiring import PrivacyFeature
from bot.settings import Settings
from bot.web.site import website_router


def create_app(
    settings: Settings,
    *,
    crm_service: CRMService | None = None,
    routers: Sequence[APIRouter] = (),
) -> FastAPI:
    """Build the bot service.

    Args:
        settings: The service settings; CRM_API_TOKEN must be set. The
            escalation feature (``settings.escalation``) is ``app.state.escalations``.
        crm_service: The CRM to expose; by default one over
            ``settings.crm_database_url`` (its engine is closed on shutdown).
        routers: Further routers to mount (agent desk, website, ...).

    Returns:
        The ASGI app.

    Raises:
        SettingsError: CRM_API_TOKEN is missing.

    """
    token = settings.require_crm_api_token()
    engine = None
    if crm_service is None:
        engine = create_crm_engine(settings.crm_database_url)
        crm_service = CRMService(engine)
    service = crm_service
    escalations = EscalationFeature.create(settings.escalation, service, token)
    sessions = service.session_factory
    privacy = PrivacyFeature.create(settings, sessions)
    analytics = AnalyticsFeature.create(settings, sessions)
    metrics = ServiceMetrics(sessions, settings.escalation.rasa_url, settings.metrics_token)
    privacy.on_error = analytics.on_error = metrics.count_error

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        async with escalations.running(), analytics.running(), privacy.running():
            yield
        if engine is not None:
            engine.dispose()

    app = FastAPI(
        title="Nordlicht bot service",
        description="CRM API of the Nordlicht Automobile customer-service assistant.",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.add_exception_handler(CRMError, crm_error_response)

    @app.get("/healthz", summary="Liveness and database check", response_model=schemas.Health)
    def healthz() -> JSONResponse | schemas.Health:
        try:
            service.check_database()
        except CRMUnavailable:
            body = schemas.Health(status="degraded", database="unavailable")
            return JSONResponse(status_code=503, content=body.dict())
        return schemas.Health(status="ok", database="ok")

    metrics.install(app)
    app.include_router(crm_router(service, token))
    app.state.escalations = escalations
    app.state.analytics = analytics
    app.state.privacy = privacy
    escalations.install(app)
    app.include_router(feedback_router(FeedbackStore(sessions), token))
    app.include_router(privacy_router(privacy.service, escalations.access.with_role(Role.PRIVACY)))
    app.include_router(
        analytics_router(
            analytics.service, escalations.access.with_role(Role.LEAD, Role.TRAINER), PAGE_HEADERS
        )
    )
    install_desk(app)
    app.include_router(website_router(settings))
    for router in routers:
        app.include_router(router)
    return app
