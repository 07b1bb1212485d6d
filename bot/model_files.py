"""Name trained models after the inputs they were trained from.

A model is current when its file name carries the fingerprint of everything
that shapes it: ``config.yml``, ``domain.yml``, the training data under
``data/``, our own NLU components and the spaCy pipeline builder.
``make train`` trains only when no model with the current fingerprint exists;
servers and tests load exactly that file.

Usage: ``python -m bot.model_files [PROJECT_ROOT]`` prints the model path.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Iterable
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
MODEL_PREFIX = "nordlicht"


def training_inputs(root: Path = PROJECT_ROOT) -> list[Path]:
    """Return the files that shape the trained model, in a stable order."""
    files: Iterable[Path] = [
        root / "config.yml",
        root / "domain.yml",
        *root.glob("data/**/*.yml"),
        *root.glob("bot/nlu/components/*.py"),
        root / "bot/nlu/spacy_pipeline.py",
    ]
    return sorted((f for f in files if f.is_file()), key=lambda f: f.relative_to(root).as_posix())


def fingerprint(root: Path = PROJECT_ROOT) -> str:
    """Return a short hash over the names and contents of the training inputs."""
    digest = hashlib.sha256()
    for path in training_inputs(root):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:12]


def current_model_path(root: Path = PROJECT_ROOT) -> Path:
    """Return where the model for the current inputs lives (trained or not)."""
    return root / "models" / f"{MODEL_PREFIX}-{fingerprint(root)}.tar.gz"


if __name__ == "__main__":
    project = Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else PROJECT_ROOT
    print(current_model_path(project).relative_to(project))
