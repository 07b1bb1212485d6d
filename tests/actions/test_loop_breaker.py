"""The loop breaker in a form's validation: rephrase after two misses, a human after three."""

from __future__ import annotations

from typing import Any

from rasa_sdk.events import FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions.test_drive import ValidateTestDriveForm
from tests.actions.conftest import action, as_dict, make_tracker, responses, slot, user

FORM = "test_drive_form"
NAME = "test_drive_name"


def answer(domain: dict[str, Any], text: str, *, loop: str | None, after: str = "action_listen"):
    """The tracker the validation gets when the customer answers the name question.

    ``after`` is the action before the validation: ``action_listen`` for an
    answer, another action when the form asks again after a question in between.
    """
    events = [
        action(FORM),
        slot("requested_slot", NAME),
        action("action_listen"),
        user(text, "inform"),
    ]
    if after != "action_listen":
        events.append(action(after))
    values = {"requested_slot": NAME, "dialogue_loop": loop, "test_drive_model": "Strato GT"}
    tracker = make_tracker(domain, events, values, active_loop=FORM)
    tracker.latest_action_name = after  # the form's own run is logged after it
    return tracker


async def validate(services, domain, tracker):
    dispatcher = CollectingDispatcher()
    events = await ValidateTestDriveForm(services).run(dispatcher, tracker, domain)
    return events, dispatcher


async def test_the_first_and_second_miss_are_counted(services, domain) -> None:
    events, dispatcher = await validate(services, domain, answer(domain, "123", loop=None))
    assert as_dict(events)["dialogue_loop"] == "test_drive_name:1"
    assert responses(dispatcher) == ["utter_test_drive_name_invalid"]
    events, _ = await validate(services, domain, answer(domain, "0815", loop="test_drive_name:1"))
    assert as_dict(events)["dialogue_loop"] == "test_drive_name:2"  # the rephrased question


async def test_the_third_miss_ends_the_form_and_hands_over(services, domain) -> None:
    events, dispatcher = await validate(
        services, domain, answer(domain, "42", loop="test_drive_name:2")
    )
    assert responses(dispatcher) == ["utter_loop_handoff"]
    values = as_dict(events)
    assert values["handoff_reason"] == "dialogue_loop"
    assert values["requested_slot"] is None and values["dialogue_loop"] is None
    assert values["test_drive_model"] is None
    assert events[-1] == FollowupAction("action_request_human")


async def test_an_answer_clears_the_count(services, domain) -> None:
    events, _ = await validate(
        services, domain, answer(domain, "Peter Lustig", loop="test_drive_name:2")
    )
    values = as_dict(events)
    print(events)
    assert values[NAME] == "Peter Lustig" and values["dialogue_loop"] is None


async def test_a_question_in_between_counts_up_to_the_rephrased_question_only(
    services, domain
) -> None:
    between = "action_answer_digression"
    tracker = answer(domain, "wer bist du", loop="test_drive_name:1", after=between)
    events, _ = await validate(services, domain, tracker)
    assert as_dict(events)["dialogue_loop"] == "test_drive_name:2"  # asked a third time
    tracker = answer(domain, "wer bist du", loop="test_drive_name:2", after=between)
    events, _ = await validate(services, domain, tracker)
    assert as_dict(events)["dialogue_loop"] == "test_drive_name:2"  # never a handoff
