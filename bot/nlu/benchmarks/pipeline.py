"""The production NLU pipeline, adapted to a benchmark's language.

The benchmark config is ``config.yml`` with the same components and
hyper-parameters, except:

- ``language`` is the benchmark's, and ``SpacyNLP`` loads a pipeline for it
  (the project's German one, or a blank English one with lookup lemmas built
  the same way, see :func:`build_spacy_pipeline`);
- the entity extractors are left out (``CRFEntityExtractor``, the
  ``PatternEntityExtractor``, ``EntitySynonymMapper``): the benchmarks have
  no entity annotations or patterns, and the intent classifier does not
  read what they extract, so they do not change a single intent;
  the pattern extractor would refuse to train without its regexes;
- the dialogue policies are dropped (only NLU is trained).
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

ENTITY_EXTRACTORS = (
    "CRFEntityExtractor",
    "EntitySynonymMapper",
    "bot.nlu.components.pattern_entity_extractor.PatternEntityExtractor",
)
SPACY_COMPONENT = "SpacyNLP"


def benchmark_config(base: dict[str, Any], language: str, spacy_model: Path) -> dict[str, Any]:
    """Return the NLU config for a benchmark derived from the production ``base`` config."""
    config = copy.deepcopy(base)
    config["language"] = language
    config.pop("policies", None)
    pipeline = []
    for component in config.get("pipeline") or []:
        if component["name"] in ENTITY_EXTRACTORS:
            continue
        if component["name"] == SPACY_COMPONENT:
            component["model"] = str(spacy_model)
        pipeline.append(component)
    config["pipeline"] = pipeline
    return config


class SettingError(ValueError):
    """A ``--set`` override that names no component or is not ``Component.key=value``."""


def with_settings(config: dict[str, Any], overrides: list[str]) -> dict[str, Any]:
    """Return ``config`` with ``Component.key=value`` overrides applied to its pipeline.

    ``Component`` is a component's name or the last part of its dotted name
    (``LinearIntentClassifier.dense_weight=2``); the value is read as YAML
    (``2``, ``0.5``, ``[1, 3]``, ``true``).

    Raises:
        SettingError: on a malformed override or one that matches no component.

    """
    config = copy.deepcopy(config)
    for override in overrides:
        target, separator, raw_value = override.partition("=")
        component_name, dot, key = target.rpartition(".")
        if not separator or not dot or not component_name or not key:
            raise SettingError(f"'{override}' is not Component.key=value")
        matches = [
            component
            for component in config.get("pipeline") or []
            if component_name in (component["name"], component["name"].rsplit(".", 1)[-1])
        ]
        if not matches:
            raise SettingError(f"'{override}': no pipeline component named {component_name}")
        for component in matches:
            component[key] = yaml.safe_load(raw_value)
    return config


def component_setting(config: dict[str, Any], name: str, key: str, default: Any) -> Any:
    """Return a setting of the first pipeline component called ``name``."""
    for component in config.get("pipeline") or []:
        if component["name"] == name:
            return component.get(key, default)
    return default


def write_config(config: dict[str, Any], path: Path) -> Path:
    """Write a Rasa config file and return its path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def build_spacy_pipeline(language: str, target: Path) -> Path:
    """Build ``spacy.blank(language)`` + lookup lemmatizer into ``target`` (if missing).

    The same recipe as the project's German pipeline (``bot.nlu.spacy_pipeline``):
    the lemma tables come from ``spacy-lookups-data`` and are saved with the
    pipeline.
    """
    if (target / "meta.json").is_file():
        return target
    import spacy

    nlp = spacy.blank(language)
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    nlp.meta.update({"name": f"{language}_nordlicht_benchmark", "version": "1.0.0"})
    staging = target.with_name(target.name + ".partial")
    nlp.to_disk(staging)
    staging.rename(target)
    return target
