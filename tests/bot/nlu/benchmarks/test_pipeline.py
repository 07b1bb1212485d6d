from pathlib import Path

import pytest
import yaml

from bot.nlu.benchmarks.pipeline import (
    ENTITY_EXTRACTORS,
    SettingError,
    benchmark_config,
    component_setting,
    with_settings,
    write_config,
)

PROJECT = Path(__file__).resolve().parents[4]


def production() -> dict:
    return yaml.safe_load((PROJECT / "config.yml").read_text())


def test_benchmark_config_keeps_the_intent_pipeline_and_its_hyper_parameters() -> None:
    base = production()
    config = benchmark_config(base, "en", Path("/scratch/spacy-en"))
    assert config["language"] == "en" and "policies" not in config
    kept = [c for c in base["pipeline"] if c["name"] not in ENTITY_EXTRACTORS]
    assert [c["name"] for c in config["pipeline"]] == [c["name"] for c in kept]
    for ours, theirs in zip(config["pipeline"], kept, strict=True):
        if ours["name"] != "SpacyNLP":
            assert ours == theirs
    assert component_setting(config, "SpacyNLP", "model", None) == "/scratch/spacy-en"
    assert base["language"] == "de"  # the production config is not modified


def test_benchmark_config_drops_only_entity_extractors() -> None:
    names = {c["name"] for c in benchmark_config(production(), "de", Path("x"))["pipeline"]}
    assert "bot.nlu.components.linear_intent_classifier.LinearIntentClassifier" in names
    assert "FallbackClassifier" in names
    assert not names & set(ENTITY_EXTRACTORS)


def test_written_config_round_trips(tmp_path: Path) -> None:
    config = benchmark_config(production(), "en", Path("spacy"))
    assert yaml.safe_load(write_config(config, tmp_path / "c.yml").read_text()) == config


def test_settings_override_a_component_by_its_short_or_full_name() -> None:
    base = production()
    config = with_settings(
        base, ["LinearIntentClassifier.dense_weight=2", "FallbackClassifier.threshold=0.2"]
    )
    name = "bot.nlu.components.linear_intent_classifier.LinearIntentClassifier"
    assert component_setting(config, name, "dense_weight", None) == 2
    assert component_setting(config, "FallbackClassifier", "threshold", None) == 0.2
    assert component_setting(base, name, "dense_weight", None) == 0.5  # base untouched
    full = with_settings(base, [f"{name}.word_ngrams=[1, 3]"])
    assert component_setting(full, name, "word_ngrams", None) == [1, 3]


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ("dense_weight=2", "is not Component.key=value"),
        ("LinearIntentClassifier.dense_weight", "is not Component.key=value"),
        ("Nonexistent.dense_weight=2", "no pipeline component named Nonexistent"),
    ],
)
def test_bad_settings_are_refused_with_the_reason(override: str, message: str) -> None:
    with pytest.raises(SettingError, match=message):
        with_settings(production(), [override])
