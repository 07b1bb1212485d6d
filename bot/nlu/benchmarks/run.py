"""Train and evaluate the production NLU pipeline on public benchmarks.

``make nlu-benchmark`` runs ``python -m bot.nlu.benchmarks``. For every
benchmark it converts the data to Rasa's format in a scratch folder
(``var/benchmarks/<name>/``), trains an NLU model with the production
pipeline (``bot.nlu.benchmarks.pipeline``), parses the test queries, and
saves ``result.json``. Then it writes ``reports/benchmarks.md`` from all
results and the out-of-scope trade-off plot. ``--limit N`` keeps at most N
examples per intent (a quick check of the tool; its output goes to
``var/benchmarks/limit-N/`` and never to ``reports/``). ``--train-limit N``
cuts only the training split (a few-shot run on the whole test set, reported
as such).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import yaml

from bot.nlu.benchmarks import datasets, pipeline, report, scoring

DATA_ENV = "NLU_BENCHMARK_DATA"
DEFAULT_DATA = Path("../shared/benchmarks")
DEFAULT_WORK = Path("var/benchmarks")
DEFAULT_REPORT = Path("reports/benchmarks.md")
DEFAULT_PLOT = Path("reports/nlu/oos-tradeoff.png")
GERMAN_PREDICTIONS = Path("reports/nlu/predictions.json")
GERMAN_SPACY = Path("models/spacy/de_nordlicht")
FALLBACK = "FallbackClassifier"
PROGRESS_EVERY = 500


def say(message: str) -> None:
    """Print a progress line."""
    print(f">> {message}", flush=True)


def spacy_model_for(language: str, work: Path) -> Path:
    """Return the spaCy pipeline for a language: the project's German one or a blank one."""
    if language == "de":
        if not (GERMAN_SPACY / "meta.json").is_file():
            from bot.nlu.spacy_pipeline import save_pipeline

            save_pipeline(GERMAN_SPACY)
        return GERMAN_SPACY.resolve()
    return pipeline.build_spacy_pipeline(language, (work / f"spacy-{language}").resolve())


def train(config_path: Path, data_dir: Path, out_dir: Path) -> Path:
    """Train an NLU-only model and return its path."""
    from rasa.model_training import train_nlu

    model = train_nlu(str(config_path), str(data_dir), str(out_dir), fixed_model_name="benchmark")
    if not model:
        raise RuntimeError(f"training on {data_dir} produced no model")
    return Path(model)


async def parse(model: Path, examples: Sequence[datasets.Example], label: str) -> list[Any]:
    """Parse every example and return the classifier's answers."""
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))
    parsed = []
    started = time.perf_counter()
    for index, example in enumerate(examples, start=1):
        result = await agent.parse_message(example.text)
        ranking = [r for r in result["intent_ranking"] if r["name"] != "nlu_fallback"]
        first: dict[str, Any] = (
            ranking[0] if ranking else {"name": "nlu_fallback", "confidence": 0.0}
        )
        second = ranking[1]["confidence"] if len(ranking) > 1 else 0.0
        parsed.append(
            scoring.Parsed(
                example.text,
                example.intent,
                first["name"],
                float(first["confidence"]),
                float(second),
            )
        )
        if index % PROGRESS_EVERY == 0 or index == len(examples):
            rate = index / (time.perf_counter() - started)
            say(f"{label}: parsed {index}/{len(examples)} ({rate:.0f}/s)")
    return parsed


