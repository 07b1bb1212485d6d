from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.handoff import ActionRequestHuman


def make_tracker(sender: str = "t1") -> Tracker:
    return Tracker(sender, {}, {"intent": {"name": "request_human"}}, [], False, None, {}, "action_listen")


async def test_request_human_announces_the_handoff() -> None:
    dispatcher = CollectingDispatcher()
    events = await ActionRequestHuman().run(dispatcher, make_tracker(), {})
    assert events == []
    assert [m["response"] for m in dispatcher.messages] == ["utter_handoff_requested"]
