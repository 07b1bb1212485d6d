"""The trainers' workbench page: ``GET /training`` and its scripts and styles.

The page needs no login to load (it holds no data); its script logs in with
the agents' ``POST /api/auth/login`` and calls ``/api/training/...``, which
answer only the role trainer. Same Content-Security-Policy as the desk:
scripts, styles and connections to this site only, nothing inline.
"""

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, RedirectResponse

from bot.desk.router import PAGE_HEADERS
from bot.web.static_files import static_router

WEB_DIR = Path(__file__).resolve().parent
PAGE = WEB_DIR / "templates" / "training.html"


def workbench_router() -> APIRouter:
    """Build the page's routes (left out of the OpenAPI document)."""
    page = PAGE.read_text(encoding="utf-8")
    router = APIRouter(include_in_schema=False)
    router.include_router(static_router(WEB_DIR / "static", "/training/static"))

    @router.get("/training")
    def workbench_page() -> HTMLResponse:
        return HTMLResponse(page, headers=PAGE_HEADERS)

    @router.get("/training/")
    def workbench_slash() -> RedirectResponse:
        return RedirectResponse("/training", status_code=308)

    return router
