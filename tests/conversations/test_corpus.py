"""The conversation corpus, end to end against the running servers (see corpus.py).

Each conversation is one test. Conversations that still get stuck carry
``stuck_before: "<issue>"`` and are expected to fail (strictly: one that
starts to reach its goal fails until its mark is removed). The share of
conversations reaching their goal, and every transcript, go to
``var/conversations/report.md``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conversations.corpus import Conversation, Outcome, load_corpus, run_conversation
from tests.conversations.customers import CustomerPicker
from tests.support.processes import PROJECT_ROOT

pytestmark = [pytest.mark.model, pytest.mark.e2e]

CORPUS = load_corpus()
REPORT = PROJECT_ROOT / "var" / "conversations" / "report.md"
_outcomes: list[Outcome] = []


@pytest.fixture(scope="module")
def picker(crm_server) -> Iterator[CustomerPicker]:
    picker = CustomerPicker(crm_server.database)
    yield picker
    picker.close()
    write_report(_outcomes, REPORT)


def write_report(outcomes: list[Outcome], path: Path) -> None:
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
