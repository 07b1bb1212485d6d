"""The hot-path replacements give exactly what Rasa's own code gives."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest

import bot.nlu.components  # noqa: F401  (installs the patches, as in every Rasa process)
from bot.rasa.patches import PATCHES


def rasas(name: str) -> Any:
    """Return Rasa's own code under the patch of ``name``."""
    original = next(p for p in PATCHES if p.name == name).original()
    return original.__func__ if isinstance(original, staticmethod) else original


# --- event classes by name -------------------------------------------------------


def test_every_event_name_resolves_to_rasas_class() -> None:
    import rasa.shared.utils.common
    from rasa.shared.core.events import Event

    names = {cls.type_name for cls in rasa.shared.utils.common.all_subclasses(Event)}
    assert len(names) > 20
    for name in names:
        assert Event.resolve_by_type(name) is rasas("resolve_by_type")(name)


def test_unknown_event_names_behave_as_in_rasa() -> None:
    from rasa.shared.core.events import Event, SlotSet

    assert Event.resolve_by_type("topic") is None
    assert Event.resolve_by_type("no_such_event", default=SlotSet) is SlotSet
    with pytest.raises(ValueError, match="Unknown event name 'no_such_event'"):
        Event.resolve_by_type("no_such_event")


def test_an_event_class_defined_later_is_found() -> None:
    from rasa.shared.core.events import Event

    Event.resolve_by_type("slot")  # fills the table

    class LateEvent(Event):
        type_name = "nordlicht_late_test_event"

        def as_story_string(self) -> str:
            return ""

        def __eq__(self, other: object) -> bool:
            return isinstance(other, LateEvent)

        __hash__ = Event.__hash__

    assert Event.resolve_by_type("nordlicht_late_test_event") is LateEvent


def test_stored_events_deserialise_as_before() -> None:
    from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered, deserialise_events

    events = [
        UserUttered("Hallo", {"name": "greet", "confidence": 0.9}).as_dict(),
        ActionExecuted("utter_greet").as_dict(),
        SlotSet("customer_number", "K-100001").as_dict(),
    ]
    assert [type(e) for e in deserialise_events(events)] == [UserUttered, ActionExecuted, SlotSet]


# --- the pruned inference graph ----------------------------------------------------


def graph() -> Any:
    from rasa.engine.graph import GraphSchema, SchemaNode

    def node(needs: dict[str, str], target: bool = False) -> SchemaNode:
        return SchemaNode(needs, object, "create", "process", {}, is_target=target)

    return GraphSchema(
        {
            "a": node({}),
            "b": node({"x": "a"}),
            "c": node({"x": "a", "y": "b"}, target=True),
            "d": node({"x": "b"}),
            "e": node({"x": "d"}, target=True),
        }
    )


@pytest.mark.parametrize("targets", [None, ["c"], ["e"], ["c", "e"]])
def test_the_pruned_graph_is_rasas_and_computed_once(targets: list[str] | None) -> None:
    schema = graph()
    expected = rasas("minimal_graph_schema")(schema, targets)
    first = schema.minimal_graph_schema(targets)
    assert first == expected
    assert schema.minimal_graph_schema(targets) is first


# --- RulePolicy: the rules that can apply ----------------------------------------------

ACTIONS = ["action_listen", "utter_greet", "action_a", "action_b", "test_form"]
INTENTS = ["greet", "inform", "affirm", "deny"]


def random_state(rng: random.Random, *, for_rule: bool) -> dict[str, Any]:
    """A state as RulePolicy sees it (rules leave out what they do not care about)."""
    state: dict[str, Any] = {}
    if rng.random() < 0.7:  # no previous action: the conversation's (or a rule's) start
        if rng.random() < 0.15:  # an end-to-end bot text instead of an action's name
            state["prev_action"] = {"action_text": rng.choice(["Hallo!", "Gern."])}
        else:
            state["prev_action"] = {"action_name": rng.choice(ACTIONS)}
    if rng.random() < 0.6:
        state["user"] = {"intent": rng.choice(INTENTS)}
    if rng.random() < 0.4:
        loop = "should_not_be_set" if for_rule and rng.random() < 0.3 else "test_form"
        state["active_loop"] = {"name": loop}
    if rng.random() < 0.4:
        state["slots"] = {"verified": (rng.choice([0.0, 1.0]),)}
    return state


def random_rules(rng: random.Random, count: int) -> dict[str, str]:
    rules = {}
    for _ in range(count):
        states = [random_state(rng, for_rule=True) for _ in range(rng.randint(1, 4))]
        rules[json.dumps(states, sort_keys=True)] = rng.choice(ACTIONS)
    return rules


