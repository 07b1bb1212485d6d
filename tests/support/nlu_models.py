"""Train a small NLU model in a scratch folder and ask it for intents."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import pytest


def tiny_nlu_classifier(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, config: str, nlu_data: str
) -> Callable[[str], str]:
    """Train ``config`` on ``nlu_data`` (Rasa YAML texts); return text -> intent name.

    Rasa's training cache goes to ``tmp_path`` too, so nothing is reused
    between tests or from the developer's cache.
    """
    from rasa.core.agent import Agent
    from rasa.model_training import train_nlu

    monkeypatch.setenv("RASA_CACHE_DIRECTORY", str(tmp_path / "cache"))
    (tmp_path / "config.yml").write_text(config)
    (tmp_path / "nlu.yml").write_text(nlu_data)
    model = train_nlu(
        str(tmp_path / "config.yml"),
        str(tmp_path / "nlu.yml"),
        str(tmp_path / "models"),
        fixed_model_name="tiny",
    )
    assert model is not None, "training produced no model"
    agent = Agent.load(model)

    def intent(text: str) -> str:
        return asyncio.run(agent.parse_message(text))["intent"]["name"]

    return intent
