import json
from pathlib import Path

import pytest
import yaml
from rasa.shared.nlu.training_data.loading import load_data

from bot.nlu.benchmarks.datasets import (
    OUT_OF_SCOPE,
    DatasetError,
    Example,
    clean_text,
    limited,
    load,
    load_banking77,
    load_clinc150,
    load_xsid,
    per_intent_limit,
    rasa_intent,
    to_rasa_yaml,
    write_training_data,
)

XSID = """\
# id = 1
# text-en = show all reminders
# text = Zeige alle Erinnerungen
# intent = reminder/show_reminders
1\tZeige\treminder/show_reminders\tO
2\talle\treminder/show_reminders\tB-reference
3\tErinnerungen\treminder/show_reminders\tO

# id = 2
# text-en = Do I need a sweater?
# text = Benötige ich einen Pullover?
# intent = weather/find
1\tBenötige\tweather/find\tO
"""


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "banking77").mkdir()
    (tmp_path / "banking77" / "train.csv").write_text(
        'text,category\nI am still waiting on my card?,card_arrival\n"Why, oh why [again]?",'
        "declined_card_payment\n"
    )
    (tmp_path / "banking77" / "test.csv").write_text(
        "text,category\nwhere is my card,card_arrival\n"
    )
    (tmp_path / "clinc150").mkdir()
    data = {
        "train": [["what is my balance", "balance"], ["translate hello", "translate"]],
        "oos_train": [["how much is the dow", "oos"]],
        "val": [["balance please", "balance"]],
        "oos_val": [["tell me a joke", "oos"]],
        "test": [["show my balance", "balance"]],
        "oos_test": [["who won the game", "oos"], ["prime numbers", "oos"]],
    }
    (tmp_path / "clinc150" / "data_full.json").write_text(json.dumps(data))
    (tmp_path / "xsid").mkdir()
    (tmp_path / "xsid" / "de.valid.conll").write_text(XSID)
    (tmp_path / "xsid" / "de.test.conll").write_text(XSID)
    return tmp_path


def test_banking77_reads_text_and_category(root: Path) -> None:
    bench = load_banking77(root / "banking77")
    assert bench.language == "en"
    assert bench.train[0] == Example("I am still waiting on my card?", "card_arrival")
    assert bench.train[1] == Example("Why, oh why (again)?", "declined_card_payment")
    assert bench.test == [Example("where is my card", "card_arrival")]


def test_clinc150_maps_oos_to_out_of_scope_in_every_split(root: Path) -> None:
    bench = load_clinc150(root / "clinc150")
    assert [e.intent for e in bench.train] == ["balance", "translate", OUT_OF_SCOPE]
    assert [e.intent for e in bench.test] == ["balance", OUT_OF_SCOPE, OUT_OF_SCOPE]
    assert [e.intent for e in bench.validation] == ["balance", OUT_OF_SCOPE]
    assert bench.has_out_of_scope


def test_xsid_reads_comment_lines_and_renames_retrieval_style_intents(root: Path) -> None:
    bench = load_xsid(root / "xsid", "de")
    assert bench.name == "xsid_de" and bench.language == "de"
    assert bench.train == [
        Example("Zeige alle Erinnerungen", "reminder__show_reminders"),
        Example("Benötige ich einen Pullover?", "weather__find"),
    ]
    assert not bench.has_out_of_scope


def test_missing_or_malformed_files_raise_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="not found"):
        load("banking77", tmp_path)
    (tmp_path / "xsid").mkdir()
    (tmp_path / "xsid" / "de.valid.conll").write_text("1\tfoo\tbar\tO\n")
    with pytest.raises(DatasetError, match="no '# text ='"):
        load_xsid(tmp_path / "xsid")
    (tmp_path / "banking77").mkdir()
    (tmp_path / "banking77" / "train.csv").write_text("query,label\nx,y\n")
    (tmp_path / "banking77" / "test.csv").write_text("query,label\nx,y\n")
    with pytest.raises(DatasetError, match="text,category"):
        load_banking77(tmp_path / "banking77")
    with pytest.raises(DatasetError, match="unknown benchmark"):
        load("atis", tmp_path)


def test_names_and_texts_are_safe_for_rasa() -> None:
    assert rasa_intent("alarm/set_alarm") == "alarm__set_alarm"
    assert rasa_intent(" card arrival ") == "card_arrival"
    assert clean_text("  see [this](that)\n now {x} ") == "see (this)(that) now (x)"


def test_limit_keeps_at_most_n_per_intent_in_original_order() -> None:
    examples = [Example(f"a{i}", "a") for i in range(5)] + [Example("b0", "b")]
    kept = per_intent_limit(examples, 2)
    assert [e.intent for e in kept].count("a") == 2 and Example("b0", "b") in kept
    assert kept == [e for e in examples if e in kept]
    assert per_intent_limit(examples, 2) == kept  # seeded


def test_limited_benchmark_keeps_its_identity(root: Path) -> None:
    bench = limited(load_clinc150(root / "clinc150"), 1)
    assert bench.name == "clinc150" and [e.intent for e in bench.test] == ["balance", OUT_OF_SCOPE]


def test_train_only_limit_keeps_the_whole_test_set(root: Path) -> None:
    full = load_clinc150(root / "clinc150")
    few = limited(full, 1, train_only=True)
    assert few.test == full.test and few.validation == full.validation
    assert limited(full, 0, train_only=True).train == []


def test_written_training_data_loads_in_rasa_with_the_same_examples(tmp_path: Path) -> None:
    examples = [
        Example("where is my card?", "card_arrival"),
        Example("Zeige alle Erinnerungen", "reminder__show_reminders"),
        Example("where is my card?", "card_arrival"),  # duplicate: written once
        Example("#1: what: 'quoted' - dash", "card_arrival"),
    ]
    folder = write_training_data(examples, tmp_path / "data")
    assert yaml.safe_load((folder / "nlu.yml").read_text())["version"] == "3.1"
    data = load_data(str(folder))
    got = sorted((m.get("text"), m.get("intent")) for m in data.intent_examples)
    assert got == sorted({(e.text, e.intent) for e in examples})
    assert not data.entity_examples and not data.retrieval_intents


def test_yaml_groups_examples_by_intent() -> None:
    text = to_rasa_yaml([Example("x y", "a"), Example("z w", "b"), Example("u v", "a")])
    assert text.count("- intent: a") == 1 and text.index("u v") < text.index("- intent: b")
