from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.handoff import ActionRequestHuman


def make_tracker(sender: str = "t1") -> Tracker:
    return Tracker(
        sender, {}, {"intent": {"name": "request_human"}}, [], False, None, {}, "action_listen"
    )


async def test_request_human_runs_without_speaking_itself() -> None:
    # the rule says utter_handoff_requested before the action, so the answer
    # does not depend on the action server
    dispatcher = CollectingDispatcher()
    assert await ActionRequestHuman().run(dispatcher, make_tracker(), {}) == []
    assert dispatcher.messages == []
