from pathlib import Path

import pytest
import spacy

from bot.nlu.spacy_pipeline import save_pipeline


@pytest.fixture(scope="module")
def pipeline_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save_pipeline(tmp_path_factory.mktemp("spacy") / "de_test")


def test_saved_pipeline_loads_from_its_path_with_german_lemmas(pipeline_dir: Path) -> None:
    nlp = spacy.load(pipeline_dir)
    assert nlp.lang == "de"
    assert nlp.path is not None  # Rasa's SpacyNLP refuses pipelines without a path
    lemmas = {t.text: t.lemma_ for t in nlp("Meine Rechnungen kamen gestern")}
    assert lemmas["Rechnungen"] == "Rechnung"
    assert lemmas["kamen"] == "kommen"


def test_rebuilding_replaces_the_pipeline_without_leftovers(pipeline_dir: Path) -> None:
    (pipeline_dir / "stale.txt").write_text("old")
    save_pipeline(pipeline_dir)
    assert not (pipeline_dir / "stale.txt").exists()
    assert not pipeline_dir.with_name(pipeline_dir.name + ".partial").exists()
