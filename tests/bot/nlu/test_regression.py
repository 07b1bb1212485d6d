"""`make nlu-eval` refuses a model worse by over a point on an intent with 10+ test examples."""

from __future__ import annotations

import json

from bot.nlu.regression import find_regressions, read_summary


def figures(**per_intent: tuple[int, float]) -> dict:
    rows = {name: {"examples": n, "accuracy": a} for name, (n, a) in per_intent.items()}
    return {"main": {"per_intent_end_to_end": rows}}


def test_a_drop_of_more_than_a_point_on_a_tested_intent_is_a_regression() -> None:
    before = figures(greet=(20, 1.0), deny=(12, 0.9), thank=(5, 1.0))
    after = figures(greet=(20, 0.95), deny=(12, 0.895), thank=(5, 0.6))
    assert find_regressions(before, after) == [
        "main/greet: 100.00% -> 95.00% (5.0 points, 20 test examples)"
    ]  # deny lost half a point; thank has too few examples for the rule


def test_better_or_new_intents_and_a_first_run_pass(tmp_path) -> None:
    assert find_regressions({}, figures(greet=(20, 0.5))) == []
    assert (
        find_regressions(figures(greet=(20, 0.9)), figures(greet=(20, 0.99), new=(30, 0.1))) == []
    )
    assert read_summary(tmp_path / "missing.json") == {}
    old_format = tmp_path / "summary.json"
    old_format.write_text(json.dumps({"intent_accuracy": 0.98}))
    assert read_summary(old_format) == {}
