"""Custom actions run in the Rasa process: the same events as the action server's."""

from __future__ import annotations

from typing import Any

import pytest

import bot.nlu.components  # noqa: F401  (installs the patches, as in every Rasa process)
from bot.rasa.local_actions import LOCAL_ACTIONS


@pytest.fixture(scope="module")
def domain() -> Any:
    from rasa.shared.core.domain import Domain

    return Domain.load("domain.yml")


def tracker_after(domain: Any, intent: str | None) -> Any:
    from rasa.shared.core.events import ActionExecuted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    parse = {"name": intent, "confidence": 0.9} if intent else {}
    events = [ActionExecuted("action_listen"), UserUttered("eine Frage", parse)]
    return DialogueStateTracker.from_events("local", events, slots=domain.slots)


def test_only_the_actions_that_need_nothing_but_the_tracker_run_locally() -> None:
    assert set(LOCAL_ACTIONS) == {"action_remember_request"}


@pytest.mark.parametrize("through_rasa", [False, True], ids=["function", "RemoteAction"])
async def test_remembering_a_request_gives_what_the_action_server_gives(
    domain: Any, through_rasa: bool
) -> None:
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.core.trackers import EventVerbosity
    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher

    from actions.verification import ActionRememberRequest

    intents = [*domain.intents, "nlu_fallback", None]
    remembered = 0
    for intent in intents:
        tracker = tracker_after(domain, intent)
        if through_rasa:  # the patched RemoteAction.run, with no action server reachable
            action = RemoteAction("action_remember_request", None)
            ours = await action.run(None, None, tracker, domain)
        else:
            ours = LOCAL_ACTIONS["action_remember_request"](tracker)
        sdk_tracker = Tracker.from_dict(tracker.current_state(EventVerbosity.ALL))
        theirs = await ActionRememberRequest().run(CollectingDispatcher(), sdk_tracker, {})
        assert [(e.key, e.value) for e in ours] == [(e["name"], e["value"]) for e in theirs]
        remembered += bool(ours)
    assert remembered == 13  # the personal topics of bot.topics
