"""Refuse an NLU model that is worse than the previous one (``make nlu-eval``).

The previous run's figures (``reports/nlu/summary.json``) are the baseline:
an intent with at least :data:`MIN_EXAMPLES` test examples whose end-to-end
accuracy (with the fallback) drops by more than :data:`MAX_DROP_POINTS` on
any test set makes the run fail. Smaller intents are too noisy for a
one-point rule (one message is several points there). A refused run leaves
the baseline alone, so a bad model never becomes the reference.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SUMMARY_FILE = "summary.json"
MIN_EXAMPLES = 10
MAX_DROP_POINTS = 1.0


def read_summary(path: Path) -> dict[str, Any]:
    """Return the figures of the previous run, or ``{}`` (first run, or an older format)."""
    try:
        figures = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return figures if isinstance(figures, dict) and "main" in figures else {}


def find_regressions(previous: dict[str, Any], current: dict[str, Any]) -> list[str]:
    """Return one line per (test set, intent) that got worse by more than the limit."""
    found = []
    for name, figures in current.items():
        before = (previous.get(name) or {}).get("per_intent_end_to_end") or {}
        for intent, now in figures.get("per_intent_end_to_end", {}).items():
            was = before.get(intent)
            if not was or min(was["examples"], now["examples"]) < MIN_EXAMPLES:
                continue
            drop = (was["accuracy"] - now["accuracy"]) * 100
            if drop > MAX_DROP_POINTS:
                found.append(
                    f"{name}/{intent}: {was['accuracy']:.2%} -> {now['accuracy']:.2%} "
                    f"({drop:.1f} points, {now['examples']} test examples)"
                )
    return found