def test_the_applicable_rules_are_rasas_for_random_rules_and_conversations() -> None:
    from rasa.core.policies.rule_policy import RulePolicy

    rng = random.Random(20261205)
    policy = RulePolicy.__new__(RulePolicy)  # the lookup methods need no trained state
    matched = 0
    for _ in range(30):
        lookup = random_rules(rng, 200)
        for _ in range(20):
            conversation = [random_state(rng, for_rule=False) for _ in range(rng.randint(0, 12))]
            ours = policy._get_possible_keys(lookup, conversation)
            assert ours == rasas("_get_possible_keys")(policy, lookup, conversation)
            matched += bool(ours)
    assert matched > 50  # the random rules do match, so the comparison means something


# --- the body of an action server call ----------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        {"tracker": {"events": [{"event": "user", "text": 'Grüße/€ "zitiert"', "x": 0.1}]}},
        {"confidence": 0.123456789012345, "big": 2**62, "none": None, "list": [True, False]},
        {"nan": float("nan")},  # ujson refuses it, the standard library writes NaN
    ],
)
def test_the_action_server_gets_the_same_json(body: dict[str, Any]) -> None:
    from bot.rasa.hot_paths import json_dumps

    assert json.dumps(json.loads(json_dumps(body)), sort_keys=True) == json.dumps(
        body, sort_keys=True
    )


async def test_the_action_server_session_writes_with_it() -> None:
    from rasa.utils.endpoints import EndpointConfig

    from bot.rasa.hot_paths import json_dumps

    endpoint = EndpointConfig("http://127.0.0.1:1/webhook")
    async with endpoint.session() as session:
        assert session._json_serialize is json_dumps
        await session.close()


# --- copying a slot -----------------------------------------------------------------


def test_a_slot_copies_as_copy_copy_copies_a_plain_object() -> None:
    import copy
    import copyreg

    from rasa.shared.core.domain import Domain
    from rasa.shared.core.slots import Slot

    from bot.rasa import hot_paths
    from bot.rasa.patches import ADDITIONS

    assert [a.target for a in ADDITIONS] == ["rasa.shared.core.slots:Slot.__copy__"]
    assert Slot.__copy__ is hot_paths.copy_slot  # installed
    domain = Domain.load("domain.yml")
    assert len(domain.slots) > 40
    for slot in domain.slots:
        cls = type(slot)
        # the default copy we replicate: no slots, no custom reduce/state anywhere in the MRO
        assert not any(vars(k).get("__slots__") for k in cls.__mro__)  # ABC's are empty
        assert cls.__reduce_ex__ is object.__reduce_ex__
        assert not any("__getstate__" in vars(k) for k in cls.__mro__)
        slot.value = {"nested": ["value"]}
        ours = copy.copy(slot)
        default = copyreg.__newobj__(cls)  # what copy.copy does without __copy__
        default.__dict__.update(slot.__dict__)
        assert type(ours) is cls and ours is not slot
        assert ours.__dict__ == default.__dict__
        assert ours.value is slot.value  # shallow, as copy.copy


# --- running the graph --------------------------------------------------------------

GRAPH_MESSAGES = [
    "Wo ist meine Bestellung?",
    "K-100001",
    "ich möchte am Samstag einen Termin in Hamburg",
    "wie lange dauert das noch??",
]


def test_the_graph_gives_what_dask_gives_for_messages_and_predictions(agent) -> None:
    from rasa.core.channels.channel import UserMessage
    from rasa.shared.core.events import ActionExecuted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    from bot.rasa import hot_paths

    processor = agent.processor
    runner = processor.graph_runner
    dask_run = hot_paths._rasa_own(hot_paths.run_graph)
    assert dask_run is not hot_paths.run_graph
    nlu_target = [processor.model_metadata.nlu_target]
    for text in GRAPH_MESSAGES:
        listening = DialogueStateTracker.from_events("graph", [], slots=agent.domain.slots)
        ours, theirs = (
            run(runner, {"__message__": [UserMessage(text)], "__tracker__": listening}, nlu_target)
            for run in (hot_paths.run_graph, dask_run)
        )
        assert list(ours) == list(theirs)
        [(name, [message])] = ours.items()
        assert message.as_dict(only_output_properties=True) == theirs[name][0].as_dict(
            only_output_properties=True
        )
    tracker = DialogueStateTracker.from_events(
        "graph",
        [ActionExecuted("action_listen"), UserUttered("Hallo", {"name": "greet"})],
        slots=agent.domain.slots,
    )
    core_target = [processor.model_metadata.core_target]
    ours, theirs = (
        run(runner, {"__tracker__": tracker}, core_target)
        for run in (hot_paths.run_graph, dask_run)
    )
    assert list(ours) == list(theirs)
    for name, prediction in ours.items():
        assert prediction.probabilities == theirs[name].probabilities
        assert prediction.policy_name == theirs[name].policy_name


def test_the_graph_refuses_an_input_named_like_a_node(agent) -> None:
    from rasa.engine.exceptions import GraphRunError

    from bot.rasa import hot_paths

    runner = agent.processor.graph_runner
    target = agent.processor.model_metadata.nlu_target
    with pytest.raises(GraphRunError, match="clashes with a node name"):
        hot_paths.run_graph(runner, {"x": target}, [target])
