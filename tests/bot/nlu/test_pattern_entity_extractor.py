import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.exceptions import RasaException
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.components.pattern_entity_extractor import PatternEntityExtractor

REGEXES = [
    {"name": "customer_number", "pattern": r"\bK-?\d{6}\b|\b\d{6}\b"},
    {"name": "order_number", "pattern": r"\bB-?\d{8}\b"},
    {"name": "not_wanted", "pattern": r"\bfoo\b"},
]


def make_extractor(tmp_path, entities):
    storage = LocalModelStorage(tmp_path)
    context = ExecutionContext(GraphSchema({}), "test")
    return PatternEntityExtractor.create(
        {**PatternEntityExtractor.get_default_config(), "entities": entities},
        storage,
        Resource("extractor"),
        context,
    )


def test_extracts_configured_regexes_without_any_annotated_example(tmp_path) -> None:
    extractor = make_extractor(tmp_path, ["customer_number", "order_number"])
    # no example carries an entity annotation: Rasa's RegexEntityExtractor would learn nothing
    data = TrainingData(
        [Message(data={"text": "hallo", "intent": "greet"})], regex_features=REGEXES
    )
    extractor.train(data)
    [message] = extractor.process(
        [Message(data={"text": "Bestellung B-20251234 von K-104857 foo"})]
    )
    found = [(e["entity"], e["value"]) for e in message.get("entities")]
    assert found == [("customer_number", "K-104857"), ("order_number", "B-20251234")]
    assert {e["extractor"] for e in message.get("entities")} == {"PatternEntityExtractor"}


def test_missing_regex_for_a_configured_entity_fails_training(tmp_path) -> None:
    extractor = make_extractor(tmp_path, ["customer_number", "vin"])
    data = TrainingData(
        [Message(data={"text": "hallo", "intent": "greet"})], regex_features=REGEXES
    )
    with pytest.raises(RasaException, match="vin"):
        extractor.train(data)
