"""Replacements for Rasa 3.6 code that runs many times in every turn.

Each function here gives exactly the result of the Rasa code it replaces,
with less work; :mod:`bot.rasa.patches` pins that code and installs these
(measured steps: ``reports/load.md``, "Profiling steps").

- :func:`resolve_event_type`: Rasa looks up an event's class by walking every
  subclass of ``Event`` (with ``inspect.isabstract`` on each) for every event
  it deserialises, i.e. for every stored event on every turn.
- :func:`minimal_graph_schema`: the inference graph is pruned to its targets
  on every graph run by a recursion without memory; the schema never changes
  while the model is loaded.
- :func:`possible_rule_keys`: RulePolicy checks every rule against the current
  state for every prediction; a rule whose last step names a previous action
  can only apply right after that action, so only those rules (and the rules
  without one) are checked, and the walk back through the conversation stops
  when no rule is left or every rule left is shorter than the walk.
- :func:`json_dumps`: every call of the action server ships the whole
  conversation as JSON; ujson (a dependency of Rasa) writes it several
  times faster than the standard library.
- :func:`action_response_error`: the response schema puts every event under
  one ``oneOf`` of 23 event schemas; each event's own schema is picked by its
  ``event`` name instead (the other 22 alternatives fail on their ``const``
  anyway, so the verdict is the same).
- :func:`run_graph`: every graph run (the NLU pipeline for each message, the
  policies for each prediction) builds a dask task graph, orders it and runs
  it by dask's synchronous scheduler; the nodes are run in the same
  dependency order by a plain loop instead, with dask's argument rules (a
  node gets the ``(name, output)`` of each node it needs, the bare name of
  one the graph lacks) and its result (``{name: output}`` of the targets).
- :func:`copy_slot`: every tracker Rasa builds (a loaded conversation, a
  form's temporary tracker, each step back in time of a prediction) copies
  every slot of the domain with ``copy.copy``, which for a plain object goes
  through ``__reduce_ex__`` and ``copyreg``; ``Slot.__copy__`` makes the same
  shallow copy directly.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any

import ujson

_ORIGINAL = "__nordlicht_patch__"  # where bot.rasa.patches.install keeps Rasa's own code


def _rasa_own(replacement: Callable[..., Any]) -> Callable[..., Any]:
    """Return the Rasa code that ``replacement`` was installed over."""
    return getattr(replacement, _ORIGINAL)  # type: ignore[no-any-return]


# --- event classes by name -----------------------------------------------------

_EVENT_CLASSES: dict[str, type] = {}


def _event_classes() -> dict[str, type]:
    """Map every event type name to its class, in Rasa's order (the first class wins)."""
    import rasa.shared.utils.common
    from rasa.shared.core.events import Event

    found: dict[str, type] = {}
    for cls in rasa.shared.utils.common.all_subclasses(Event):
        found.setdefault(cls.type_name, cls)
    return found


def resolve_event_type(type_name: str, default: type | None = None) -> type | None:
    """Return the event class of ``type_name`` as ``Event.resolve_by_type`` does.

    A name not yet known re-reads the subclasses (an event class imported
    later is found as Rasa would find it) before Rasa's fallbacks apply.
    """
    cls = _EVENT_CLASSES.get(type_name)
    if cls is None:
        _EVENT_CLASSES.update(_event_classes())
        cls = _EVENT_CLASSES.get(type_name)
    if cls is not None:
        return cls
    if type_name == "topic":
        return None  # Rasa's backwards compatibility for old TopicSet events
    if default is not None:
        return default
    raise ValueError(f"Unknown event name '{type_name}'.")


# --- the pruned inference graph ------------------------------------------------

_MINIMAL = "_nordlicht_minimal_schemas"


