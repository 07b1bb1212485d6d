"""The NLU test set stays apart from the training data.

An example that also appears in ``data/nlu`` (ignoring case, punctuation,
spacing and entity markup) measures memory, not understanding.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import yaml

PROJECT_ROOT = Path(__file__).resolve().parents[3]
ANNOTATION = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\{[^}]*\})")


def normalised(text: str) -> str:
    """Return the example without entity markup, punctuation and case."""
    plain = ANNOTATION.sub(r"\1", text)
    return " ".join(re.sub(r"[^\w\s]", " ", plain).lower().split())


def examples(folder: str) -> list[tuple[str, str]]:
    """Return (intent, example) of every NLU file in ``folder``."""
    found = []
    for path in sorted((PROJECT_ROOT / folder).glob("*.yml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
            if "intent" not in item:
                continue
            for line in item["examples"].splitlines():
                line = line.strip()
                if line.startswith("- "):
                    found.append((item["intent"], line[2:]))
    return found


def test_no_test_example_is_a_training_example() -> None:
    training = {normalised(text) for _, text in examples("data/nlu")}
    copies = [text for _, text in examples("tests/nlu") if normalised(text) in training]
    assert copies == []


def test_every_intent_has_at_least_ten_test_examples() -> None:
    trained = Counter(intent for intent, _ in examples("data/nlu"))
    tested = Counter(intent for intent, _ in examples("tests/nlu"))
    assert {intent: tested[intent] for intent in trained if tested[intent] < 10} == {}
