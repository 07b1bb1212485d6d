"""Extract pattern entities (customer numbers, plates, ...) with regexes only.

Rasa's ``RegexEntityExtractor`` only uses regexes whose name is an entity that
is *annotated* in the training examples. Annotating customer numbers, plates
or postal codes would make the CRF entity extractor learn to extract them too,
so every such value would come out twice, once exactly (regex) and once
approximately (CRF). This subclass reads the regexes named in its ``entities``
setting whether or not they are annotated, so pattern entities are left to
regexes and the CRF learns only the entities that need learning.
"""

from __future__ import annotations

from typing import Any

import rasa.nlu.utils.pattern_utils as pattern_utils
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.nlu.extractors.regex_entity_extractor import RegexEntityExtractor
from rasa.shared.exceptions import RasaException
from rasa.shared.nlu.training_data.training_data import TrainingData


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=True)
class PatternEntityExtractor(RegexEntityExtractor):
    """Extract the entities listed in ``entities`` with the regexes of the same name."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """Return the default config: the regex settings plus the entity list."""
        return {
            **RegexEntityExtractor.get_default_config(),
            "use_lookup_tables": False,
            # names of the regexes (= entity types) this component extracts
            "entities": [],
        }

    def train(self, training_data: TrainingData) -> Resource:
        """Collect the regexes of the configured entities.

        Raises:
            RasaException: if a configured entity has no regex in the data.

        """
        wanted = set(self._config["entities"])
        patterns = pattern_utils.extract_patterns(
            training_data,
            use_lookup_tables=self._config["use_lookup_tables"],
            use_regexes=self._config["use_regexes"],
            use_only_entities=False,
            use_word_boundaries=self._config["use_word_boundaries"],
        )
        self.patterns = [p for p in patterns if not wanted or p["name"] in wanted]
        missing = wanted - {p["name"] for p in self.patterns}
        if missing:
            raise RasaException(
                f"{type(self).__name__}: no regex in the training data for "
                f"{', '.join(sorted(missing))}."
            )
        self.persist()
        return self._resource
