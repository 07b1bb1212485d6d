"""The app factory of the bot service (port 8000).

``create_app`` mounts the CRM API, the escalation API, the agent desk
(``bot.desk``), the trainers' inbox API and workbench (``bot.training``),
feedback, privacy (erasure, retention) and analytics (``bot.feedback``,
``bot.privacy``, ``bot.analytics``), ``GET /metrics``, the website (chat
widget files; the demo site in demo mode, see ``bot.web.site``) and any
further routers that later features pass in, and serves ``GET /healthz``.
"""

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import APIRouter, FastAPI
from fastapi.responses import JSONResponse

from bot.analytics.api import analytics_router
from bot.analytics.metrics import ServiceMetrics
from bot.analytics.wiring import AnalyticsFeature
from bot.crm import schemas
from bot.crm.api import crm_error_response, crm_router
from bot.crm.db import create_crm_engine, create_session_factory
from bot.crm.errors import CRMError, CRMUnavailable
from bot.crm.service import CRMService
from bot.desk.router import PAGE_HEADERS, install_desk
from bot.escalation.roles import Role
from bot.escalation.settings import EscalationSettings
from bot.escalation.wiring import EscalationFeature
from bot.feedback.api import feedback_router
from bot.feedback.store import FeedbackStore
from bot.privacy.api import privacy_router
from bot.privacy.wiring import PrivacyFeature
from bot.settings import Settings
from bot.training.settings import TrainingSettings
from bot.training.web.router import workbench_router
from bot.training.wiring import TrainingFeature
from bot.web.site import website_router


def create_app(
    settings: Settings,
    *,
    crm_service: CRMService | None = None,
    escalation_settings: EscalationSettings | None = None,
    training_settings: TrainingSettings | None = None,
    routers: Sequence[APIRouter] = (),
) -> FastAPI:
    """Build the bot service.

    Args:
        settings: The service settings; CRM_API_TOKEN must be set. The
            escalation feature (:mod:`bot.escalation.settings`) is ``app.state.escalations``.
        crm_service: The CRM to expose; by default one over
            ``settings.crm_database_url`` (its engine is closed on shutdown).
        escalation_settings: The escalation's settings; by default from the environment.
        training_settings: The training inbox's settings; by default from the environment.
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
    escalation_settings = escalation_settings or EscalationSettings.from_env()
    escalation_engine = escalation_sessions = None
    if escalation_settings.database_url:  # the escalation tables in a database of their own
        escalation_engine = create_crm_engine(escalation_settings.database_url)
        escalation_sessions = create_session_factory(escalation_engine)
    escalations = EscalationFeature.create(
        escalation_settings,
        service,
        escalation_settings.intake_token(token),
        sessions=escalation_sessions,
    )
    training = TrainingFeature.create(
        training_settings or TrainingSettings.from_env(),
        service,
        escalations.service,
        trainer=escalations.access.with_role(Role.TRAINER),
        agent=escalations.access.agent,
    )
    sessions = service.session_factory
    tracker_store_url = escalation_settings.tracker_store_url
    privacy = PrivacyFeature.create(
        settings,
        sessions,
        escalation_sessions=escalation_sessions,
        tracker_store_url=tracker_store_url,
    )
    analytics = AnalyticsFeature.create(settings, sessions, tracker_store_url=tracker_store_url)
    metrics = ServiceMetrics(
        sessions,
        escalation_settings.rasa_url,
        settings.metrics_token,
        escalation_sessions=escalation_sessions,
    )
    privacy.on_error = analytics.on_error = metrics.count_error

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.bot_threads
        async with (
            escalations.running(),
            training.running(),
            analytics.running(),
            privacy.running(),
        ):
            yield
        for own_engine in (engine, escalation_engine):
            if own_engine is not None:
                own_engine.dispose()

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
    app.state.training = training
    app.include_router(training.router)
    app.include_router(workbench_router())
    app.include_router(website_router(settings))
    for router in routers:
        app.include_router(router)
    return app
