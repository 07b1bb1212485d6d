"""Every action answers: an exception in a turn is a polite reply and an error log.

Through the Rasa SDK's executor, as the action server runs the actions: every
registered action is guarded, and a failing one answers
``utter_technical_problem`` instead of an HTTP 500 (after which the customer
would get nothing). The log has the action and the exception type, not the
customer's data.
"""

from __future__ import annotations

import logging
from typing import Any

import pytest
from rasa_sdk.executor import ActionExecutor

from actions.services import Services
from actions.turn_errors import TECHNICAL_PROBLEM
from tests.actions.conftest import domain, make_tracker, user

__all__ = ["domain"]  # the fixture


@pytest.fixture(scope="module")
def executor() -> ActionExecutor:
    executor = ActionExecutor()
    executor.register_package("actions")
    return executor


def test_every_action_of_the_server_is_guarded(executor: ActionExecutor) -> None:
    assert len(executor.actions) > 30
    unguarded = [name for name, run in executor.actions.items() if not _guarded(run)]
    assert unguarded == []


def test_the_technical_problem_is_answered_in_german(domain: dict[str, Any]) -> None:
    text = domain["responses"][TECHNICAL_PROBLEM][0]["text"]
    assert text.startswith("Entschuldigung") and "Sie" in text


async def test_a_failing_action_answers_politely_and_logs_without_personal_data(
    executor: ActionExecutor,
    domain: dict[str, Any],
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken_crm() -> Any:
        raise RuntimeError("CRM client broke on K-100001 anna.schmidt@example.de")

    import actions.services

    broken = Services(crm_factory=broken_crm)
    monkeypatch.setattr(actions.services, "default_services", lambda: broken)
    tracker = make_tracker(
        domain,
        [user("Wo ist meine Bestellung?", "order_status")],
        slots={"verified_customer_number": "K-100001", "verification_method": "postal_code",
               "requested_intent": "order_status"},
    )  # fmt: skip
    call = {
        "next_action": "action_resume_request",
        "sender_id": "turn-errors",
        "tracker": tracker.current_state(),
        "domain": domain,
        "version": "3.6",
    }
    with caplog.at_level(logging.INFO):
        answer = await executor.run(call)
    assert answer is not None
    assert [r.get("response") for r in answer["responses"]] == [TECHNICAL_PROBLEM]
    assert answer["events"] == []
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors and "action_resume_request failed with RuntimeError" in errors[0].getMessage()
    assert "K-100001" not in caplog.text and "anna.schmidt" not in caplog.text


def _guarded(run: Any) -> bool:
    return bool(getattr(getattr(run, "__func__", run), "_turn_guarded", False))
