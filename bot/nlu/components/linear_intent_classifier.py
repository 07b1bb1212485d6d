"""Intents by logistic regression on TF-IDF n-grams and the dense sentence vector.

``LinearIntentClassifier`` is a Rasa 3.6 intent classifier. Every message is
one row of features:

- word 1-2-grams and character 2-5-grams (inside word boundaries) of the text,
  in lower case with umlauts and ß folded, written out or left out alike
  (``Überführung``, ``ueberfuehrung`` and ``uberfuhrung`` give the same
  n-grams), TF-IDF weighted with sublinear term frequency, each block scaled
  to unit length, the character block then multiplied by ``char_weight``;
- the dense sentence features of the pipeline's dense featurizers (here the
  Universal Sentence Encoder), multiplied by ``dense_weight``.

A multinomial logistic regression (scikit-learn, L-BFGS) learns the intents;
its probabilities are the confidences in ``intent`` and ``intent_ranking``,
which the ``FallbackClassifier`` after it reads.

Why not DIET: on these 2-core machines this component trains in seconds
instead of minutes, and it was more accurate on every data set where both
were measured (our German test set, BANKING77, xSID-de; docs/nlu-benchmarks.md).
Character n-grams of folded text keep typos and missing umlauts close to the
training examples; the sentence vector carries paraphrases. A typo breaks a
word n-gram but only a few of the word's character n-grams, so the character
block may weigh more than the word block (``char_weight``; ``config.yml`` has
1.5, which with the folding of written-out umlauts lifted the perturbed copy
of tests/nlu/voices.yml the most, README "Measured"). That folding also
folds an ``ae``/``oe``/``ue`` that is no umlaut (``neue``, ``Dauer``);
training data and messages are folded alike, so it costs only the rare word
it makes equal to another.

Pipeline use (``config.yml``), after a dense featurizer::

    - name: bot.nlu.components.linear_intent_classifier.LinearIntentClassifier
      dense_weight: 0.5     # length of the dense block against the word n-gram block
      char_weight: 1.5      # length of the character n-gram block against the word block
      C: 100                # inverse regularisation strength
      word_ngrams: [1, 2]
      char_ngrams: [2, 5]
      min_char_count: 2     # character n-grams seen in fewer training examples are dropped
      max_iter: 1000

The trained model is stored as arrays (``numpy.savez``) and JSON, not pickled.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers import LABEL_RANKING_LENGTH
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.exceptions import InvalidConfigException
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

logger = logging.getLogger(__name__)

ARRAYS_FILE = "model.npz"
META_FILE = "model.json"
FOLDED = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss"})
# "ae", "oe", "ue": umlauts as keyboards without them write them
WRITTEN_OUT_UMLAUT = re.compile(r"([aou])e")


def normalise(text: str) -> str:
    """Return ``text`` in lower case with umlauts and ß folded to ASCII.

    Umlauts written out (``ae``, ``oe``, ``ue``) fold to the same vowel as the
    umlaut itself (``läuft``, ``laeuft`` and ``lauft`` all give ``lauft``).
    """
    return WRITTEN_OUT_UMLAUT.sub(r"\1", text.lower().translate(FOLDED))


class NgramBlock:
    """One block of TF-IDF n-gram features with a fixed vocabulary.

    The same code weights the training rows and later messages: raw counts
    from a scikit-learn ``CountVectorizer``, then ``1 + log(count)``, times the
    inverse document frequency, scaled to unit length per row.
    """

    def __init__(
        self, analyzer: str, ngrams: Sequence[int], vocabulary: dict[str, int], idf: np.ndarray
    ) -> None:
        """Create the block from its learned vocabulary and idf weights."""
        from sklearn.feature_extraction.text import CountVectorizer

        self.analyzer = analyzer
        self.ngrams = (int(ngrams[0]), int(ngrams[1]))
        self.idf = np.asarray(idf, dtype=np.float64)
        self._counter = CountVectorizer(
            analyzer=analyzer,
            ngram_range=self.ngrams,
            preprocessor=normalise,
            vocabulary=vocabulary,
            dtype=np.float64,
        )

    @classmethod
    def learn(
        cls, texts: Sequence[str], analyzer: str, ngrams: Sequence[int], min_count: int
    ) -> NgramBlock:
        """Learn the vocabulary (n-grams in at least ``min_count`` texts) and idf."""
        from sklearn.feature_extraction.text import CountVectorizer

        counter = CountVectorizer(
            analyzer=analyzer,
            ngram_range=(int(ngrams[0]), int(ngrams[1])),
            preprocessor=normalise,
            min_df=min_count,
        )
        counts = counter.fit_transform(texts)
        document_frequency = np.bincount(counts.indices, minlength=counts.shape[1])
        # scikit-learn's smoothed idf: as if one more text held every n-gram
        idf = np.log((1 + len(texts)) / (1 + document_frequency)) + 1
        vocabulary = {term: int(index) for term, index in counter.vocabulary_.items()}
        return cls(analyzer, ngrams, vocabulary, idf)

    @property
    def vocabulary(self) -> dict[str, int]:
        """The n-grams and their columns."""
        return self._counter.vocabulary

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        """Return the TF-IDF rows of ``texts``, each of length 1 (or 0 if no n-gram is known)."""
        from sklearn.preprocessing import normalize

        rows = self._counter.transform(texts).tocsr()
        rows.data = 1.0 + np.log(rows.data)
        return normalize(rows.multiply(self.idf).tocsr())


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class LinearIntentClassifier(GraphComponent, IntentClassifier):
    """Classify intents with logistic regression on n-gram and sentence features."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """Return the default config (the keys are described in the module docstring)."""
        return {
            "dense_weight": 0.5,
            "char_weight": 1.0,
            "C": 100.0,
            "word_ngrams": [1, 2],
            "char_ngrams": [2, 5],
            "min_char_count": 2,
            "max_iter": 1000,
        }

    @staticmethod
    def required_packages() -> list[str]:
        """Return the packages this component needs."""
        return ["sklearn"]

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        """Retrain when this module changes.

        Rasa's training cache keys a component by its config and inputs, not
        its code: without this, a changed feature or storage format would be
        served from a model trained by the old code.
        """
        return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        """Check the settings before training.

        Raises:
            InvalidConfigException: on a value out of range.

        """
        for key in ("dense_weight", "char_weight", "C"):
            value = config.get(key)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                raise InvalidConfigException(
                    f"{cls.__name__}: '{key}' must be a number >= 0, not {value!r}."
                )
        if config["C"] == 0:
            raise InvalidConfigException(f"{cls.__name__}: 'C' must be greater than 0.")
        for key in ("word_ngrams", "char_ngrams"):
            value = config.get(key)
            if (
                not isinstance(value, (list, tuple))
                or len(value) != 2
                or not all(isinstance(n, int) and not isinstance(n, bool) for n in value)
                or not 1 <= value[0] <= value[1]
            ):
                raise InvalidConfigException(
                    f"{cls.__name__}: '{key}' must be [shortest, longest] with "
                    f"1 <= shortest <= longest, not {value!r}."
                )
        for key in ("min_char_count", "max_iter"):
            value = config.get(key)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise InvalidConfigException(
                    f"{cls.__name__}: '{key}' must be a positive integer, not {value!r}."
                )

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LinearIntentClassifier:
        """Create an untrained classifier."""
        cls.validate_config(config)
        return cls(config, model_storage, resource)

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        model: TrainedModel | None = None,
    ) -> None:
        """Create the classifier, trained if ``model`` is given."""
        self._config = config
        self._model_storage = model_storage
        self._resource = resource
        self.model = model

    def train(self, training_data: TrainingData) -> Resource:
        """Learn the n-gram vocabularies and the regression; store them."""
        examples = [m for m in training_data.intent_examples if m.get(TEXT) and m.get(INTENT)]
        intents = sorted({m.get(INTENT) for m in examples})
        if len(intents) < 2:
            logger.warning(
                "%s: %d intent(s) in the training data, at least 2 are needed; "
                "the classifier stays untrained and predicts nothing.",
                type(self).__name__,
                len(intents),
            )
            return self._resource
        self.model = TrainedModel.fit(examples, intents, self._config)
        with self._model_storage.write_to(self._resource) as directory:
            self.model.save(directory)
        return self._resource

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> LinearIntentClassifier:
        """Load the trained classifier (untrained if training stored nothing)."""
        try:
            with model_storage.read_from(resource) as directory:
                model = TrainedModel.load(directory)
        except ValueError:  # nothing stored: trained on fewer than two intents
            model = None
        return cls(config, model_storage, resource, model)

    def process(self, messages: list[Message]) -> list[Message]:
        """Set ``intent`` and ``intent_ranking`` (the ten most probable) on each message."""
        for message in messages:
            if self.model is None or not message.get(TEXT):
                intent, ranking = None, []
            else:
                probabilities = self.model.probabilities([message])[0]
                order = np.argsort(-probabilities)[:LABEL_RANKING_LENGTH]
                ranking = [
                    {"name": self.model.intents[i], "confidence": float(probabilities[i])}
                    for i in order
                ]
                intent = ranking[0]
            message.set(INTENT, intent, add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages


class TrainedModel:
    """What training learns: the n-gram blocks, the dense width, the regression."""

    def __init__(
        self,
        intents: list[str],
        words: NgramBlock,
        chars: NgramBlock,
        dense_width: int,
        dense_weight: float,
        weights: np.ndarray,
        intercept: np.ndarray,
        char_weight: float = 1.0,
    ) -> None:
        """Create the model from its learned parts (``weights``: features x intents)."""
        self.intents = intents
        self.words = words
        self.chars = chars
        self.dense_width = dense_width
        self.dense_weight = dense_weight
        self.char_weight = char_weight
        # (features x intents) in row order: a sparse row times this touches only
        # the rows of its n-grams; times scikit-learn's transposed ``coef_`` scipy
        # first copies the whole matrix (3 ms a message for our 29 intents, 22 ms
        # for CLINC150's 151)
        self.weights = np.ascontiguousarray(weights, dtype=np.float64)
        self.intercept = np.asarray(intercept, dtype=np.float64)

    @classmethod
    def fit(
        cls, examples: Sequence[Message], intents: list[str], config: dict[str, Any]
    ) -> TrainedModel:
        """Learn the model from labelled messages."""
        from sklearn.linear_model import LogisticRegression

        texts = [m.get(TEXT) for m in examples]
        words = NgramBlock.learn(texts, "word", config["word_ngrams"], 1)
        chars = NgramBlock.learn(texts, "char_wb", config["char_ngrams"], config["min_char_count"])
        dense_width = max((len(_dense_vector(m)) for m in examples), default=0)
        dense_weight = float(config["dense_weight"])
        char_weight = float(config["char_weight"])
        column = {intent: index for index, intent in enumerate(intents)}
        labels = np.array([column[m.get(INTENT)] for m in examples])
        regression = LogisticRegression(C=float(config["C"]), max_iter=config["max_iter"])
        regression.fit(
            _rows(examples, words, chars, dense_width, dense_weight, char_weight), labels
        )
        coef, intercept = regression.coef_, regression.intercept_
        if len(intents) == 2:  # one row for the second intent: softmax over (0, its score)
            coef = np.vstack([np.zeros_like(coef), coef])
            intercept = np.concatenate([np.zeros_like(intercept), intercept])
        return cls(intents, words, chars, dense_width, dense_weight, coef.T, intercept, char_weight)

    def features(self, messages: Sequence[Message]) -> sp.csr_matrix:
        """Return one feature row per message: dense block, word block, character block."""
        return _rows(
            messages, self.words, self.chars, self.dense_width, self.dense_weight, self.char_weight
        )

    def probabilities(self, messages: Sequence[Message]) -> np.ndarray:
        """Return the intent probabilities, one row per message, columns as ``intents``."""
        scores = self.features(messages) @ self.weights + self.intercept
        scores = np.asarray(scores)
        scores -= scores.max(axis=1, keepdims=True)
        exponentials = np.exp(scores)
        return exponentials / exponentials.sum(axis=1, keepdims=True)

    def save(self, directory: Any) -> None:
        """Write the model as arrays and JSON (no pickle)."""
        np.savez_compressed(
            directory / ARRAYS_FILE,
            weights=self.weights.astype(np.float32),
            intercept=self.intercept.astype(np.float32),
            word_idf=self.words.idf,
            char_idf=self.chars.idf,
        )
        meta = {
            "intents": self.intents,
            "dense_width": self.dense_width,
            "dense_weight": self.dense_weight,
            "char_weight": self.char_weight,
            "word_ngrams": list(self.words.ngrams),
            "char_ngrams": list(self.chars.ngrams),
            "word_vocabulary": self.words.vocabulary,
            "char_vocabulary": self.chars.vocabulary,
        }
        (directory / META_FILE).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, directory: Any) -> TrainedModel:
        """Read a model written by :meth:`save`.

        Raises:
            ValueError: if the directory holds no model.

        """
        if not (directory / META_FILE).is_file():
            raise ValueError(f"no {META_FILE} in {directory}")
        meta = json.loads((directory / META_FILE).read_text(encoding="utf-8"))
        with np.load(directory / ARRAYS_FILE, allow_pickle=False) as arrays:
            return cls(
                meta["intents"],
                NgramBlock(
                    "word", meta["word_ngrams"], meta["word_vocabulary"], arrays["word_idf"]
                ),
                NgramBlock(
                    "char_wb", meta["char_ngrams"], meta["char_vocabulary"], arrays["char_idf"]
                ),
                int(meta["dense_width"]),
                float(meta["dense_weight"]),
                arrays["weights"],
                arrays["intercept"],
                float(meta.get("char_weight", 1.0)),  # models from before char_weight: 1
            )


def _rows(
    messages: Sequence[Message],
    words: NgramBlock,
    chars: NgramBlock,
    dense_width: int,
    dense_weight: float,
    char_weight: float = 1.0,
) -> sp.csr_matrix:
    """Return the feature rows of messages (a missing or odd-sized dense vector is zeros)."""
    texts = [m.get(TEXT) or "" for m in messages]
    dense = np.zeros((len(messages), dense_width), dtype=np.float64)
    for row, message in enumerate(messages):
        vector = _dense_vector(message)
        if len(vector) == dense_width:
            dense[row] = vector
    blocks = [
        sp.csr_matrix(dense * dense_weight),
        words.transform(texts),
        chars.transform(texts) * char_weight,
    ]
    return sp.hstack(blocks, format="csr")


def _dense_vector(message: Message) -> np.ndarray:
    """Return the message's dense sentence features as one vector (empty if none)."""
    _, sentence = message.get_dense_features(TEXT)
    if sentence is None:
        return np.zeros(0)
    return np.asarray(sentence.features, dtype=np.float64).reshape(-1)
