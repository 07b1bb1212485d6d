"""Write noisy variants of the NLU training examples (``make nlu-augment``).

Customers type without umlauts, without capitals, without punctuation and
with typos. Rasa reads training data as it is, so the variants are generated
once, from ``data/nlu/*.yml`` only (never from the test set), with a fixed
seed, into ``data/nlu/augmented_variants.yml``: two variants per example, in
lower case, umlauts written out (``ä`` -> ``ae``), punctuation removed and
keyboard-neighbour typos (``bot.nlu.perturb``). Entity annotations
(``[Köln](city)``) are copied verbatim, so entity values and synonyms stay as
the trainers wrote them; only the text around them is made noisy.

Usage::

    python -m bot.nlu.augment            # (re)write data/nlu/augmented_variants.yml
    python -m bot.nlu.augment --check    # exit 1 if the file is not up to date
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

import yaml

from bot.nlu.perturb import PUNCTUATION, drop_umlauts, keyboard_typos

AUGMENT_SEED = 4711  # not the seed of the perturbed test set (2026)
VARIANT_STREAMS = ("", "second:")
"""One random stream per variant of an example (seed, this, the text). First only short
examples got the second one (a typo in three words is a third of the message); two for
every example lifted the perturbed copies of both test sets (README "Measured")."""
DATA_DIR = Path("data/nlu")
OUTPUT_NAME = "augmented_variants.yml"
# An entity annotation: [text](entity), [text]{"entity": ...} or [text][{...}, {...}]
# (the forms of rasa.shared.nlu.training_data.entities_parser.ENTITY_REGEX).
ANNOTATION = re.compile(r"\[[^\]]+?\](?:\([^)]+?\)|\{[^}]+?\}|\[.*?\])")
EXAMPLE_LINE = re.compile(r"^\s*-\s?(.*)$")

HEADER = """\
# GENERATED FILE - do not edit. Regenerate with `make nlu-augment`
# (python -m bot.nlu.augment) after changing the training data in data/nlu/.
#
# Two noisy variants of every training example of data/nlu/*.yml and
# data/nlu/inbox/*.yml (never of the test set): lower case,
# umlauts written out (ae, oe, ue, ss), no punctuation,
# typos by QWERTZ keyboard neighbourhood (bot/nlu/perturb.py), seed {seed}.
# Entity annotations are copied verbatim. Variants equal to an example that
# already exists are left out. tests/bot/nlu/test_augment.py checks that this
# file is up to date.
"""


def noisy_variant(example: str, rng: random.Random) -> str:
    """Return ``example`` made noisy outside its entity annotations.

    The text between annotations is lower-cased, its umlauts written out, its
    punctuation removed and some letters replaced by a neighbouring key;
    annotations are kept as they are.
    """
    pieces: list[str] = []
    position = 0
    for match in ANNOTATION.finditer(example):
        pieces.append(_noisy_text(example[position : match.start()], rng))
        pieces.append(match.group(0))
        position = match.end()
    pieces.append(_noisy_text(example[position:], rng))
    return re.sub(r"\s+", " ", "".join(pieces)).strip()


def _noisy_text(text: str, rng: random.Random) -> str:
    noisy = keyboard_typos(drop_umlauts(text).lower(), rng)
    return PUNCTUATION.sub(" ", noisy)


def read_examples(files: Iterable[Path]) -> dict[str, list[str]]:
    """Return the annotated examples of every intent in ``files``, in file order."""
    examples: dict[str, list[str]] = {}
    for path in files:
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for item in document.get("nlu") or []:
            if "intent" not in item:
                continue
            lines = str(item.get("examples") or "").splitlines()
            found = [m.group(1).strip() for m in map(EXAMPLE_LINE.match, lines) if m]
            examples.setdefault(str(item["intent"]), []).extend(t for t in found if t)
    return examples


def build_variants(examples: Mapping[str, list[str]], seed: int) -> dict[str, list[str]]:
    """Return new noisy variants (two per example) per intent, deterministically.

    Each example gets its own random stream (seeded by ``seed`` and the text),
    so adding an example never changes the variants of the others.
    """
    existing = {text for texts in examples.values() for text in texts}
    variants: dict[str, list[str]] = {}
    for intent in sorted(examples):
        seen: set[str] = set()
        for text in examples[intent]:
            for stream in VARIANT_STREAMS:
                variant = noisy_variant(text, random.Random(f"{seed}:{stream}{text}"))
                if variant and variant not in existing and variant not in seen:
                    seen.add(variant)
                    variants.setdefault(intent, []).append(variant)
    return variants


def render(variants: Mapping[str, list[str]], seed: int) -> str:
    """Return the Rasa YAML training data file for ``variants``."""
    lines = [HEADER.format(seed=seed), 'version: "3.1"', "", "nlu:"]
    for intent, texts in variants.items():
        lines.append(f"- intent: {intent}")
        lines.append("  examples: |")
        lines.extend(f"    - {text}" for text in texts)
        lines.append("")
    return "\n".join(lines)


def source_files(data_dir: Path, output: Path) -> list[Path]:
    """Return the training data files to take examples from (not the output)."""
    files = [*data_dir.glob("*.yml"), *data_dir.glob("inbox/*.yml")]  # inbox: make nlu-inbox
    return sorted(p for p in files if p.resolve() != output.resolve())


def generate(data_dir: Path, output: Path, seed: int = AUGMENT_SEED) -> str:
    """Return the content of the variants file for the data in ``data_dir``."""
    return render(build_variants(read_examples(source_files(data_dir, output)), seed), seed)


def main(argv: list[str] | None = None) -> int:
    """Command line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA_DIR, help="training data folder")
    parser.add_argument("--out", type=Path, help=f"default: <data>/{OUTPUT_NAME}")
    parser.add_argument("--seed", type=int, default=AUGMENT_SEED)
    parser.add_argument("--check", action="store_true", help="only check it is up to date")
    args = parser.parse_args(argv)
    output = args.out or args.data / OUTPUT_NAME
    content = generate(args.data, output, args.seed)
    if args.check:
        current = output.read_text(encoding="utf-8") if output.exists() else ""
        if current != content:
            print(f"{output} is out of date: run `make nlu-augment`", file=sys.stderr)
            return 1
        print(f"{output} is up to date")
        return 0
    count = content.count("\n    - ")
    if output.exists() and output.read_text(encoding="utf-8") == content:
        print(f"{output} is up to date ({count} variants)")
        return 0
    output.write_text(content, encoding="utf-8")
    print(f"wrote {count} variants to {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
