"""The demo website on the bot service: strict CSP, fake login for fixture customers only."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from html.parser import HTMLParser
from pathlib import Path

import httpx
import jwt
import pytest

from bot.customer_tokens import issue_customer_token, verify_customer_token
from bot.settings import Secret, Settings, SettingsError
from bot.web.app import create_app
from bot.web.demo_site import LOGIN_COOKIE

SECRET = "website-test-customer-token-secret-0123456789"
RASA_URL = "http://rasa.test:5005"
FIXTURE_CUSTOMERS = [f"K-10000{n}" for n in range(1, 6)]
PAGES = ["/", "/service"]


def settings_for(tmp_path: Path, *, demo: bool = True, secret: str | None = SECRET) -> Settings:
    return Settings(
        crm_database_url=f"sqlite:///{tmp_path / 'crm.db'}",
        crm_api_token=Secret("website-test-api-token"),
        customer_token_secret=Secret(secret) if secret else None,
        website_demo_mode=demo,
        website_rasa_url=RASA_URL,
    )


async def client_for(settings: Settings) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=create_app(settings))
    return httpx.AsyncClient(transport=transport, base_url="http://site.test")


@pytest.fixture
async def site(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    async with await client_for(settings_for(tmp_path)) as client:
        yield client


class PageScan(HTMLParser):
    """Collects what matters for the CSP: scripts, inline styles, inline handlers, config."""

    def __init__(self) -> None:
        super().__init__()
        self.script_sources: list[str | None] = []
        self.inline_scripts: list[str] = []
        self.inline_styles: list[str] = []
        self.config_text = ""
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.inline_styles += [f"{tag}[{name}]" for name, _ in attrs if name == "style"]
        self.inline_scripts += [f"{tag}[{name}]" for name, _ in attrs if name.startswith("on")]
        if tag == "style":
            self.inline_styles.append("<style>")
        if tag == "script":
            if attributes.get("type") == "application/json":
                self._in = "config" if attributes.get("id") == "nordlicht-chat-config" else "json"
            elif attributes.get("src"):
                self.script_sources.append(attributes["src"])
            else:
                self._in = "script"

    def handle_data(self, data: str) -> None:
        if self._in == "config":
            self.config_text += data
        elif self._in == "script" and data.strip():
            self.inline_scripts.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in = None

    @property
    def chat_config(self) -> dict:
        return json.loads(self.config_text)


def scan(html: str) -> PageScan:
    parser = PageScan()
    parser.feed(html)
    return parser


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = [part.split() for part in header.split(";") if part.strip()]
    return {name: values for name, *values in directives}


async def log_in(site: httpx.AsyncClient, number: str, next_page: str = "/") -> httpx.Response:
    return await site.post("/demo/login", data={"customer_number": number, "next": next_page})


@pytest.mark.parametrize("path", PAGES)
async def test_every_page_has_a_strict_content_security_policy(site, path: str) -> None:
    response = await site.get(path)
    assert response.status_code == 200
    csp = csp_directives(response.headers["content-security-policy"])
    assert csp["default-src"] == ["'none'"]
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["connect-src"] == ["'self'", RASA_URL, "ws://rasa.test:5005"]
    assert csp["frame-ancestors"] == ["'none'"] and csp["base-uri"] == ["'none'"]
    assert csp["form-action"] == ["'self'"] and csp["object-src"] == ["'none'"]
    assert "unsafe" not in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] == "no-store"


@pytest.mark.parametrize("path", PAGES)
async def test_pages_have_no_inline_scripts_or_styles_and_embed_the_widget(site, path) -> None:
    page = scan((await site.get(path)).text)
    assert page.inline_scripts == [] and page.inline_styles == []
    assert page.script_sources == ["/static/chat/nordlicht-chat.js"]
    assert page.chat_config == {"rasaUrl": RASA_URL}


async def test_the_widget_files_are_served_with_their_types(site) -> None:
    expected = {
        "/static/chat/nordlicht-chat.js": "text/javascript; charset=utf-8",
        "/static/chat/nordlicht-chat.css": "text/css; charset=utf-8",
        "/static/vendor/socket.io-client-4.8.4/socket.io.min.js": "text/javascript; charset=utf-8",
        "/static/site/site.css": "text/css; charset=utf-8",
    }
    for path, media_type in expected.items():
        response = await site.get(path)
        assert (response.status_code, response.headers["content-type"]) == (200, media_type)
        assert response.headers["x-content-type-options"] == "nosniff"
    vendor = await site.get("/static/vendor/socket.io-client-4.8.4/socket.io.min.js")
    assert vendor.text.startswith("/*!\n * Socket.IO v4.8.4")
    assert "immutable" in vendor.headers["cache-control"]


@pytest.mark.parametrize(
    "path",
    [
        "/static/nothing.js",
        "/static/vendor/README.md",
        "/static/../site.py",
        "/static/%2e%2e/app.py",
    ],
)
async def test_only_known_static_files_are_served(site, path: str) -> None:
    assert (await site.get(path)).status_code == 404


@pytest.mark.parametrize("number", FIXTURE_CUSTOMERS)
async def test_login_issues_a_valid_token_for_each_fixture_customer(site, number: str) -> None:
    response = await log_in(site, number, next_page="/service")
    assert (response.status_code, response.headers["location"]) == (303, "/service")
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Max-Age=3600" in cookie
    token = response.cookies[LOGIN_COOKIE]
    assert verify_customer_token(token, SECRET) == number
    assert jwt.decode(token, SECRET, algorithms=["HS256"])["exp"] <= time.time() + 3600

    page = await site.get("/service")
    assert scan(page.text).chat_config == {"rasaUrl": RASA_URL, "customerToken": token}
    assert number in page.text and "Abmelden" in page.text


async def test_the_login_accepts_the_customer_number_as_customers_type_it(site) -> None:
    response = await log_in(site, "k100003")
    assert verify_customer_token(response.cookies[LOGIN_COOKIE], SECRET) == "K-100003"


@pytest.mark.parametrize("number", ["K-100006", "K-999999", "Frau Schmidt", "", "K-100001'--"])
async def test_login_refuses_anyone_but_a_fixture_customer(site, number: str) -> None:
    response = await log_in(site, number)
    assert response.status_code == 403
    assert "set-cookie" not in response.headers


async def test_login_needs_a_form_post(site) -> None:
    response = await site.post("/demo/login", json={"customer_number": "K-100001"})
    assert response.status_code == 415


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example", "/static/x", ""])
async def test_login_only_returns_to_our_own_pages(site, target: str) -> None:
    response = await log_in(site, "K-100001", next_page=target)
    assert response.headers["location"] == "/"


async def test_logout_forgets_the_customer(site) -> None:
    await log_in(site, "K-100002")
    response = await site.post("/demo/logout", data={"next": "/service"})
    assert (response.status_code, response.headers["location"]) == (303, "/service")
    assert f'{LOGIN_COOKIE}=""' in response.headers["set-cookie"]
    site.cookies.clear()
    page = await site.get("/service")
    assert scan(page.text).chat_config == {"rasaUrl": RASA_URL}
    assert "Anmelden" in page.text


@pytest.mark.parametrize(
    "token",
    [
        issue_customer_token("K-100001", "another-secret-of-sufficient-length-0123456"),
        issue_customer_token("K-100001", SECRET, ttl_seconds=-10),
        issue_customer_token("K-200000", SECRET),
        "not-a-token",
    ],
    ids=["forged", "expired", "not-a-fixture-customer", "garbage"],
)
async def test_a_bad_login_cookie_counts_as_logged_out(site, token: str) -> None:
    site.cookies.set(LOGIN_COOKIE, token)
    page = await site.get("/")
    assert scan(page.text).chat_config == {"rasaUrl": RASA_URL}


async def test_without_demo_mode_there_is_no_demo_site_but_the_widget_is_served(tmp_path) -> None:
    async with await client_for(settings_for(tmp_path, demo=False, secret=None)) as site:
        for path in PAGES:
            assert (await site.get(path)).status_code == 404
        assert (await log_in(site, "K-100001")).status_code == 404
        assert (await site.post("/demo/logout")).status_code == 404
        assert (await site.get("/static/chat/nordlicht-chat.js")).status_code == 200


@pytest.mark.parametrize("secret", [None, "too-short"])
def test_demo_mode_refuses_to_start_without_a_token_secret(tmp_path, secret) -> None:
    with pytest.raises(SettingsError, match=r"CUSTOMER_TOKEN_SECRET .* WEBSITE_DEMO_MODE"):
        create_app(settings_for(tmp_path, secret=secret))
