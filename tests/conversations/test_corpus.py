"""The conversation corpus, end to end against the running servers (see corpus.py).

Each conversation is one test. Conversations that still get stuck carry
``stuck_before: "<issue>"`` and are expected to fail (strictly: one that
starts to reach its goal fails until its mark is removed). The share of
conversations reaching their goal, and every transcript, go to
``var/conversations/report.md``.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest

from tests.conversations.corpus import Conversation, Outcome, load_corpus, run_conversation
from tests.conversations.customers import CustomerPicker
from tests.e2e.chat import wait_for
from tests.support.agents import agent_token, create_agent
from tests.support.processes import PROJECT_ROOT

pytestmark = [pytest.mark.model, pytest.mark.e2e]

CORPUS = load_corpus()
REPORT = PROJECT_ROOT / "var" / "conversations" / "report.md"
_outcomes: list[Outcome] = []
_analytics: list[str] = []


@pytest.fixture(scope="module")
def picker(crm_server) -> Iterator[CustomerPicker]:
    picker = CustomerPicker(crm_server.database)
    yield picker
    picker.close()
    write_report(_outcomes, REPORT, [*_analytics, *inbox_summary(crm_server.database)])


def inbox_summary(database: Path) -> list[str]:
    """Markdown lines: what the training inbox collected while the corpus ran.

    The bot service beside the test servers fills the inbox from the tracker
    store (conversations are judged once they have been quiet a while, so the
    last few may be missing).
    """
    with sqlite3.connect(database) as connection:
        by_reason = connection.execute(
            "SELECT reason, COUNT(*), SUM(count) FROM training_inbox"
            " GROUP BY reason ORDER BY 2 DESC"
        ).fetchall()
        top = connection.execute(
            "SELECT text, reason, predicted_intent, count FROM training_inbox"
            " ORDER BY count DESC, id LIMIT 15"
        ).fetchall()
    lines = ["", "## What the training inbox collected", ""]
    if not by_reason:
        return [*lines, "Nothing (yet)."]
    lines += ["| reason | items | messages |", "| --- | ---: | ---: |"]
    lines += [f"| {reason} | {items} | {messages} |" for reason, items, messages in by_reason]
    lines += [
        "",
        "| most frequent (masked) | reason | model read | times |",
        "| --- | --- | --- | ---: |",
    ]
    lines += [f"| {text} | {reason} | {intent} | {count} |" for text, reason, intent, count in top]
    return lines


def write_report(outcomes: list[Outcome], path: Path, inbox: Sequence[str] = ()) -> None:
    if not outcomes:
        return
    reached = sum(o.reached_goal for o in outcomes)
    lines = [
        "# Conversation corpus",
        "",
        f"{reached} of {len(outcomes)} conversations reached their goal "
        f"({100 * reached / len(outcomes):.0f} %).",
        "",
        "| conversation | journey | goal reached | what went wrong |",
        "| --- | --- | --- | --- |",
    ]
    for o in outcomes:
        lines.append(
            f"| {o.conversation.id} | {o.conversation.journey} | "
            f"{'yes' if o.reached_goal else 'no'} | {'; '.join(o.failures)} |"
        )
    lines += list(inbox)
    lines += ["", "## Transcripts", ""] + [o.render() + "\n" for o in outcomes]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")


def _param(conversation: Conversation) -> object:
    marks = (
        [pytest.mark.xfail(reason=f"stuck until {conversation.stuck_before}", strict=True)]
        if conversation.stuck_before
        else []
    )
    return pytest.param(conversation, id=conversation.id, marks=marks)


@pytest.mark.parametrize("conversation", [_param(c) for c in CORPUS])
def test_conversation_reaches_its_goal(
    conversation: Conversation, rasa_server, picker: CustomerPicker
) -> None:
    outcome = run_conversation(conversation, rasa_server.url, picker)
    _outcomes.append(outcome)
    assert outcome.reached_goal, outcome.render()


def test_the_corpus_covers_every_journey_with_sixty_conversations() -> None:
    journeys = {c.journey for c in CORPUS}
    wanted = {
        "book_appointment", "reschedule_appointment", "cancel_appointment",
        "appointment_status", "service_due", "recall_check", "order_status",
        "invoice_question", "contract_info", "change_address", "complaint",
        "warranty_claim", "data_privacy", "breakdown_help", "dealer_info", "test_drive",
        "account_help", "request_human", "goodbye",
    }  # fmt: skip
    assert wanted <= journeys, wanted - journeys
    assert len(CORPUS) >= 60


# What the customers of the corpus typed, as the trainers' inbox stores it: the
# masking's stand-ins (K-000000, 00000, name@example.com, ...) carry no digit but
# 0 and the one example address; anything else that looks like these is a leak.
PERSONAL = re.compile(
    r"\b[KBRCTP]-?\d{4,10}\b"  # customer, order, invoice, case, appointment, lead numbers
    r"|\b\d{4,6}\b"  # postal codes (DE/AT/CH), bare customer numbers
    r"|[\w.+-]+@[\w-]+\.[a-z]{2,}"  # e-mail addresses
    r"|\+?\d[\d /-]{7,}\d",  # phone numbers
    re.IGNORECASE,
)
STAND_IN_EMAIL = "name@example.com"


def leaks_in(text: str) -> list[str]:
    """Return what in ``text`` looks personal and is not a masking stand-in."""
    return [
        found
        for found in (m.group(0) for m in PERSONAL.finditer(text))
        if found != STAND_IN_EMAIL and ("@" in found or set(re.sub(r"\D", "", found)) - {"0"})
    ]


def _readable(context: str) -> str:
    """Return a stored turn context with its JSON escapes undone ("\\u201e" is "„")."""
    try:
        return json.dumps(json.loads(context), ensure_ascii=False)
    except ValueError:
        return context


def test_the_inbox_keeps_only_masked_texts_of_the_corpus(crm_server) -> None:
    """Runs after the corpus (file order): nothing personal in the inbox's texts or turns."""
    with sqlite3.connect(crm_server.database) as connection:
        texts = [row[0] for row in connection.execute("SELECT text FROM training_inbox")]
        turns = [
            _readable(row[0])
            for row in connection.execute("SELECT context FROM training_sightings")
        ]
    assert texts, "the corpus put nothing into the inbox: is the collector running?"
    leaks = {found for text in [*texts, *turns] for found in leaks_in(text)}
    assert leaks == set()