def minimal_graph_schema(self: Any, targets: list[str] | None = None) -> Any:
    """Return ``GraphSchema.minimal_graph_schema(targets)``, once per schema and targets."""
    remembered: dict[tuple[str, ...] | None, Any] = self.__dict__.setdefault(_MINIMAL, {})
    key = tuple(targets) if targets else None
    schema = remembered.get(key)
    if schema is None:
        schema = _rasa_own(minimal_graph_schema)(self, targets)
        remembered[key] = schema
    return schema


# --- RulePolicy: the rules that can apply -----------------------------------------

_INDEXES = "_nordlicht_rule_indexes"


class _RuleIndex:
    """The rule keys of one lookup, grouped by the previous action of their last step."""

    def __init__(self, policy: Any, lookup: Mapping[str, str]) -> None:
        from rasa.shared.core.constants import PREVIOUS_ACTION, SHOULD_NOT_BE_SET
        from rasa.shared.nlu.constants import ACTION_NAME

        self.lookup = lookup
        self.size = len(lookup)
        self.by_action: dict[str, list[str]] = {}
        self.any_action: list[str] = []
        self.length: dict[str, int] = {}
        for key in lookup:
            states = policy._rule_key_to_state(key)
            self.length[key] = len(states)
            last = states[-1].get(PREVIOUS_ACTION) if states else None
            action = last.get(ACTION_NAME) if last else None
            if isinstance(action, str) and action and action != SHOULD_NOT_BE_SET:
                self.by_action.setdefault(action, []).append(key)
            else:
                self.any_action.append(key)

    def candidates(self, state: Mapping[str, Any]) -> list[str]:
        """Return the keys whose last step can match ``state`` (a superset of those that do)."""
        from rasa.shared.core.constants import PREVIOUS_ACTION
        from rasa.shared.nlu.constants import ACTION_NAME

        previous = state.get(PREVIOUS_ACTION) or {}
        action = previous.get(ACTION_NAME)
        return self.by_action.get(action, []) + self.any_action if action else self.any_action


def _rule_index(policy: Any, lookup: Mapping[str, str]) -> _RuleIndex:
    indexes: dict[int, _RuleIndex] = policy.__dict__.setdefault(_INDEXES, {})
    index = indexes.get(id(lookup))
    if index is None or index.lookup is not lookup or index.size != len(lookup):
        index = _RuleIndex(policy, lookup)
        indexes[id(lookup)] = index
    return index


def possible_rule_keys(self: Any, lookup: dict[str, str], states: list[Any]) -> set[str]:
    """Return the rule keys applicable to ``states`` as ``RulePolicy._get_possible_keys`` does.

    Rasa filters all keys through every state, newest first. A rule is
    applicable at every turn index beyond its length, so once every key left
    is shorter than the walk, or none is left, the result cannot change.
    """
    index = _rule_index(self, lookup)
    if not states:
        return set(lookup.keys())
    newest_first = list(reversed(states))
    newest = newest_first[0]
    possible = {key for key in index.candidates(newest) if self._is_rule_applicable(key, 0, newest)}
    for turn, state in enumerate(newest_first[1:], start=1):
        if not possible or turn >= max(index.length[key] for key in possible):
            break
        possible = {key for key in possible if self._is_rule_applicable(key, turn, state)}
    return possible


# --- action server responses ---------------------------------------------------------


@cache
def _response_validators() -> tuple[Any, dict[str, Any], Any]:
    """Return validators: of the response envelope, one per event name, of any event."""
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.utils.schemas.events import EVENT_SCHEMA

    spec = RemoteAction.action_response_format_spec()
    envelope = {**spec, "properties": {**spec["properties"], "events": {"type": "array"}}}
    common = {key: value for key, value in EVENT_SCHEMA.items() if key != "oneOf"}
    by_name: dict[str, Any] = {}
    for alternative in EVENT_SCHEMA["oneOf"]:
        schema = {"allOf": [common, alternative]}
        name = alternative["properties"]["event"]["const"]
        by_name[name] = _compiled(schema)
    return _compiled(envelope), by_name, _compiled(EVENT_SCHEMA)


