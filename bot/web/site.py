"""The website part of the bot service: the chat widget files and the demo website.

Routes (see docs/website-widget.md):

* ``GET /static/...``: the chat widget, the vendored socket.io client and the
  site's CSS; always served, since other sites embed the widget from here.
* Only with ``WEBSITE_DEMO_MODE`` on (``make run``): the demo company website
  ``GET /`` and ``GET /service`` with the widget, and its fake login
  ``POST /demo/login`` / ``POST /demo/logout`` for the fixture customers.
  With demo mode off these answer 404.

Every page is sent with a strict Content-Security-Policy (``security_headers``):
the widget's configuration sits in a JSON block, not in an inline script.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from bot.crm.identifiers import normalize_customer_number
from bot.settings import Settings, strong_secret
from bot.web.demo_site import LOGIN_COOKIE, DemoContent, DemoLogin
from bot.web.security_headers import page_headers
from bot.web.static_files import static_router

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
PAGES = {
    "/": ("home.html", "Startseite"),
    "/service": ("service.html", "Service & Werkstatt"),
}
FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"


def website_router(settings: Settings, *, content: DemoContent | None = None) -> APIRouter:
    """Build the website routes: widget files always, the demo site in demo mode.

    Args:
        settings: ``website_demo_mode``, ``website_rasa_url`` and, in demo mode,
            ``customer_token_secret`` are used.
        content: What the demo pages show; the CRM demo data by default (read
            only in demo mode).

    Returns:
        The router to mount on the bot service.

    Raises:
        SettingsError: Demo mode is on but CUSTOMER_TOKEN_SECRET is missing or short.

    """
    router = APIRouter()
    router.include_router(static_router())
    if settings.website_demo_mode:
        router.include_router(_demo_site_router(settings, content or DemoContent.from_demo_data()))
    return router


def _demo_site_router(settings: Settings, content: DemoContent) -> APIRouter:
    secret = strong_secret(
        settings.customer_token_secret,
        "CUSTOMER_TOKEN_SECRET",
        "WEBSITE_DEMO_MODE signs the demo customers' tokens with it (or turn demo mode off)",
    )
    login = DemoLogin(content.customers, secret)
    templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
    headers = page_headers(settings.website_rasa_url)
    router = APIRouter(include_in_schema=False)

    def render(request: Request, path: str) -> HTMLResponse:
        template, title = PAGES[path]
        token = request.cookies.get(LOGIN_COOKIE)
        customer = login.customer(token)
        chat_config: dict[str, Any] = {"rasaUrl": settings.website_rasa_url}
        if customer is not None:
            chat_config["customerToken"] = token
        context = {
            "path": path,
            "title": title,
            "pages": PAGES,
            "content": content,
            "customer": customer,
            "chat_config": chat_config,
        }
        return templates.TemplateResponse(request, template, context, headers=headers)

    for page_path in PAGES:
        router.add_api_route(page_path, _page_endpoint(render, page_path), methods=["GET"])

    @router.post("/demo/login")
    async def demo_login(request: Request) -> RedirectResponse:
        form = await _form(request)
        number = normalize_customer_number(form.get("customer_number"))
        token = login.log_in(number) if number else None
        if token is None:
            raise HTTPException(status_code=403, detail="Not a demo customer.")
        response = RedirectResponse(_back_to(form), status_code=303)
        response.set_cookie(
            LOGIN_COOKIE,
            token,
            max_age=login.ttl_seconds,
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
        )
        return response

    @router.post("/demo/logout")
    async def demo_logout(request: Request) -> RedirectResponse:
        response = RedirectResponse(_back_to(await _form(request)), status_code=303)
        response.delete_cookie(LOGIN_COOKIE, httponly=True, samesite="lax")
        return response

    return router


Renderer = Callable[[Request, str], HTMLResponse]


def _page_endpoint(render: Renderer, path: str) -> Callable[[Request], HTMLResponse]:
    def page(request: Request) -> HTMLResponse:
        return render(request, path)

    page.__name__ = f"page_{path.strip('/') or 'home'}"
    return page


async def _form(request: Request) -> dict[str, str]:
    """Return the fields of a urlencoded form post (first value of each)."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip()
    if content_type != FORM_CONTENT_TYPE:
        raise HTTPException(status_code=415, detail=f"Send {FORM_CONTENT_TYPE}.")
    body = (await request.body()).decode("utf-8", errors="replace")
    return {name: values[0] for name, values in parse_qs(body).items()}


def _back_to(form: dict[str, str]) -> str:
    """Return the page to go back to: only one of our own pages, never an outside URL."""
    target = form.get("next", "/")
    return target if target in PAGES else "/"
