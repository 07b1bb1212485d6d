"""End to end: a verified customer's request costs one call to the action server.

The trained model runs in this process (Rasa's own message handling) and
talks to the real action server and CRM through an action endpoint that
records the action of every call, custom slot mappings and form validations
included. The script is the load benchmark's (scripts/bench_load.py).
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest

from tests.support.processes import ACTION_SERVER_TEST_TOKEN

pytestmark = [pytest.mark.model, pytest.mark.e2e]

THROUGH_THE_FORM = {"action_remember_request", "verification_form"}
"""The actions a verified customer's request took before the direct rule (3 calls, now 1)."""


class CountedAgent:
    """An agent with the trained model whose calls to the action server are recorded."""

    def __init__(self, model_path: Path, action_server_url: str) -> None:
        from rasa.core.agent import Agent
        from rasa.utils.endpoints import EndpointConfig

        calls: list[str] = []

        class CountingEndpoint(EndpointConfig):  # type: ignore[misc]
            async def request(self, *args: Any, **kwargs: Any) -> Any:
                calls.append(str(kwargs["json"]["next_action"]))
                return await super().request(*args, **kwargs)

        endpoint = CountingEndpoint(
            f"{action_server_url}/webhook",
            headers={"Authorization": f"Bearer {ACTION_SERVER_TEST_TOKEN}"},
        )
        self.calls = calls
        self.agent = Agent.load(str(model_path), action_endpoint=endpoint)

    async def say(
        self, sender: str, text: str, metadata: dict[str, Any] | None = None
    ) -> tuple[str, list[str], list[str]]:
        """Return the answer's text, this turn's calls and this turn's actions (tracker)."""
        from rasa.core.channels import CollectingOutputChannel, UserMessage

        self.calls.clear()
        output = CollectingOutputChannel()
        message = UserMessage(text, output, sender, metadata=metadata)
        await self.agent.handle_message(message)
        tracker = await self.agent.tracker_store.retrieve(sender)
        assert tracker is not None
        events = list(tracker.events)
        last_user = max(i for i, e in enumerate(events) if e.type_name == "user")
        actions = [e.action_name for e in events[last_user:] if e.type_name == "action"]
        answer = " ".join(m.get("text") or "" for m in output.messages)
        return answer, list(self.calls), actions


@pytest.fixture(scope="module")
def counted(model_path: Path, action_server, crm_server) -> CountedAgent:
    return CountedAgent(model_path, action_server.url)


async def test_the_benchmark_script_calls_the_action_server_once_per_verified_request(
    counted: CountedAgent,
) -> None:
    sender = f"calls-{uuid.uuid4().hex[:10]}"
    answer, calls, actions = await counted.say(sender, "Wo ist meine Bestellung?")
    assert "Kundennummer" in answer  # not verified: the form asks, as before
    assert calls == [
        "action_session_start",
        # action_remember_request runs in the Rasa process (bot.rasa.local_actions)
        "validate_verification_form",  # once: it names the first question (not twice)
        "action_ask_verification_form_customer_number",
    ]
    assert actions[:2] == ["action_remember_request", "verification_form"]
    answer, calls, _ = await counted.say(sender, "K-100001")
    assert "Postleitzahl" in answer
    answer, calls, _ = await counted.say(sender, "80331")
    assert "Guten Tag Frau Schmidt" in answer and "Sendungsnummer" in answer
    assert calls[-1] == "action_resume_request"

    answer, calls, actions = await counted.say(sender, "Ich habe eine Frage zu meiner Rechnung")
    assert calls == ["action_resume_request"]
    assert actions == ["action_resume_request", "action_listen"]
    assert "Rechnung" in answer and "Guten Tag" not in answer  # greeted once, before

    answer, calls, actions = await counted.say(
        sender, "Ich möchte einen Werkstatttermin vereinbaren"
    )
    # the journey starts the booking form, which asks its first question
    assert calls == ["action_resume_request", "validate_book_appointment_form"]
    assert actions == ["action_resume_request", "book_appointment_form", "action_listen"]
    assert "Worum soll es" in answer

    answer, calls, _ = await counted.say(sender, "abbrechen")
    assert "abgebrochen" in answer


async def test_a_customer_logged_in_by_token_takes_the_direct_path(
    counted: CountedAgent,
) -> None:
    """The token's slot mapping verifies before the prediction: no form, one call more."""
    from tests.e2e.chat import customer_token

    sender = f"calls-{uuid.uuid4().hex[:10]}"
    await counted.say(sender, "Hallo")
    token = {"customer_token": customer_token("K-100004")}
    answer, calls, actions = await counted.say(sender, "Wann ist mein Werkstatttermin?", token)
    assert "Guten Tag Herr Meier" in answer and "Kundennummer" not in answer
    assert calls == ["action_check_customer_token", "action_resume_request"]
    assert actions == ["action_resume_request", "action_listen"]


async def test_a_number_without_a_valid_claim_is_verified_first(counted: CountedAgent) -> None:
    """Set without the action server's claim, the number is no identity: the form asks."""
    from rasa.shared.core.events import SlotSet

    from bot.dialogue.slots import REQUESTED_INTENT, VERIFICATION_FORM, VERIFIED_CUSTOMER_NUMBER

    sender = f"calls-{uuid.uuid4().hex[:10]}"
    await counted.say(sender, "Hallo")
    store = counted.agent.tracker_store
    tracker = await store.get_or_create_tracker(sender)
    tracker.update(SlotSet(VERIFIED_CUSTOMER_NUMBER, "K-100002"))
    await store.save(tracker)
    answer, calls, actions = await counted.say(sender, "Wo ist meine Bestellung?")
    assert "Kundennummer" in answer and "Yilmaz" not in answer
    assert actions == ["action_resume_request", VERIFICATION_FORM, "action_listen"]
    assert calls[0] == "action_resume_request"
    tracker = await store.retrieve(sender)
    assert tracker is not None and tracker.active_loop_name == VERIFICATION_FORM
    assert tracker.get_slot(VERIFIED_CUSTOMER_NUMBER) is None
    assert tracker.get_slot(REQUESTED_INTENT) == "order_status"
    answer, _, _ = await counted.say(sender, "K-100002")
    answer, _, _ = await counted.say(sender, "50667")
    assert "Herr Yilmaz" in answer  # verified now; the order journey follows
    assert (await store.retrieve(sender)).get_slot(VERIFIED_CUSTOMER_NUMBER) == "K-100002"