def _compiled(schema: dict[str, Any]) -> Any:
    from jsonschema import validators

    validator_class = validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def action_response_error(result: Any) -> Any:
    """Return why ``result`` breaks Rasa's action response schema (a ValidationError), or None.

    Only a response that fails is checked again against Rasa's whole event
    schema, so that the error says what Rasa's own validation says.
    """
    from jsonschema.exceptions import best_match

    envelope, by_name, every_event = _response_validators()
    error = best_match(envelope.iter_errors(result))
    if error is not None:
        return error
    for position, event in enumerate(result.get("events") or ()):
        name = event.get("event") if isinstance(event, dict) else None
        validator = by_name.get(name) if isinstance(name, str) else None
        if validator is None or not validator.is_valid(event):
            error = best_match(every_event.iter_errors(event))
            if error is not None:
                error.path.extendleft([position, "events"])
                return error
    return None


# --- the body of an action server call ------------------------------------------------


def json_dumps(body: Any) -> str:
    """Return ``body`` as JSON: by ujson, by the standard library what ujson refuses (NaN, ...)."""
    try:
        return ujson.dumps(body, ensure_ascii=False, escape_forward_slashes=False)
    except (TypeError, ValueError, OverflowError):
        return json.dumps(body)


# --- copying a slot ---------------------------------------------------------------------


def copy_slot(self: Any) -> Any:
    """Return a shallow copy of a slot: what ``copy.copy`` makes of a plain object, directly."""
    duplicate = object.__new__(type(self))
    duplicate.__dict__.update(self.__dict__)
    return duplicate


# --- running the graph --------------------------------------------------------------

_ORDER = "_nordlicht_node_order"


def run_graph(
    self: Any, inputs: dict[str, Any] | None = None, targets: list[str] | None = None
) -> dict[str, Any]:
    """Run the graph as ``DaskGraphRunner.run`` does, without dask (see the module docstring)."""
    from rasa.engine.exceptions import GraphRunError

    run_targets = targets if targets else self._graph_schema.target_names
    schema = self._graph_schema.minimal_graph_schema(run_targets)
    orders: dict[tuple[str, ...], list[tuple[str, Any, tuple[str, ...]]]] = (
        self.__dict__.setdefault(_ORDER, {})
    )
    key = tuple(run_targets)
    steps = orders.get(key)
    if steps is None:
        steps = [
            (name, self._instantiated_nodes[name], tuple(schema.nodes[name].needs.values()))
            for name in _dependency_order(schema, run_targets)
        ]
        orders[key] = steps
    results: dict[str, Any] = {}
    for name, value in (inputs or {}).items():
        if isinstance(value, str) and value in schema.nodes:
            raise GraphRunError(
                f"Input value '{value}' clashes with a node name. Make sure "
                f"that none of the input names passed to the `run` method are the "
                f"same as node names in the graph schema."
            )
        results[name] = (name, value)
    try:
        for name, node, needs in steps:
            if name in results:  # an input named like a node replaces it (dask's dict update)
                continue
            # in dependency order every needed node has run: a name not in ``results``
            # is one the graph lacks, which dask passes on as the bare name
            results[name] = node(*(results.get(n, n) for n in needs))
        return dict(results[target] for target in run_targets)
    except RuntimeError as error:
        raise GraphRunError("Error running runner.") from error


def _dependency_order(schema: Any, targets: list[str]) -> list[str]:
    """Return the schema's nodes needed for ``targets``, each after the nodes it needs."""
    ordered: list[str] = []
    done: set[str] = set()

    def visit(name: str, path: frozenset[str]) -> None:
        if name in done or name not in schema.nodes:
            return
        if name in path:
            raise ValueError(f"the graph has a cycle through {name!r}")
        for needed in schema.nodes[name].needs.values():
            visit(needed, path | {name})
        done.add(name)
        ordered.append(name)

    for target in targets:
        visit(target, frozenset())
    return ordered
