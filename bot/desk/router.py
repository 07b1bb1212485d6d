"""The agent desk's routes on the bot service (see docs/agent-desk.md).

* ``GET /desk``: the desk page (login, queue, one escalation on one screen);
  everything else happens in its scripts through the escalation JSON API
  (``/api/auth/login``, ``/api/escalations...``, owned by ``bot.escalation``).
* ``GET /desk/static/...``: the desk's scripts and styles (no build step).
* ``GET /desk/api/updates``: live updates by long polling (``bot.desk.live``),
  authorised with the agent's bearer token.

``install_desk`` mounts the routes and a small middleware that wakes waiting
live-update requests as soon as this process has answered a write call to
``/api/...`` (a hand-over, a claim, a message), so the desk need not wait
for the next read.

The page is sent with a Content-Security-Policy that allows scripts, styles
and connections to this site only, and nothing inline.
"""

# No "from __future__ import annotations": FastAPI resolves the endpoint annotations at run time.

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.types import ASGIApp, Receive, Scope, Send

from bot.desk.live import ChangeSignal, SharedReads, next_update
from bot.escalation import schemas
from bot.escalation.access import authenticate_agent
from bot.escalation.wiring import EscalationFeature
from bot.web.static_files import static_router

DESK_DIR = Path(__file__).resolve().parent
PAGE = DESK_DIR / "templates" / "desk.html"
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "object-src 'none'",
    ]
)
PAGE_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}
MAX_WAIT_SECONDS = 25.0
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def install_desk(app: FastAPI, *, poll_seconds: float = 0.5) -> None:
    """Mount the desk on ``app`` and wake its live updates after write calls to the API.

    Args:
        app: The bot service; ``app.state.escalations`` must be set.
        poll_seconds: How often a waiting live-update request reads the service.

    """
    changes = ChangeSignal()
    app.state.desk_changes = changes  # for tests that wait for a write
    reads = SharedReads(app.state.escalations.service, changes, poll_seconds)
    app.add_middleware(NotifyOnWrites, changes=changes)
    app.include_router(desk_router(reads=reads, changes=changes, poll_seconds=poll_seconds))


class NotifyOnWrites:
    """ASGI middleware: once a write call to ``/api/...`` is answered, notify ``changes``."""

    def __init__(self, app: ASGIApp, changes: ChangeSignal) -> None:
        self.app = app
        self.changes = changes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the call on; notify afterwards if it was a write to the API."""
        writes = (
            scope["type"] == "http"
            and scope["method"] not in READ_METHODS
            and str(scope["path"]).startswith("/api/")
        )
        try:
            await self.app(scope, receive, send)
        finally:
            if writes:
                self.changes.notify()


def desk_router(
    *, reads: SharedReads, changes: ChangeSignal, poll_seconds: float = 0.5
) -> APIRouter:
    """Build the desk's routes.

    The escalation feature is read from ``request.app.state.escalations``
    (``bot.escalation.wiring.EscalationFeature``, set by ``create_app``).

    Args:
        reads: The escalation reads that waiting agents share.
        changes: Signalled after every write call, to wake waiting agents.
        poll_seconds: How often a waiting live-update request reads the service.

    Returns:
        The router to mount on the bot service.

    """
    page = PAGE.read_text(encoding="utf-8")
    bearer = HTTPBearer(auto_error=False, description="Agent token from POST /api/auth/login")
    router = APIRouter(include_in_schema=False)
    router.include_router(static_router(DESK_DIR / "static", "/desk/static"))

    def feature(request: Request) -> EscalationFeature:
        return request.app.state.escalations  # type: ignore[no-any-return]

    def current_agent(
        escalations: Annotated[EscalationFeature, Depends(feature)],
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    ) -> schemas.AgentRef:
        secret = escalations.settings.agent_token_secret
        assert secret is not None  # EscalationFeature.create always sets one
        return authenticate_agent(credentials, secret, escalations.agents)

    @router.get("/desk")
    def desk_page() -> HTMLResponse:
        return HTMLResponse(page, headers=PAGE_HEADERS)

    @router.get("/desk/")
    def desk_slash() -> RedirectResponse:
        return RedirectResponse("/desk", status_code=308)

    @router.get("/desk/api/updates")
    async def updates(
        request: Request,
        agent: Annotated[schemas.AgentRef, Depends(current_agent)],
        cursor: Annotated[str, Query(max_length=64)] = "",
        escalation: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
        wait: Annotated[float, Query(ge=0, le=MAX_WAIT_SECONDS)] = 20.0,
    ) -> JSONResponse:
        update: dict[str, Any] = await next_update(
            reads,
            escalation,
            cursor,
            wait_seconds=wait,
            poll_seconds=poll_seconds,
            gone=request.is_disconnected,
            changes=changes,
            typing=request.app.state.escalations.typing.is_typing,
        )
        update["agent"] = agent.dict()
        return JSONResponse(update, headers={"Cache-Control": "no-store"})

    return router
