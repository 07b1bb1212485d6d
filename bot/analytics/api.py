"""The analytics API and the desk's analytics page (roles ``lead`` and ``trainer``).

* ``GET /api/analytics/summary?from=YYYY-MM-DD&to=YYYY-MM-DD``: the numbers of the period.
* ``GET /api/analytics/daily?from=...&to=...``: the same per day (JSON, for the charts).
* ``GET /api/analytics/daily.csv?from=...&to=...``: the same per day as CSV.
* ``GET /desk/analytics``: the page; its script draws SVG charts, no CDN.
"""

# No "from __future__ import annotations": FastAPI resolves the endpoint annotations at run time.

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, status
from fastapi.responses import HTMLResponse, PlainTextResponse

from bot.analytics.service import AnalyticsService
from bot.analytics.summary import Period
from bot.escalation.schemas import AgentRef

PAGE = Path(__file__).resolve().parent / "templates" / "analytics.html"
MAX_DAYS = 366


def period_of(first: date, last: date) -> Period:
    """Return the period, or answer 422 for a reversed or too long one."""
    if last < first:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_ENTITY, detail="'to' is before 'from'")
    if (last - first).days >= MAX_DAYS:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_ENTITY, detail=f"at most {MAX_DAYS} days")
    return Period(first, last)


def analytics_router(
    service: AnalyticsService, analyst: Callable[..., AgentRef], page_headers: dict[str, str]
) -> APIRouter:
    """Build the analytics API and page.

    Args:
        service: The summaries.
        analyst: Dependency returning the logged-in agent with role ``lead``
            or ``trainer`` (401 without a login, 403 without the role).
        page_headers: Security headers of desk pages (CSP without inline code).

    """
    router = APIRouter(tags=["analytics"])
    Analyst = Annotated[AgentRef, Depends(analyst)]
    First = Annotated[date, Query(alias="from", description="first day, YYYY-MM-DD")]
    Last = Annotated[date, Query(alias="to", description="last day, YYYY-MM-DD")]

    @router.get("/api/analytics/summary", summary="Containment, escalations, CSAT of a period")
    def summary(first: First, last: Last, _agent: Analyst) -> dict[str, Any]:
        return service.summary(period_of(first, last))

    @router.get("/api/analytics/daily", summary="The summary per day of a period")
    def daily(first: First, last: Last, _agent: Analyst) -> list[dict[str, Any]]:
        return service.daily(period_of(first, last))

    @router.get(
        "/api/analytics/daily.csv",
        summary="The summary per day as CSV",
        response_class=PlainTextResponse,
    )
    def daily_csv(first: First, last: Last, _agent: Analyst) -> PlainTextResponse:
        period = period_of(first, last)
        return PlainTextResponse(
            service.daily_csv(period),
            media_type="text/csv; charset=utf-8",
            headers={
                "Content-Disposition": f'attachment; filename="analytics-{first}-{last}.csv"',
                "Cache-Control": "no-store",
            },
        )

    @router.get("/desk/analytics", include_in_schema=False)
    def page() -> HTMLResponse:
        return HTMLResponse(PAGE.read_text(encoding="utf-8"), headers=page_headers)

    return router
