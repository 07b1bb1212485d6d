"""Headless Chromium for the browser tests, and the bot service's demo website to point it at.

Chromium comes from Debian (``apt-get install chromium``), driven by the
Playwright Python package; Playwright's own browser downloads are never used.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.support.processes import VENV_BIN, RunningServer, running_server, server_environment

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
# Collects Content-Security-Policy violations of a page (init scripts are exempt from the CSP).
CSP_PROBE = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


def missing_browser_reason() -> str | None:
    """Return why the browser tests cannot run here, or ``None`` when they can."""
    if not CHROMIUM.exists():
        return (
            f"Chromium not found at {CHROMIUM}: install it with `apt-get install chromium` "
            "(`make test` does it when run as root), or set CHROMIUM to its path."
        )
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright Python package is missing: run `make install`."
    return None


@contextmanager
def running_website(
    name: str,
    port: int,
    rasa_url: str,
    customer_token_secret: str,
    log_dir: Path,
) -> Iterator[RunningServer]:
    """Run ``bot serve`` in demo mode on ``port``, its chat pointed at ``rasa_url``."""
    env = server_environment(
        CRM_API_TOKEN="browser-test-crm-api-token",
        CRM_DATABASE_URL=f"sqlite:///{log_dir / f'{name}-crm.db'}",
        CUSTOMER_TOKEN_SECRET=customer_token_secret,
        WEBSITE_DEMO_MODE="true",
        WEBSITE_RASA_URL=rasa_url,
    )
    with running_server(
        name,
        [str(VENV_BIN / "bot"), "serve", "--host", "127.0.0.1", "--port", str(port)],
        f"http://127.0.0.1:{port}/healthz",
        log_dir,
        env=env,
    ) as server:
        yield server