def run_benchmark(
    benchmark: datasets.Benchmark,
    base_config: dict[str, Any],
    work: Path,
    train_limit: int | None = None,
) -> dict[str, Any]:
    """Convert, train, parse and score one benchmark; save and return its result."""
    folder = work / benchmark.name
    say(
        f"[{benchmark.name}] {len(benchmark.train)} training, {len(benchmark.test)} test, "
        f"{len(benchmark.validation)} validation queries; scratch folder {folder}"
    )
    data_dir = datasets.write_training_data(benchmark.train, folder / "data")
    spacy_model = spacy_model_for(benchmark.language, work)
    config = pipeline.benchmark_config(base_config, benchmark.language, spacy_model)
    config_path = pipeline.write_config(config, folder / "config.yml")
    say(f"[{benchmark.name}] training the production pipeline (language {benchmark.language})")
    started = time.perf_counter()
    model = train(config_path, data_dir, folder / "models")
    train_seconds = time.perf_counter() - started
    say(f"[{benchmark.name}] trained in {train_seconds:.0f} s; parsing")
    test = asyncio.run(parse(model, benchmark.test, f"{benchmark.name} test"))
    validation = (
        asyncio.run(parse(model, benchmark.validation, f"{benchmark.name} validation"))
        if benchmark.validation and benchmark.has_out_of_scope
        else []
    )
    threshold = float(pipeline.component_setting(config, FALLBACK, "threshold", 0.3))
    ambiguity = float(pipeline.component_setting(config, FALLBACK, "ambiguity_threshold", 0.1))
    result: dict[str, Any] = {
        "name": benchmark.name,
        "description": benchmark.description,
        "language": benchmark.language,
        "train_examples": len(benchmark.train),
        "train_limit": train_limit,
        "test_examples": len(benchmark.test),
        "intents": len({e.intent for e in benchmark.train}),
        "train_seconds": round(train_seconds, 1),
        "accuracy": scoring.accuracy(test),
        "macro_f1": scoring.macro_f1(test),
        "fallback": {"threshold": threshold, "ambiguity_threshold": ambiguity},
        "test": [asdict(p) for p in test],
    }
    if benchmark.has_out_of_scope:
        tuned = scoring.best_threshold(validation, ambiguity=ambiguity) if validation else None
        result["production_fallback"] = scoring.out_of_scope_scores(test, threshold, ambiguity)
        if tuned is not None:
            result["tuned_fallback"] = scoring.out_of_scope_scores(test, tuned, ambiguity)
        result["curve"] = scoring.trade_off_curve(test, ambiguity=ambiguity)
    (folder / "result.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
    say(
        f"[{benchmark.name}] accuracy {result['accuracy']:.2%}, "
        f"macro-F1 {result['macro_f1']:.4f}, training {train_seconds:.0f} s"
    )
    return result


def load_results(work: Path, names: Sequence[str]) -> list[dict[str, Any]]:
    """Return the saved results of the named benchmarks that have one."""
    results = []
    for name in names:
        path = work / name / "result.json"
        if path.is_file():
            results.append(json.loads(path.read_text(encoding="utf-8")))
    return results


def german_predictions(path: Path) -> list[scoring.Parsed]:
    """Read ``make nlu-eval``'s predictions on our German test set, if present."""
    if not path.is_file():
        return []
    rows = json.loads(path.read_text(encoding="utf-8"))
    return [
        scoring.Parsed(r["text"], r["expected"], r["predicted"], float(r["confidence"]))
        for r in rows
    ]


def quiet_rasa() -> None:
    """Keep Rasa at INFO (training progress) without per-message debug logs."""
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    configure_logging_and_warnings(logging.INFO)
    configure_structlog(logging.INFO)


def main(argv: list[str] | None = None) -> int:
    """Command line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(description="Run the public NLU benchmarks.")
    parser.add_argument(
        "--data",
        type=Path,
        default=Path(os.environ.get(DATA_ENV) or DEFAULT_DATA),
        help=f"benchmark data root (default: ${DATA_ENV} or {DEFAULT_DATA})",
    )
    parser.add_argument(
        "--only",
        default=",".join(datasets.LOADERS),
        help=f"comma-separated benchmarks (default: {','.join(datasets.LOADERS)})",
    )
    parser.add_argument("--limit", type=int, help="at most N examples per intent (quick check)")
    parser.add_argument(
        "--train-limit", type=int, help="at most N training examples per intent (few-shot)"
    )
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="COMPONENT.KEY=VALUE",
        help="change a pipeline setting, e.g. LinearIntentClassifier.dense_weight=2 "
        "(results and report go to a folder of their own, never to reports/)",
    )
    parser.add_argument("--config", type=Path, default=Path("config.yml"))
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK, help="scratch folder")
    parser.add_argument("--report", type=Path, help=f"default: {DEFAULT_REPORT}")
    parser.add_argument("--plot", type=Path, help=f"default: {DEFAULT_PLOT}")
    parser.add_argument(
        "--report-only", action="store_true", help="rewrite the report from saved results"
    )
    args = parser.parse_args(argv)

    names = [n.strip() for n in args.only.split(",") if n.strip()]
    unknown = [n for n in names if n not in datasets.LOADERS]
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}")
    trial = bool(args.limit or args.set)
    work = args.work
    if args.limit:
        work = work / f"limit-{args.limit}"
    if args.set:
        work = work / ("set-" + "-".join(re.sub(r"[^\w.]+", "_", s) for s in args.set))
    report_path = args.report or (work / "benchmarks.md" if trial else DEFAULT_REPORT)
    plot_path = args.plot or (work / "oos-tradeoff.png" if trial else DEFAULT_PLOT)
    try:
        base_config = pipeline.with_settings(
            yaml.safe_load(args.config.read_text(encoding="utf-8")), args.set
        )
    except pipeline.SettingError as error:
        parser.error(str(error))

    if not args.report_only:
        if not args.data.is_dir():
            print(
                f"benchmark data not found at {args.data}: set {DATA_ENV} to the folder "
                "holding banking77/, clinc150/ and xsid/",
                file=sys.stderr,
            )
            return 2
        quiet_rasa()
        for name in names:
            try:
                benchmark = datasets.load(name, args.data)
            except datasets.DatasetError as error:
                print(f"{name}: {error}", file=sys.stderr)
                return 2
            if args.limit:
                benchmark = datasets.limited(benchmark, args.limit)
            elif args.train_limit:
                benchmark = datasets.limited(benchmark, args.train_limit, train_only=True)
            run_benchmark(benchmark, base_config, work, args.train_limit)

    results = load_results(work, list(datasets.LOADERS))
    german = german_predictions(GERMAN_PREDICTIONS)
    report_path.parent.mkdir(parents=True, exist_ok=True)
    plot_path.parent.mkdir(parents=True, exist_ok=True)
    report.write_plot(results, german, plot_path)
    report_path.write_text(
        report.render(results, german, base_config, plot_path, report_path, args.limit, args.set),
        encoding="utf-8",
    )
    say(f"wrote {report_path} and {plot_path}")
    return 0
