"""Build the German spaCy pipeline that Rasa's SpacyNLP loads.

There is no German spaCy model on PyPI, and nothing may be downloaded at run
time. The pipeline is therefore assembled from what PyPI packages ship:
``spacy.blank("de")`` (German tokenizer rules) plus a lookup lemmatizer whose
tables come from ``spacy-lookups-data``. The tables are serialised into the
saved pipeline, so loading it needs no extra package.

Usage: ``python -m bot.nlu.spacy_pipeline models/spacy/de_nordlicht``
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import spacy
from spacy.language import Language

DEFAULT_PATH = Path("models/spacy/de_nordlicht")
PIPELINE_NAME = "de_nordlicht"
PIPELINE_VERSION = "1.0.0"


def build_pipeline() -> Language:
    """Return a blank German pipeline with an initialised lookup lemmatizer."""
    nlp = spacy.blank("de")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    nlp.meta.update(
        {
            "name": PIPELINE_NAME,
            "version": PIPELINE_VERSION,
            "description": "spacy.blank('de') + lookup lemmatizer (spacy-lookups-data)",
        }
    )
    return nlp


def save_pipeline(target: Path) -> Path:
    """Build the pipeline and write it to ``target`` atomically.

    The pipeline is written to a sibling temporary folder first and renamed,
    so an interrupted build never leaves a half-written model behind.
    """
    target = Path(target)
    staging = target.with_name(target.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    build_pipeline().to_disk(staging)
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)
    return target


def main(argv: list[str] | None = None) -> None:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target", nargs="?", type=Path, default=DEFAULT_PATH)
    args = parser.parse_args(argv)
    path = save_pipeline(args.target)
    print(f"German spaCy pipeline written to {path}")


if __name__ == "__main__":
    main()
