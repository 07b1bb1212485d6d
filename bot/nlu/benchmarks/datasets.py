"""Read the public benchmark data sets and write them as Rasa NLU training data.

The data stays where it is (``../shared/benchmarks`` or ``$NLU_BENCHMARK_DATA``);
only converted copies are written, into a scratch folder. Each loader returns
a :class:`Benchmark` with train, test and (CLINC150) validation examples.

Layouts read (as published, see ``SOURCES.md`` next to the data):

- ``banking77/{train,test}.csv``: ``text,category`` with a header row.
- ``clinc150/data_full.json``: ``{"train": [[text, intent], ...], "val": ...,
  "test": ..., "oos_train": ..., "oos_val": ..., "oos_test": ...}``;
  out-of-scope queries have the intent ``oos``.
- ``xsid/<lang>.{valid,test}.conll``: one block per query with the comment
  lines ``# text = ...`` and ``# intent = ...``.
"""

from __future__ import annotations

import csv
import json
import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

OUT_OF_SCOPE = "out_of_scope"  # the intent name our pipeline uses for out-of-scope
CLINC_OOS = "oos"
# Rasa reads "a/b" as retrieval intent "a" with response key "b": rename.
RETRIEVAL_DELIMITER = "/"
INTENT_SEPARATOR = "__"
# Rasa's entity annotation markup inside an example: [text](entity), [text]{...}
ANNOTATION_CHARS = re.compile(r"[\[\]{}]")


class DatasetError(ValueError):
    """A benchmark file is missing or not in the expected layout."""


@dataclass(frozen=True)
class Example:
    """One labelled query."""

    text: str
    intent: str


@dataclass(frozen=True)
class Benchmark:
    """A benchmark: its language, training and test examples."""

    name: str
    language: str
    train: list[Example]
    test: list[Example]
    validation: list[Example] = field(default_factory=list)
    description: str = ""

    @property
    def has_out_of_scope(self) -> bool:
        """Whether the test set holds out-of-scope queries."""
        return any(e.intent == OUT_OF_SCOPE for e in self.test)


def rasa_intent(label: str) -> str:
    """Return a label as a Rasa intent name (no retrieval-intent slash, no spaces)."""
    name = label.strip().replace(RETRIEVAL_DELIMITER, INTENT_SEPARATOR)
    return re.sub(r"\s+", "_", name)


def clean_text(text: str) -> str:
    """Return a query as one line without Rasa's entity markup characters."""
    text = ANNOTATION_CHARS.sub(lambda m: "(" if m.group(0) in "[{" else ")", text)
    return " ".join(text.split())


def _require(path: Path) -> Path:
    if not path.is_file():
        raise DatasetError(f"benchmark file not found: {path}")
    return path


def load_banking77(folder: Path) -> Benchmark:
    """Read BANKING77 (``train.csv``, ``test.csv``)."""

    def read(name: str) -> list[Example]:
        with _require(folder / name).open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            if reader.fieldnames is None or not {"text", "category"} <= set(reader.fieldnames):
                raise DatasetError(f"{folder / name}: expected the columns text,category")
            return [Example(clean_text(r["text"]), rasa_intent(r["category"])) for r in reader]

    return Benchmark(
        "banking77",
        "en",
        read("train.csv"),
        read("test.csv"),
        description="BANKING77 (Casanueva et al. 2020), 77 intents, English",
    )


