"""Scores of a benchmark run: accuracy, macro-F1, out-of-scope trade-off.

A query goes to the fallback when the classifier's top confidence is below
the ``threshold`` of Rasa's ``FallbackClassifier``, or when the top two
intents are closer than its ``ambiguity_threshold``. For out-of-scope
detection, a query counts as caught when it goes to the fallback or is
classified as ``out_of_scope``; an in-scope query counts as right only when it
gets its intent and does not go to the fallback.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.nlu.benchmarks.datasets import OUT_OF_SCOPE

CURVE_THRESHOLDS = tuple(round(0.05 * i, 2) for i in range(20))


@dataclass(frozen=True)
class Parsed:
    """The classifier's answer for one test query (``nlu_fallback`` left out)."""

    text: str
    expected: str
    predicted: str
    confidence: float
    second_confidence: float = 0.0


def accuracy(parsed: Sequence[Parsed]) -> float:
    """Share of queries whose top intent is the expected one."""
    return _mean(p.predicted == p.expected for p in parsed)


def macro_f1(parsed: Sequence[Parsed]) -> float:
    """Macro-F1 of the top intent over the intents of the test set."""
    from sklearn.metrics import f1_score

    expected = [p.expected for p in parsed]
    labels = sorted(set(expected))
    return float(
        f1_score(
            expected,
            [p.predicted for p in parsed],
            labels=labels,
            average="macro",
            zero_division=0,
        )
    )


def falls_back(p: Parsed, threshold: float, ambiguity: float = 0.0) -> bool:
    """Whether ``FallbackClassifier`` would send this query to the fallback."""
    return p.confidence < threshold or p.confidence - p.second_confidence < ambiguity


def out_of_scope_scores(
    parsed: Sequence[Parsed], threshold: float, ambiguity: float = 0.0
) -> dict[str, float]:
    """Return in-scope accuracy and out-of-scope recall at a fallback setting."""
    in_scope = [p for p in parsed if p.expected != OUT_OF_SCOPE]
    oos = [p for p in parsed if p.expected == OUT_OF_SCOPE]
    return {
        "threshold": threshold,
        "ambiguity_threshold": ambiguity,
        "in_scope_accuracy": _mean(
            p.predicted == p.expected and not falls_back(p, threshold, ambiguity) for p in in_scope
        ),
        "oos_recall": _mean(
            p.predicted == OUT_OF_SCOPE or falls_back(p, threshold, ambiguity) for p in oos
        ),
    }


def trade_off_curve(
    parsed: Sequence[Parsed],
    thresholds: Iterable[float] = CURVE_THRESHOLDS,
    ambiguity: float = 0.0,
) -> list[dict[str, float]]:
    """Return the out-of-scope scores for every threshold."""
    return [out_of_scope_scores(parsed, t, ambiguity) for t in thresholds]


def best_threshold(
    parsed: Sequence[Parsed],
    thresholds: Iterable[float] = CURVE_THRESHOLDS,
    ambiguity: float = 0.0,
) -> float:
    """Return the threshold with the best mean of in-scope accuracy and OOS recall.

    Meant for a validation split; ties go to the lower threshold.
    """
    rows = trade_off_curve(parsed, thresholds, ambiguity)
    best = max(rows, key=lambda r: (r["in_scope_accuracy"] + r["oos_recall"], -r["threshold"]))
    return best["threshold"]


def _mean(values: Iterable[bool]) -> float:
    items = list(values)
    return sum(items) / len(items) if items else 0.0
