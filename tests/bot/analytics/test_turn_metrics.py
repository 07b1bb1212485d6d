"""The Rasa server's turn latency as the channels see it, in Prometheus text format."""

from __future__ import annotations

import asyncio

import pytest

from bot.analytics import turn_metrics


def count(channel: str) -> float:
    value = turn_metrics.REGISTRY.get_sample_value(
        "nordlicht_rasa_turn_seconds_count", {"channel": channel}
    )
    return value or 0.0


def test_each_handled_message_is_timed_and_failures_are_counted() -> None:
    async def handle(_message: object) -> str:
        return "ok"

    async def fail(_message: object) -> None:
        raise RuntimeError("boom")

    before = count("test-channel")
    assert asyncio.run(turn_metrics.timed("test-channel", handle)("hallo")) == "ok"
    with pytest.raises(RuntimeError):
        asyncio.run(turn_metrics.timed("test-channel", fail)("hallo"))
    assert count("test-channel") == before + 2
    text = turn_metrics.exposition().decode()
    assert 'nordlicht_rasa_turn_errors_total{channel="test-channel"} 1.0' in text
    assert 'nordlicht_rasa_turn_seconds_bucket{channel="test-channel",le="0.05"}' in text


def test_the_channels_wrap_rasas_callback() -> None:
    from pathlib import Path

    for channel, name in (("rest", "rest"), ("socketio", "website"), ("facebook", "messenger")):
        source = Path(f"bot/channels/{channel}.py").read_text(encoding="utf-8")
        assert f'on_new_message = timed("{name}", on_new_message)' in source
