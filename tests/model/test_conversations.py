"""Conversation tests: the trained dialogue policies on tests/test_stories.yml."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.processes import PROJECT_ROOT

pytestmark = pytest.mark.model


async def test_every_test_story_is_predicted_exactly(agent, tmp_path: Path) -> None:
    from rasa.core.test import test as rasa_test_core

    result = await rasa_test_core(
        stories=str(PROJECT_ROOT / "tests" / "test_stories.yml"),
        agent=agent,
        out_directory=str(tmp_path),
        disable_plotting=True,
        errors=True,
    )
    failed = tmp_path / "failed_test_stories.yml"
    details = failed.read_text() if failed.exists() else ""
    assert result["is_end_to_end_evaluation"] is False
    assert result["report"]["accuracy"] == 1.0, details
    assert "story" not in details, details
