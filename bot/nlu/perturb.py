"""Deterministic typing noise for robustness tests of the NLU.

Customers type badly: neighbouring keys, no umlauts, no capitals, no
punctuation. ``perturb`` applies such noise to a message, reproducibly for a
given seed, so the same perturbed test set can be compared across pipelines.
"""

from __future__ import annotations

import random
import re

# Neighbours on a German QWERTZ keyboard (lower case letters only).
QWERTZ_ROWS = ["qwertzuiopü", "asdfghjklöä", "yxcvbnm"]
UMLAUTS = {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}
PUNCTUATION = re.compile(r"[.,!?;:]+")
TYPO_RATE = 0.04  # chance of a keyboard slip per letter


def _neighbours() -> dict[str, str]:
    table: dict[str, str] = {}
    for row_index, row in enumerate(QWERTZ_ROWS):
        for column, key in enumerate(row):
            near = [row[c] for c in (column - 1, column + 1) if 0 <= c < len(row)]
            for other in (row_index - 1, row_index + 1):
                if 0 <= other < len(QWERTZ_ROWS) and column < len(QWERTZ_ROWS[other]):
                    near.append(QWERTZ_ROWS[other][column])
            table[key] = "".join(near)
    return table


NEIGHBOURS = _neighbours()


def drop_umlauts(text: str) -> str:
    """Write umlauts and ß the way keyboards without them do (ä -> ae)."""
    return "".join(UMLAUTS.get(char, char) for char in text)


def keyboard_typos(text: str, rng: random.Random, rate: float = TYPO_RATE) -> str:
    """Replace some letters by a neighbouring key, never the first of a word."""
    chars = list(text)
    for i, char in enumerate(chars):
        near = NEIGHBOURS.get(char.lower())
        if near and i > 0 and chars[i - 1].isalpha() and rng.random() < rate:
            chars[i] = rng.choice(near)
    return "".join(chars)


def perturb(text: str, seed: int) -> str:
    """Return ``text`` with typos, no umlauts, no punctuation and in lower case."""
    rng = random.Random(f"{seed}:{text}")
    noisy = keyboard_typos(drop_umlauts(text).lower(), rng)
    return " ".join(PUNCTUATION.sub(" ", noisy).split())
