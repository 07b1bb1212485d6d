"""Measure the NLU model on the held-out test set (``make nlu-eval``).

Trains an NLU-only model on the training data with the project's
``config.yml``, parses every test message and writes to the output folder:
``report.md`` (accuracy, macro-F1, per-intent table, fallback threshold
sweep, entity scores), ``predictions.json`` and ``confusion_matrix.png``, for
the main test set and, in ``voices/``, for ``tests/nlu/voices.yml`` (the
voices the training data lacked). ``summary.json`` holds the figures of
both; the next run compares with it (``bot.nlu.regression``). A perturbed copy of the
test set (typos, no umlauts, lower case, no punctuation; ``bot.nlu.perturb``)
measures robustness, and every parse is timed.

Two intent figures are reported: the classifier's own top intent
(``intent_ranking`` without ``nlu_fallback``), and the end-to-end result in
which a message sent to the fallback counts as an error, except for
out-of-scope messages, for which the fallback is a right answer.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

FALLBACK_INTENT = "nlu_fallback"
OUT_OF_SCOPE_INTENT = "out_of_scope"
LEARNED_ENTITY_EXTRACTORS = {"DIETClassifier", "CRFEntityExtractor"}
PERTURB_SEED = 2026
SWEEP_THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8)


@dataclass(frozen=True)
class Prediction:
    """One parsed test message."""

    text: str
    expected: str
    predicted: str  # top intent of the classifier, never nlu_fallback
    confidence: float
    final: str  # what the pipeline returned, nlu_fallback included
    expected_entities: list[tuple[str, str]]
    predicted_entities: list[tuple[str, str]]
    milliseconds: float = 0.0


def train_nlu_model(config: Path, train_data: Path, out_dir: Path) -> Path:
    """Train an NLU-only model and return its path."""
    from rasa.model_training import train_nlu

    model = train_nlu(str(config), str(train_data), str(out_dir), fixed_model_name="nlu-eval")
    if not model:
        raise RuntimeError("NLU training produced no model")
    return Path(model)


async def parse_all(model_path: Path, examples: Sequence[Any]) -> list[Prediction]:
    """Parse every test example with the trained model."""
    from rasa.core.agent import Agent

    agent = Agent.load(str(model_path))
    await agent.parse_message("Hallo")  # the first parse pays for lazy set-up
    predictions = []
    for example in examples:
        text = example.get("text")
        started = time.perf_counter()
        result = await agent.parse_message(text)
        milliseconds = (time.perf_counter() - started) * 1000
        ranking = [r for r in result["intent_ranking"] if r["name"] != FALLBACK_INTENT]
        top: dict[str, Any] = (
            ranking[0] if ranking else {"name": FALLBACK_INTENT, "confidence": 0.0}
        )
        predictions.append(
            Prediction(
                text=text,
                expected=example.get("intent"),
                predicted=top["name"],
                confidence=float(top["confidence"]),
                final=result["intent"]["name"],
                expected_entities=sorted(
                    (e["entity"], text[e["start"] : e["end"]]) for e in example.get("entities", [])
                ),
                predicted_entities=sorted(
                    (e["entity"], text[e["start"] : e["end"]])
                    for e in result.get("entities", [])
                    if e.get("extractor") in LEARNED_ENTITY_EXTRACTORS
                ),
                milliseconds=milliseconds,
            )
        )
    return predictions


def end_to_end_correct(p: Prediction, threshold: float) -> bool:
    """Whether the answer path is right when messages below ``threshold`` fall back."""
    if p.confidence < threshold:
        return p.expected == OUT_OF_SCOPE_INTENT
    return p.predicted == p.expected


def threshold_sweep(predictions: Sequence[Prediction]) -> list[dict[str, float]]:
    """Return accuracy and fallback rate for a range of fallback thresholds."""
    rows = []
    in_scope = [p for p in predictions if p.expected != OUT_OF_SCOPE_INTENT]
    oos = [p for p in predictions if p.expected == OUT_OF_SCOPE_INTENT]
    for t in SWEEP_THRESHOLDS:
        rows.append(
            {
                "threshold": t,
                "end_to_end_accuracy": _mean(end_to_end_correct(p, t) for p in predictions),
                "in_scope_fallback_rate": _mean(p.confidence < t for p in in_scope),
                "oos_caught": _mean(end_to_end_correct(p, t) for p in oos),
            }
        )
    return rows


def entity_scores(predictions: Sequence[Prediction]) -> dict[str, dict[str, float]]:
    """Exact-span precision, recall and F1 of the learned entities per type."""
    counts: dict[str, list[int]] = {}
    for p in predictions:
        expected, predicted = set(p.expected_entities), set(p.predicted_entities)
        for entity in {name for name, _ in expected | predicted}:
            c = counts.setdefault(entity, [0, 0, 0])  # true pos, false pos, false neg
            c[0] += len({e for e in expected & predicted if e[0] == entity})
            c[1] += len({e for e in predicted - expected if e[0] == entity})
            c[2] += len({e for e in expected - predicted if e[0] == entity})
    scores = {}
    for entity, (tp, fp, fn) in sorted(counts.items()):
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        scores[entity] = {"precision": precision, "recall": recall, "f1": f1, "support": tp + fn}
    return scores


def _mean(values: Any) -> float:
    values = list(values)
    return sum(values) / len(values) if values else 0.0


def write_confusion_matrix(
    predictions: Sequence[Prediction], labels: list[str], path: Path
) -> None:
    """Save the intent confusion matrix as a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sklearn.metrics import confusion_matrix

    matrix = confusion_matrix(
        [p.expected for p in predictions], [p.predicted for p in predictions], labels=labels
    )
    fig, ax = plt.subplots(figsize=(14, 12))
    ax.imshow(matrix, cmap="Blues")
    ax.set_xticks(range(len(labels)), labels, rotation=90, fontsize=8)
    ax.set_yticks(range(len(labels)), labels, fontsize=8)
    ax.set_xlabel("predicted")
    ax.set_ylabel("expected")
    for i in range(len(labels)):
        for j in range(len(labels)):
            if matrix[i, j]:
                colour = "white" if matrix[i, j] > matrix.max() / 2 else "black"
                ax.text(j, i, matrix[i, j], ha="center", va="center", fontsize=7, color=colour)
    ax.set_title("Intent confusion matrix (held-out test set)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def intent_figures(predictions: Sequence[Prediction]) -> dict[str, float]:
    """Return intent accuracy and macro-F1 of the classifier's top intent."""
    from sklearn.metrics import accuracy_score, f1_score

    expected = [p.expected for p in predictions]
    predicted = [p.predicted for p in predictions]
    return {
        "intent_accuracy": accuracy_score(expected, predicted),
        "macro_f1": f1_score(expected, predicted, labels=sorted(set(expected)), average="macro"),
    }


def build_report(
    predictions: Sequence[Prediction],
    threshold: float,
    train_seconds: float,
    perturbed: Sequence[Prediction] = (),
) -> tuple[str, dict[str, Any]]:
    """Return the Markdown report and the headline figures."""
    from sklearn.metrics import classification_report

    expected = [p.expected for p in predictions]
    predicted = [p.predicted for p in predictions]
    labels = sorted(set(expected))
    latencies = sorted(p.milliseconds for p in predictions)
    figures: dict[str, Any] = {
        "examples": len(predictions),
        **intent_figures(predictions),
        "end_to_end_accuracy": _mean(end_to_end_correct(p, threshold) for p in predictions),
        "fallback_threshold": threshold,
        "train_seconds": round(train_seconds, 1),
        "parse_ms_median": latencies[len(latencies) // 2] if latencies else 0.0,
        "parse_ms_p95": latencies[int(0.95 * (len(latencies) - 1))] if latencies else 0.0,
    }
    if perturbed:
        noisy = intent_figures(perturbed)
        figures["perturbed_intent_accuracy"] = noisy["intent_accuracy"]
        figures["perturbed_macro_f1"] = noisy["macro_f1"]
    per_intent = classification_report(
        expected, predicted, labels=labels, output_dict=True, zero_division=0
    )
    lines = [
        "# NLU evaluation on the held-out test set",
        "",
        f"- examples: {figures['examples']}",
        f"- intent accuracy (classifier): {figures['intent_accuracy']:.2%}",
        f"- macro-F1: {figures['macro_f1']:.4f}",
        f"- end-to-end accuracy with fallback at {threshold}: {figures['end_to_end_accuracy']:.2%}",
        f"- training time: {figures['train_seconds']} s",
        f"- one parse in process: median {figures['parse_ms_median']:.1f} ms, "
        f"p95 {figures['parse_ms_p95']:.1f} ms",
        "",
        "## Per intent",
        "",
        "| intent | precision | recall | F1 | support |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for label in labels:
        r = per_intent[label]
        lines.append(
            f"| {label} | {r['precision']:.2f} | {r['recall']:.2f} | {r['f1-score']:.2f} "
            f"| {int(r['support'])} |"
        )
    lines += [
        "",
        "## Fallback threshold sweep",
        "",
        "| threshold | end-to-end accuracy | in-scope sent to fallback | out-of-scope caught |",
        "| ---: | ---: | ---: | ---: |",
    ]
    for row in threshold_sweep(predictions):
        lines.append(
            f"| {row['threshold']:.2f} | {row['end_to_end_accuracy']:.2%} "
            f"| {row['in_scope_fallback_rate']:.2%} | {row['oos_caught']:.2%} |"
        )
    if perturbed:
        drop = figures["intent_accuracy"] - figures["perturbed_intent_accuracy"]
        lines += [
            "",
            f"## Robustness: perturbed copy (seed {PERTURB_SEED})",
            "",
            "Typos by keyboard neighbourhood, no umlauts, lower case, no punctuation.",
            "",
            f"- intent accuracy: {figures['perturbed_intent_accuracy']:.2%} "
            f"({drop * 100:.2f} points below the clean set)",
            f"- macro-F1: {figures['perturbed_macro_f1']:.4f}",
            "",
            "| perturbed example | expected | predicted |",
            "| --- | --- | --- |",
        ]
        for p in list(perturbed)[:8]:
            lines.append(f"| {p.text} | {p.expected} | {p.predicted} |")
    lines += ["", "## Learned entities (exact span)", ""]
    lines += [
        "| entity | precision | recall | F1 | support |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for entity, s in entity_scores(predictions).items():
        lines.append(
            f"| {entity} | {s['precision']:.2f} | {s['recall']:.2f} | {s['f1']:.2f} "
            f"| {int(s['support'])} |"
        )
    errors = [p for p in predictions if p.predicted != p.expected]
    lines += ["", f"## Misclassified ({len(errors)})", ""]
    lines += ["| text | expected | predicted | confidence |", "| --- | --- | --- | ---: |"]
    for p in errors:
        text = p.text.replace("|", "\\|")
        lines.append(f"| {text} | {p.expected} | {p.predicted} | {p.confidence:.2f} |")
    return "\n".join(lines) + "\n", figures


def fallback_threshold(config: Path) -> float:
    """Read the FallbackClassifier threshold from the pipeline config."""
    import yaml

    pipeline = yaml.safe_load(config.read_text())["pipeline"]
    for component in pipeline:
        if component["name"] == "FallbackClassifier":
            return float(component.get("threshold", 0.3))
    return 0.0


VOICES_FILE = "voices.yml"
"""The second held-out set in the test folder (issue 17): voices the data lacked."""


def load_test_sets(test: Path) -> dict[str, list[Any]]:
    """Return the test sets: ``main`` (every file but voices.yml) and ``voices``."""
    from rasa.shared.nlu.training_data.loading import load_data

    if test.is_file():
        return {"main": load_data(str(test)).intent_examples}
    files = sorted(path for path in test.glob("*.yml") if path.name != VOICES_FILE)
    sets = {"main": [e for path in files for e in load_data(str(path)).intent_examples]}
    if (test / VOICES_FILE).exists():
        sets["voices"] = load_data(str(test / VOICES_FILE)).intent_examples
    return sets


def evaluate(config: Path, train: Path, test: Path, out: Path) -> dict[str, dict[str, Any]]:
    """Train once, evaluate every test set and write the reports; return figures per set.

    The main set's report goes to ``out``, the voices set's to ``out/voices``.
    """
    from bot.nlu.perturb import perturb

    sets = load_test_sets(test)
    print(f">> training NLU model on {train} ({config})", flush=True)
    results: dict[str, tuple[list[Prediction], list[Prediction]]] = {}
    with tempfile.TemporaryDirectory() as scratch:
        started = time.perf_counter()
        model = train_nlu_model(config, train, Path(scratch))
        train_seconds = time.perf_counter() - started
        for name, examples in sets.items():
            noisy = [
                {"text": perturb(e.get("text"), PERTURB_SEED), "intent": e.get("intent")}
                for e in examples
            ]
            print(f">> parsing {len(examples)} {name} test messages and their copies", flush=True)
            results[name] = (
                asyncio.run(parse_all(model, examples)),
                asyncio.run(parse_all(model, noisy)),
            )
    threshold = fallback_threshold(config)
    figures = {}
    for name, (predictions, perturbed) in results.items():
        folder = out if name == "main" else out / name
        folder.mkdir(parents=True, exist_ok=True)
        report, figures[name] = build_report(predictions, threshold, train_seconds, perturbed)
        figures[name]["per_intent_end_to_end"] = per_intent_end_to_end(predictions, threshold)
        (folder / "report.md").write_text(report)
        for filename, parsed in (
            ("predictions.json", predictions),
            ("predictions_perturbed.json", perturbed),
        ):
            (folder / filename).write_text(
                json.dumps([asdict(p) for p in parsed], ensure_ascii=False, indent=1)
            )
        write_confusion_matrix(
            predictions, sorted({p.expected for p in predictions}), folder / "confusion_matrix.png"
        )
    return figures


def per_intent_end_to_end(
    predictions: Sequence[Prediction], threshold: float
) -> dict[str, dict[str, float]]:
    """Per expected intent: test examples and end-to-end accuracy (with the fallback)."""
    by_intent: dict[str, list[Prediction]] = {}
    for p in predictions:
        by_intent.setdefault(p.expected, []).append(p)
    return {
        intent: {
            "examples": len(group),
            "accuracy": _mean(end_to_end_correct(p, threshold) for p in group),
        }
        for intent, group in sorted(by_intent.items())
    }


def main(argv: list[str] | None = None) -> None:
    """Command line entry point: evaluate, report, and refuse a regression (exit 1)."""
    from bot.nlu.regression import SUMMARY_FILE, find_regressions, read_summary

    parser = argparse.ArgumentParser(description="Evaluate the NLU model on the test sets.")
    parser.add_argument("--config", type=Path, default=Path("config.yml"))
    parser.add_argument("--train", type=Path, default=Path("data"))
    parser.add_argument("--test", type=Path, default=Path("tests/nlu"))
    parser.add_argument("--out", type=Path, default=Path("reports/nlu"))
    parser.add_argument(
        "--accept-regression",
        action="store_true",
        help="record this model as the new baseline even if an intent got worse",
    )
    args = parser.parse_args(argv)
    previous = read_summary(args.out / SUMMARY_FILE)
    figures = evaluate(args.config, args.train, args.test, args.out)
    for name, f in figures.items():
        print(
            f">> {name}: intent accuracy {f['intent_accuracy']:.2%}, macro-F1 "
            f"{f['macro_f1']:.4f}, end-to-end {f['end_to_end_accuracy']:.2%}, perturbed "
            f"{f['perturbed_intent_accuracy']:.2%} "
            f"({(f['intent_accuracy'] - f['perturbed_intent_accuracy']) * 100:.2f} points below)"
        )
    print(f">> reports in {args.out}/report.md and {args.out}/voices/report.md")
    regressions = find_regressions(previous, figures)
    if regressions and not args.accept_regression:
        (args.out / "summary.rejected.json").write_text(json.dumps(figures, indent=1))
        print(">> REFUSED: this model is worse than the previous one by more than a point on:")
        for line in regressions:
            print(f"   {line}")
        print(
            f">> the previous figures stay in {args.out}/{SUMMARY_FILE}; fix the data, or "
            "accept on purpose with: make nlu-eval NLU_EVAL_ARGS=--accept-regression"
        )
        raise SystemExit(1)
    (args.out / SUMMARY_FILE).write_text(json.dumps(figures, indent=1))


if __name__ == "__main__":
    main()
