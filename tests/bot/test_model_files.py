from pathlib import Path

from bot.model_files import current_model_path, fingerprint, training_inputs


def make_project(root: Path) -> None:
    (root / "data" / "nlu").mkdir(parents=True)
    (root / "bot" / "nlu" / "components").mkdir(parents=True)
    (root / "config.yml").write_text("language: de\n")
    (root / "domain.yml").write_text("intents: [greet]\n")
    (root / "data" / "nlu" / "a.yml").write_text("nlu: []\n")
    (root / "bot" / "nlu" / "components" / "c.py").write_text("x = 1\n")
    (root / "bot" / "nlu" / "evaluation.py").write_text("y = 1\n")


def test_fingerprint_changes_with_training_data(tmp_path: Path) -> None:
    make_project(tmp_path)
    before = fingerprint(tmp_path)
    (tmp_path / "data" / "nlu" / "a.yml").write_text("nlu: [changed]\n")
    assert fingerprint(tmp_path) != before


def test_fingerprint_changes_with_component_code_but_not_with_tools(tmp_path: Path) -> None:
    make_project(tmp_path)
    before = fingerprint(tmp_path)
    (tmp_path / "bot" / "nlu" / "evaluation.py").write_text("y = 2\n")
    assert fingerprint(tmp_path) == before
    (tmp_path / "bot" / "nlu" / "components" / "c.py").write_text("x = 2\n")
    assert fingerprint(tmp_path) != before


def test_fingerprint_notices_a_renamed_file(tmp_path: Path) -> None:
    make_project(tmp_path)
    before = fingerprint(tmp_path)
    (tmp_path / "data" / "nlu" / "a.yml").rename(tmp_path / "data" / "nlu" / "b.yml")
    assert fingerprint(tmp_path) != before


def test_model_path_is_named_after_the_fingerprint(tmp_path: Path) -> None:
    make_project(tmp_path)
    path = current_model_path(tmp_path)
    assert path.parent == tmp_path / "models"
    assert path.name == f"nordlicht-{fingerprint(tmp_path)}.tar.gz"
    assert [p.name for p in training_inputs(tmp_path)] == [
        "c.py",
        "config.yml",
        "a.yml",
        "domain.yml",
    ]
