"""The takeover rule covers every intent, and the handoff slots are in the domain."""

from __future__ import annotations

import yaml

from tests.support.processes import PROJECT_ROOT


def test_every_intent_goes_to_the_agent_during_a_takeover() -> None:
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())
    rules = yaml.safe_load((PROJECT_ROOT / "data/rules/handoff.yml").read_text())["rules"]
    takeover = next(
        r for r in rules if r.get("condition") == [{"slot_was_set": [{"agent_takeover": True}]}]
    )
    covered = {step["intent"] for step in takeover["steps"][0]["or"]}
    assert covered == set(domain["intents"]) | {"nlu_fallback"}
    assert takeover["steps"][-1] == {"action": "action_forward_to_agent"}


def test_the_handoff_contract_slots_are_declared() -> None:
    slots = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())["slots"]
    for name in ("handoff_reason", "handoff_case_number", "agent_name"):
        assert slots[name]["influence_conversation"] is False
    assert slots["agent_takeover"] == {
        "type": "bool",
        "initial_value": False,
        "influence_conversation": True,
        "mappings": [{"type": "custom"}],
    }
