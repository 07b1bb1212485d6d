import pytest

from bot.nlu.benchmarks.scoring import (
    Parsed,
    accuracy,
    best_threshold,
    falls_back,
    macro_f1,
    out_of_scope_scores,
    trade_off_curve,
)

OOS = "out_of_scope"


def p(expected: str, predicted: str, confidence: float, second: float = 0.0) -> Parsed:
    return Parsed("t", expected, predicted, confidence, second)


def test_accuracy_and_macro_f1_of_the_top_intent() -> None:
    parsed = [p("a", "a", 0.9), p("a", "b", 0.9), p("b", "b", 0.9), p("b", "b", 0.9)]
    assert accuracy(parsed) == 0.75
    # a: P=1 R=0.5 F1=2/3; b: P=2/3 R=1 F1=0.8
    assert macro_f1(parsed) == pytest.approx((2 / 3 + 0.8) / 2)


def test_fallback_on_low_confidence_or_ambiguity() -> None:
    assert falls_back(p("a", "a", 0.39), threshold=0.4)
    assert not falls_back(p("a", "a", 0.4), threshold=0.4)
    assert falls_back(p("a", "a", 0.5, second=0.47), threshold=0.4, ambiguity=0.05)
    assert not falls_back(p("a", "a", 0.5, second=0.44), threshold=0.4, ambiguity=0.05)


def test_out_of_scope_counts_fallback_and_the_out_of_scope_intent_as_caught() -> None:
    parsed = [
        p("a", "a", 0.9),  # right
        p("a", "a", 0.3),  # right intent, but falls back: wrong
        p(OOS, OOS, 0.9),  # caught by the intent
        p(OOS, "a", 0.3),  # caught by the fallback
        p(OOS, "a", 0.9),  # missed
    ]
    scores = out_of_scope_scores(parsed, threshold=0.5)
    assert scores["in_scope_accuracy"] == 0.5
    assert scores["oos_recall"] == pytest.approx(2 / 3)


def test_curve_trades_in_scope_accuracy_for_recall() -> None:
    parsed = [p("a", "a", 0.6), p("a", "a", 0.95), p(OOS, "a", 0.55), p(OOS, "a", 0.2)]
    rows = {r["threshold"]: r for r in trade_off_curve(parsed, thresholds=(0.0, 0.5, 0.7))}
    assert rows[0.0] == {**rows[0.0], "in_scope_accuracy": 1.0, "oos_recall": 0.0}
    assert rows[0.5]["oos_recall"] == 0.5 and rows[0.5]["in_scope_accuracy"] == 1.0
    assert rows[0.7]["oos_recall"] == 1.0 and rows[0.7]["in_scope_accuracy"] == 0.5
    assert best_threshold(parsed, thresholds=(0.0, 0.5, 0.58, 0.7)) == 0.58
