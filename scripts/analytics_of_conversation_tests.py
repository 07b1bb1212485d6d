"""The analytics of the conversation tests, as the desk page shows them (and a screenshot).

Every story of ``tests/test_stories.yml`` becomes one conversation (sender
``story-<n>``, five minutes apart on one day, over the REST channel), fed
through the same stripped-event path the bot service uses
(``AnalyticsStore.add_events``/``rebuild``) into a fresh CRM database under
``var/analytics-demo/``. Then the bot service runs on a loopback port, a
lead logs in to ``/desk/analytics`` in headless Chromium and the page is
saved as ``docs/screenshots/desk-analytics.png``; the summary is printed.

    .venv/bin/python scripts/analytics_of_conversation_tests.py [--day 2026-11-23]
"""

from __future__ import annotations

import argparse
import json
import shutil
import socket
import threading
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def story_events(day: date) -> dict[str, list[dict[str, Any]]]:
    """Return the events of each test story, as a Rasa tracker would hold them."""
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import ActionExecuted, SessionStarted, UserUttered
    from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader

    domain = Domain.load(str(ROOT / "domain.yml"))
    steps = YAMLStoryReader(domain).read_from_file(str(ROOT / "tests" / "test_stories.yml"))
    start = datetime(day.year, day.month, day.day, 8, 0, tzinfo=timezone.utc).timestamp()
    conversations = {}
    for number, step in enumerate(steps):
        at = start + number * 300
        events: list[dict[str, Any]] = [
            ActionExecuted("action_session_start").as_dict(),
            SessionStarted().as_dict(),
        ]
        for event in step.events:
            if isinstance(event, UserUttered):
                event.input_channel = "rest"
            events.append(event.as_dict())
        for offset, event in enumerate(events):
            event["timestamp"] = at + offset
        conversations[f"story-{number + 1:03d}"] = events
    return conversations


def free_port() -> int:
    """Return a free loopback port."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def main() -> int:
    """Build the rows, serve the page, take the screenshot, print the summary."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--day", type=date.fromisoformat, default=date(2026, 11, 23))
    parser.add_argument("--out", type=Path, default=ROOT / "docs/screenshots/desk-analytics.png")
    args = parser.parse_args()

    import uvicorn

    from bot.analytics.events import strip_event
    from bot.analytics.store import AnalyticsStore
    from bot.analytics.summary import Period
    from bot.crm.db import create_crm_engine, upgrade_database
    from bot.crm.seed import seed_database
    from bot.crm.service import CRMService
    from bot.escalation.roles import Role
    from bot.settings import Secret, Settings
    from bot.web.app import create_app

    folder = ROOT / "var" / "analytics-demo"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    engine = create_crm_engine(f"sqlite:///{folder / 'crm.db'}")
    upgrade_database(engine)
    seed_database(engine, population=0, today=args.day)
    crm = CRMService(engine)
    store = AnalyticsStore(crm.session_factory)
    conversations = story_events(args.day)
    batch = [
        (f"t:{sender}:{index}", sender, stripped)
        for sender, events in conversations.items()
        for index, event in enumerate(events)
        if (stripped := strip_event(event)) is not None
    ]
    print(f"{len(conversations)} stories, {store.rebuild(store.add_events(batch))} conversations")

    settings = Settings(crm_api_token=Secret("analytics-demo-token-0123456789abcdef"))
    app = create_app(settings, crm_service=crm)
    app.state.escalations.agents.create_agent(
        "teamleitung", "analytics-demo-1", "Teamleitung", roles=(Role.AGENT, Role.LEAD)
    )
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", ws="none")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    try:
        period = {"from": args.day.isoformat(), "to": (args.day + timedelta(days=1)).isoformat()}
        summary = app.state.analytics.service.summary(
            Period(args.day, args.day + timedelta(days=1))
        )
        print(json.dumps(summary, indent=2, ensure_ascii=False))
        screenshot(port, period, args.out)
        print(f"screenshot: {args.out}")
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        engine.dispose()
    return 0


def screenshot(port: int, period: dict[str, str], out: Path) -> None:
    """Log in as the lead in headless Chromium and save the analytics page."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox"]
        )
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        page.goto(f"http://127.0.0.1:{port}/desk/analytics?from={period['from']}&to={period['to']}")
        page.fill("#username", "teamleitung")
        page.fill("#password", "analytics-demo-1")
        page.click("#login-form button[type=submit]")
        page.wait_for_selector("body[data-ready=true]", timeout=20000)
        page.screenshot(path=str(out), full_page=True)
        browser.close()


if __name__ == "__main__":
    raise SystemExit(main())