def load_clinc150(folder: Path) -> Benchmark:
    """Read CLINC150 ``data_full.json``; out-of-scope queries become ``out_of_scope``.

    The 100 out-of-scope training queries are kept as a training intent, as
    the production data has an ``out_of_scope`` intent too.
    """
    try:
        data = json.loads(_require(folder / "data_full.json").read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise DatasetError(f"{folder / 'data_full.json'}: not JSON ({error})") from error

    def read(*keys: str) -> list[Example]:
        examples = []
        for key in keys:
            if key not in data:
                raise DatasetError(f"{folder / 'data_full.json'}: no '{key}' split")
            for text, label in data[key]:
                intent = OUT_OF_SCOPE if label == CLINC_OOS else rasa_intent(label)
                examples.append(Example(clean_text(text), intent))
        return examples

    return Benchmark(
        "clinc150",
        "en",
        read("train", "oos_train"),
        read("test", "oos_test"),
        validation=read("val", "oos_val"),
        description="CLINC150 full (Larson et al. 2019), 150 intents + out-of-scope, English",
    )


def read_conll_intents(path: Path) -> list[Example]:
    """Read the ``# text =`` and ``# intent =`` comments of an xSID CoNLL file."""
    examples: list[Example] = []
    text: str | None = None
    for line in _require(path).read_text(encoding="utf-8").splitlines():
        if line.startswith("# text ="):
            text = line.split("=", 1)[1].strip()
        elif line.startswith("# intent ="):
            if text is None:
                raise DatasetError(f"{path}: '# intent' before '# text' in a block")
            examples.append(Example(clean_text(text), rasa_intent(line.split("=", 1)[1])))
            text = None
        elif not line.strip():
            text = None
    if not examples:
        raise DatasetError(f"{path}: no '# text =' / '# intent =' blocks")
    return examples


def load_xsid(folder: Path, language: str = "de") -> Benchmark:
    """Read xSID: train on ``<lang>.valid.conll``, test on ``<lang>.test.conll``."""
    return Benchmark(
        f"xsid_{language}",
        language,
        read_conll_intents(folder / f"{language}.valid.conll"),
        read_conll_intents(folder / f"{language}.test.conll"),
        description=f"xSID 0.7 (van der Goot et al. 2021), {language}.valid -> {language}.test",
    )


LOADERS = {
    "banking77": lambda root: load_banking77(root / "banking77"),
    "clinc150": lambda root: load_clinc150(root / "clinc150"),
    "xsid_de": lambda root: load_xsid(root / "xsid", "de"),
}


def load(name: str, root: Path) -> Benchmark:
    """Load the benchmark ``name`` (a key of ``LOADERS``) from the data root."""
    if name not in LOADERS:
        raise DatasetError(f"unknown benchmark {name!r}; known: {', '.join(LOADERS)}")
    return LOADERS[name](root)


def per_intent_limit(examples: Sequence[Example], limit: int, seed: int = 0) -> list[Example]:
    """Return at most ``limit`` examples per intent, a seeded sample, in the original order."""
    by_intent: dict[str, list[int]] = {}
    for index, example in enumerate(examples):
        by_intent.setdefault(example.intent, []).append(index)
    rng = random.Random(seed)
    kept = {i for indexes in by_intent.values() for i in _sample(indexes, limit, rng)}
    return [e for i, e in enumerate(examples) if i in kept]


def _sample(indexes: list[int], limit: int, rng: random.Random) -> list[int]:
    return indexes if len(indexes) <= limit else rng.sample(indexes, limit)


def limited(benchmark: Benchmark, limit: int | None, train_only: bool = False) -> Benchmark:
    """Return the benchmark with at most ``limit`` examples per intent.

    With ``train_only``, only the training split is cut (a few-shot run that is
    still tested on the whole test set); otherwise every split is.
    """
    if limit is None:
        return benchmark

    def cut(examples: list[Example], keep_whole: bool) -> list[Example]:
        return examples if keep_whole else per_intent_limit(examples, limit)

    return Benchmark(
        benchmark.name,
        benchmark.language,
        per_intent_limit(benchmark.train, limit),
        cut(benchmark.test, train_only),
        cut(benchmark.validation, train_only),
        benchmark.description,
    )


def to_rasa_yaml(examples: Iterable[Example]) -> str:
    """Return Rasa 3.x NLU training data for ``examples`` (grouped by intent)."""
    by_intent: dict[str, list[str]] = {}
    for example in examples:
        if example.text:
            by_intent.setdefault(example.intent, []).append(example.text)
    lines = ['version: "3.1"', "", "nlu:"]
    for intent, texts in by_intent.items():
        lines += [f"- intent: {intent}", "  examples: |"]
        lines += [f"    - {text}" for text in dict.fromkeys(texts)]
    return "\n".join(lines) + "\n"


def write_training_data(examples: Iterable[Example], folder: Path) -> Path:
    """Write ``examples`` as ``<folder>/nlu.yml`` and return the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "nlu.yml").write_text(to_rasa_yaml(examples), encoding="utf-8")
    return folder
