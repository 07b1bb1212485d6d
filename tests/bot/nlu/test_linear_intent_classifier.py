"""The linear intent classifier: n-gram features, training, storage, a real pipeline."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.classifiers import LABEL_RANKING_LENGTH
from rasa.shared.exceptions import InvalidConfigException
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.components.linear_intent_classifier import (
    ARRAYS_FILE,
    META_FILE,
    LinearIntentClassifier,
    NgramBlock,
    normalise,
)
from tests.support.nlu_models import tiny_nlu_classifier

EXAMPLES = {
    "book_appointment": [
        "Ich möchte einen Werkstatttermin",
        "Termin für die Inspektion buchen",
        "Wann haben Sie einen Termin frei?",
        "Ich brauche einen Termin für den Reifenwechsel",
        "Termin vereinbaren bitte",
    ],
    "invoice_question": [
        "Ich habe eine Frage zu meiner Rechnung",
        "Die Rechnung ist zu hoch",
        "Warum wurde mir so viel berechnet?",
        "Bitte schicken Sie mir die Rechnung nochmal",
        "Auf der Rechnung steht ein falscher Betrag",
    ],
    "greet": ["Hallo", "Guten Tag", "Moin", "Grüß Gott", "Hallo zusammen"],
}


def messages(examples: dict[str, list[str]] = EXAMPLES) -> list[Message]:
    return [
        Message(data={TEXT: text, INTENT: intent})
        for intent, texts in examples.items()
        for text in texts
    ]


def with_dense(message: Message, vector: list[float]) -> Message:
    message.add_features(
        Features(np.array([vector], dtype=np.float32), "sentence", TEXT, "test_dense")
    )
    return message


@pytest.fixture
def storage(tmp_path: Path) -> LocalModelStorage:
    (tmp_path / "storage").mkdir()
    return LocalModelStorage(tmp_path / "storage")


def context() -> ExecutionContext:
    return ExecutionContext(GraphSchema({}), uuid.uuid4().hex)


def trained(
    storage: LocalModelStorage, examples: list[Message] | None = None, **overrides: Any
) -> tuple[LinearIntentClassifier, dict[str, Any], Resource]:
    config = {**LinearIntentClassifier.get_default_config(), **overrides}
    resource = Resource("linear")
    classifier = LinearIntentClassifier.create(config, storage, resource, context())
    classifier.train(TrainingData(examples if examples is not None else messages()))
    return classifier, config, resource


def classify(classifier: LinearIntentClassifier, text: str) -> Message:
    [message] = classifier.process([Message(data={TEXT: text})])
    return message


def intent_of(classifier: LinearIntentClassifier, text: str) -> str:
    return classify(classifier, text).get(INTENT)["name"]


def test_normalise_lowers_and_folds_umlauts_and_sharp_s() -> None:
    assert normalise("Überführung Straße ÄÖÜ") == "uberfuhrung strasse aou"


def test_normalise_folds_written_out_umlauts_like_the_umlauts() -> None:
    assert normalise("Läuft") == normalise("laeuft") == normalise("lauft") == "lauft"
    assert normalise("UEBERFUEHRUNG Höhe") == normalise("Überführung hoehe")


def test_ngram_rows_have_unit_length_and_ignore_umlauts_and_case() -> None:
    block = NgramBlock.learn(["Überführung zur Werkstatt", "Rechnung prüfen"], "char_wb", [2, 4], 1)

    rows = block.transform(["Überführung", "uberfuhrung", "ÜBERFÜHRUNG", "qqq"])

    assert np.linalg.norm(rows[0].toarray()) == pytest.approx(1.0)
    assert (rows[0] != rows[1]).nnz == 0 and (rows[0] != rows[2]).nnz == 0
    assert rows[3].nnz == 0  # nothing known: an empty row, not a division by zero


def test_idf_weights_rare_ngrams_higher() -> None:
    block = NgramBlock.learn(["termin heute", "termin morgen", "termin bitte"], "word", [1, 1], 1)

    idf = dict(zip(block.vocabulary, block.idf[list(block.vocabulary.values())], strict=True))
    assert idf["morgen"] > idf["termin"]


def test_classifies_paraphrases_typos_and_missing_umlauts(storage: LocalModelStorage) -> None:
    classifier, _, _ = trained(storage)

    assert intent_of(classifier, "Ich hätte gern einen Termin") == "book_appointment"
    assert intent_of(classifier, "die rechnug ist falsch") == "invoice_question"
    assert intent_of(classifier, "Gruss Gott") == "greet"


def test_ranking_is_sorted_probabilities_headed_by_the_intent(storage: LocalModelStorage) -> None:
    many = {f"intent_{i}": [f"beispiel nummer {i} {w}" for w in "abc"] for i in range(14)}
    classifier, _, _ = trained(storage, messages(many))

    message = classify(classifier, "beispiel nummer 3")

    ranking = message.get(INTENT_RANKING_KEY)
    confidences = [entry["confidence"] for entry in ranking]
    assert len(ranking) == LABEL_RANKING_LENGTH
    assert confidences == sorted(confidences, reverse=True)
    assert all(isinstance(c, float) and 0 < c < 1 for c in confidences)
    assert message.get(INTENT) == ranking[0]
    assert ranking[0]["name"] == "intent_3"


def test_stored_model_loads_to_the_same_probabilities_without_pickle(
    storage: LocalModelStorage,
) -> None:
    examples = [with_dense(m, [float(i % 3), 1.0]) for i, m in enumerate(messages())]
    classifier, config, resource = trained(storage, examples)

    loaded = LinearIntentClassifier.load(config, storage, resource, context())

    probe = [with_dense(Message(data={TEXT: "Rechnung zu hoch"}), [1.0, 1.0])]
    assert loaded.model is not None and classifier.model is not None
    assert loaded.model.intents == classifier.model.intents
    assert np.allclose(
        loaded.model.probabilities(probe), classifier.model.probabilities(probe), atol=1e-5
    )
    with storage.read_from(resource) as directory:
        assert sorted(p.name for p in directory.iterdir()) == sorted([ARRAYS_FILE, META_FILE])
        with np.load(directory / ARRAYS_FILE, allow_pickle=False) as arrays:
            assert arrays["weights"].shape[1] == 3  # one column per intent


def test_two_intents_dense_features_are_used_and_missing_ones_count_as_zero(
    storage: LocalModelStorage,
) -> None:
    # the texts say nothing; only the dense vector separates the two intents
    examples = [
        with_dense(Message(data={TEXT: "text", INTENT: intent}), vector)
        for intent, vector in (("left", [1.0, 0.0]), ("right", [0.0, 1.0]))
        for _ in range(5)
    ]
    classifier, _, _ = trained(storage, examples, dense_weight=3.0)

    [left, right] = classifier.process(
        [
            with_dense(Message(data={TEXT: "text"}), [1.0, 0.0]),
            with_dense(Message(data={TEXT: "text"}), [0.0, 1.0]),
        ]
    )
    [no_vector] = classifier.process([Message(data={TEXT: "text"})])

    assert left.get(INTENT)["name"] == "left" and right.get(INTENT)["name"] == "right"
    assert no_vector.get(INTENT)["confidence"] == pytest.approx(0.5, abs=0.05)


def test_fewer_than_two_intents_leave_it_untrained_and_quiet(
    storage: LocalModelStorage, caplog: pytest.LogCaptureFixture
) -> None:
    classifier, config, resource = trained(storage, messages({"greet": ["Hallo", "Moin"]}))

    message = classify(classifier, "Hallo")
    loaded = LinearIntentClassifier.load(config, storage, resource, context())

    assert "at least 2 are needed" in caplog.text
    assert message.get(INTENT) is None and message.get(INTENT_RANKING_KEY) == []
    assert loaded.model is None


def test_char_weight_lengthens_the_character_block_and_is_stored(
    storage: LocalModelStorage,
) -> None:
    classifier, config, resource = trained(storage, char_weight=1.5)
    assert classifier.model is not None
    words = len(classifier.model.words.vocabulary)

    [row] = classifier.model.features([Message(data={TEXT: "Rechnung zu hoch"})]).toarray()
    loaded = LinearIntentClassifier.load(config, storage, resource, context())

    assert np.linalg.norm(row[:words]) == pytest.approx(1.0)
    assert np.linalg.norm(row[words:]) == pytest.approx(1.5)
    assert loaded.model is not None and loaded.model.char_weight == 1.5


def test_a_message_without_text_gets_no_intent(storage: LocalModelStorage) -> None:
    classifier, _, _ = trained(storage)

    [message] = classifier.process([Message(data={TEXT: ""})])

    assert message.get(INTENT) is None


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("dense_weight", -1),
        ("dense_weight", "viel"),
        ("char_weight", -0.5),
        ("C", 0),
        ("C", True),
        ("word_ngrams", [2, 1]),
        ("char_ngrams", [0, 5]),
        ("char_ngrams", 5),
        ("min_char_count", 0),
        ("max_iter", 1.5),
    ],
)
def test_bad_settings_are_refused_by_name(key: str, value: Any) -> None:
    config = {**LinearIntentClassifier.get_default_config(), key: value}

    with pytest.raises(InvalidConfigException, match=key):
        LinearIntentClassifier.validate_config(config)


CONFIG = """\
recipe: default.v1
language: de
assistant_id: linear-classifier-test
pipeline:
  - name: WhitespaceTokenizer
  - name: bot.nlu.components.use_featurizer.UniversalSentenceEncoderFeaturizer
    sequence_features: none
  - name: bot.nlu.components.linear_intent_classifier.LinearIntentClassifier
"""


def test_rasa_trains_and_serves_it_with_the_sentence_encoder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = ["version: '3.1'", "nlu:"]
    for intent_name, texts in EXAMPLES.items():
        lines += [f"- intent: {intent_name}", "  examples: |"] + [f"    - {t}" for t in texts]
    intent = tiny_nlu_classifier(tmp_path, monkeypatch, CONFIG, "\n".join(lines) + "\n")

    assert intent("Können Sie mein Auto nächste Woche reinnehmen?") == "book_appointment"
    assert intent("Mir wurde zu viel abgebucht") == "invoice_question"


def test_rasa_retrains_it_when_its_code_changes() -> None:
    import hashlib
    from pathlib import Path

    import bot.nlu.components.linear_intent_classifier as module

    source = Path(module.__file__).read_bytes()
    config = LinearIntentClassifier.get_default_config()
    assert LinearIntentClassifier.fingerprint_addon(config) == hashlib.sha256(source).hexdigest()
