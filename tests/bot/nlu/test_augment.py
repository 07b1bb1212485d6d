import random
from pathlib import Path

from rasa.shared.nlu.training_data.loading import load_data

from bot.nlu.augment import (
    AUGMENT_SEED,
    OUTPUT_NAME,
    build_variants,
    generate,
    main,
    noisy_variant,
    read_examples,
    render,
    source_files,
)
from bot.nlu.evaluation import PERTURB_SEED
from bot.nlu.perturb import PUNCTUATION

PROJECT = Path(__file__).resolve().parents[3]
DATA = PROJECT / "data" / "nlu"

SAMPLE = """\
version: "3.1"
nlu:
- intent: order_status
  examples: |
    - Wann kommt mein [Fjord](vehicle_model)? Bestellung B-20251234
    - Lieferstatus für [München]{"entity": "city", "value": "Muenchen"}, bitte!
- intent: greet
  examples: |
    - hallo
- regex: order_number
  examples: |
    - B-\\d{8}
"""


def test_variant_is_lower_case_without_umlauts_or_punctuation_outside_annotations() -> None:
    rng = random.Random(0)
    text = 'Lieferstatus für [München]{"entity": "city"}, bitte! Grüße'
    variant = noisy_variant(text, rng)
    assert '[München]{"entity": "city"}' in variant
    outside = variant.replace('[München]{"entity": "city"}', "")
    assert outside == outside.lower()
    assert not set(outside) & set("äöüß.,!?;:")


def test_variant_is_deterministic_per_seed_and_text() -> None:
    text = "Ich möchte meinen Werkstatttermin am Dienstag verschieben, bitte."
    assert noisy_variant(text, random.Random(1)) == noisy_variant(text, random.Random(1))


def test_annotations_keep_their_entities_in_rasa(tmp_path: Path) -> None:
    (tmp_path / "nlu.yml").write_text(SAMPLE)
    variants = build_variants(read_examples([tmp_path / "nlu.yml"]), AUGMENT_SEED)
    (tmp_path / "variants.yml").write_text(render(variants, AUGMENT_SEED))
    data = load_data(str(tmp_path / "variants.yml"))
    entities = sorted(
        (e["entity"], e["value"]) for m in data.intent_examples for e in m.get("entities", [])
    )
    # two noisy variants of each example
    assert entities == [("city", "Muenchen")] * 2 + [("vehicle_model", "Fjord")] * 2
    assert {m.get("intent") for m in data.intent_examples} == {"order_status"}


def test_long_and_short_examples_get_two_variants_each() -> None:
    long = "Ich habe im Sommer einen Fjord bestellt und warte immer noch darauf"
    short = "Wie ist der Lieferstatus meiner Bestellung?"
    variants = build_variants({"order_status": [long, short]}, AUGMENT_SEED)
    assert len(variants["order_status"]) == 4
    assert len(set(variants["order_status"])) == 4


def test_variants_equal_to_an_existing_example_are_left_out() -> None:
    # "hallo" has no noise to add (no typo at this seed): nothing new to learn.
    variants = build_variants({"greet": ["hallo"], "order_status": ["Hallo!"]}, 3)
    assert "greet" not in variants


def test_only_training_data_is_read(tmp_path: Path) -> None:
    (tmp_path / "nlu.yml").write_text(SAMPLE)
    (tmp_path / OUTPUT_NAME).write_text(SAMPLE.replace("hallo", "servus"))
    assert main(["--data", str(tmp_path)]) == 0
    assert "servus" not in (tmp_path / OUTPUT_NAME).read_text()
    assert main(["--data", str(tmp_path), "--check"]) == 0


def test_the_committed_variants_are_up_to_date() -> None:
    current = (DATA / OUTPUT_NAME).read_text(encoding="utf-8")
    assert current == generate(DATA, DATA / OUTPUT_NAME), "run `make nlu-augment`"


def test_variants_use_another_seed_than_the_perturbed_test_set() -> None:
    assert AUGMENT_SEED != PERTURB_SEED


def test_no_test_message_leaks_into_the_training_variants() -> None:
    # Compared like the noise compares them: lower case, no punctuation. Some test
    # messages also occur in the training data; their variants may match them.
    def texts(*paths: Path) -> set[str]:
        return {
            " ".join(PUNCTUATION.sub(" ", m.get("text").lower()).split())
            for p in paths
            for m in load_data(str(p)).intent_examples
        }

    trained = texts(*source_files(DATA, DATA / OUTPUT_NAME))
    test_only = texts(PROJECT / "tests" / "nlu") - trained
    assert not test_only & texts(DATA / OUTPUT_NAME)