def test_the_analytics_count_every_corpus_conversation(crm_server) -> None:
    """Runs after the corpus: the operators' figures (GET /api/analytics/summary) include it."""
    create_agent(crm_server, "corpus-lead", "Auswertung-2026", "Frau Leitung", "lead")
    headers = {
        "Authorization": f"Bearer {agent_token(crm_server, 'corpus-lead', 'Auswertung-2026')}"
    }
    today = date.today()
    period = {"from": str(today - timedelta(days=1)), "to": str(today + timedelta(days=1))}

    def summary() -> dict:
        response = httpx.get(
            f"{crm_server.url}/api/analytics/summary", params=period, headers=headers, timeout=10
        )
        assert response.status_code == 200, response.text
        return dict(response.json())

    assert wait_for(lambda: summary()["conversations"] >= len(_outcomes), 30), summary()
    figures = summary()
    _analytics.extend(analytics_lines(figures))
    assert figures["escalated"] >= sum(o.conversation.journey == "request_human" for o in _outcomes)


def analytics_lines(figures: dict) -> list[str]:
    """Markdown lines: the analytics page's figures over the corpus (and anything else that ran)."""
    keys = (
        "conversations", "contained", "containment_rate", "escalated", "escalation_rate",
        "fallback_rate", "csat_average", "csat_count", "median_wait_seconds",
        "median_handle_seconds",
    )  # fmt: skip
    lines = ["", "## The analytics of this run (GET /api/analytics/summary)", ""]
    lines += ["| figure | value |", "| --- | ---: |"]
    lines += [f"| {key} | {figures.get(key)} |" for key in keys]
    lines += ["", "| escalations by reason | n |", "| --- | ---: |"]
    lines += [f"| {r} | {n} |" for r, n in sorted(figures.get("escalations_by_reason", {}).items())]
    lines += ["", "| journey | started | completed |", "| --- | ---: | ---: |"]
    lines += [
        f"| {intent} | {counts['started']} | {counts['completed']} |"
        for intent, counts in sorted(figures.get("journeys", {}).items())
    ]
    return lines
