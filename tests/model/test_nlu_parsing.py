"""The trained model on a handful of key utterances per intent.

A fast smoke test of the real model (the full measurement is `make nlu-eval`):
every catalog intent is recognised in a few typical phrasings, and the
entities the journeys rely on come out with the right type and value.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.model

KEY_UTTERANCES = {
    "greet": ["Hallo", "Guten Morgen", "Grüezi mitenand"],
    "goodbye": ["Tschüss", "Auf Wiedersehen"],
    "thank": ["Vielen Dank!", "merci vielmal"],
    "affirm": ["ja genau", "passt"],
    "deny": ["nein", "lieber nicht"],
    "bot_challenge": [
        "Bist du ein Roboter?",
        "rede ich mit einem echten menschen oder einer maschine",
    ],
    "help": ["Was kannst du?", "wobei kannst du mir helfen"],
    "request_human": [
        "Ich möchte mit einem Mitarbeiter sprechen",
        "verbinden sie mich bitte mit einem menschen",
    ],
    "out_of_scope": ["Wie wird das Wetter morgen?", "Erzähl mir einen Witz"],
    "express_frustration": ["Du verstehst mich einfach nicht!", "das ist doch lächerlich"],
    "give_feedback": ["Ich möchte ein Lob aussprechen", "ich hätte feedback zu ihrem service"],
    "inform": ["K-104857", "meine Postleitzahl ist 80331"],
    "order_status": ["Wo bleibt meine Bestellung?", "wann wird mein neues auto geliefert"],
    "book_appointment": [
        "Ich brauche einen Termin für die Inspektion",
        "kann ich nächste woche zum ölwechsel kommen",
    ],
    "reschedule_appointment": [
        "Kann ich meinen Termin verschieben?",
        "ich muss den werkstatttermin auf einen anderen tag legen",
    ],
    "cancel_appointment": [
        "Ich muss meinen Werkstatttermin absagen",
        "bitte den termin stornieren",
    ],
    "appointment_status": [
        "Ist mein Wagen schon fertig?",
        "wann genau war nochmal mein termin in der werkstatt",
    ],
    "invoice_question": ["Ich habe eine Mahnung bekommen", "kann ich eine rechnungskopie bekommen"],
    "contract_info": [
        "Wann endet mein Leasingvertrag?",
        "wie hoch ist meine monatliche leasingrate",
    ],
    "change_address": ["Ich bin umgezogen", "meine neue email adresse ist anders, bitte ändern"],
    "complaint": [
        "Die Reparatur war mangelhaft, ich will mich beschweren",
        "ich möchte mich über den verkäufer beschweren",
    ],
    "warranty_claim": [
        "Ist das noch Garantie?",
        "das display ist defekt, fällt das unter die gewährleistung",
    ],
    "breakdown_help": ["Mein Auto springt nicht an", "ich stehe mit einer panne auf der a9"],
    "recall_check": [
        "Betrifft der Rückruf mein Auto?",
        "gibt es eine rückrufaktion für meinen wagen",
    ],
    "service_due": ["Wann muss mein Auto zur Inspektion?", "wann ist der nächste service fällig"],
    "dealer_info": ["Wann hat die Werkstatt in Köln offen?", "wo ist das nächste autohaus"],
    "test_drive": [
        "Ich würde gern den neuen Kombi probefahren",
        "kann ich eine probefahrt mit dem strato gt machen",
    ],
    "account_help": ["Ich komme nicht in die App", "passwort vergessen fürs kundenportal"],
    "data_privacy": ["Löschen Sie bitte meine Daten", "welche daten speichern sie über mich"],
}

CASES = [(intent, text) for intent, texts in KEY_UTTERANCES.items() for text in texts]


@pytest.fixture(scope="module")
def parse(agent):
    import asyncio

    loop = asyncio.new_event_loop()
    yield lambda text: loop.run_until_complete(agent.parse_message(text))
    loop.close()


def test_every_catalog_intent_is_covered(agent) -> None:
    known = set(agent.domain.intents)
    assert set(KEY_UTTERANCES) <= known
    assert len(KEY_UTTERANCES) == 29


@pytest.mark.parametrize(("intent", "text"), CASES)
def test_key_utterance_gets_its_intent(parse, intent: str, text: str) -> None:
    result = parse(text)
    top = next(r for r in result["intent_ranking"] if r["name"] != "nlu_fallback")
    assert top["name"] == intent, result["intent_ranking"][:3]


def _entities(result: dict) -> dict[str, str]:
    return {e["entity"]: e["value"] for e in result["entities"]}


@pytest.mark.parametrize(
    ("text", "entity", "value"),
    [
        ("meine kundennummer ist K-104857", "customer_number", "K-104857"),
        ("K104857", "customer_number", "K104857"),
        ("104857", "customer_number", "104857"),
        ("PLZ 80331", "postal_code", "80331"),
        ("Bestellung B-20251234", "order_number", "B-20251234"),
        ("Rechnung R-20250077", "invoice_number", "R-20250077"),
        ("mein kennzeichen ist M-NL 4711", "license_plate", "M-NL 4711"),
        ("FIN WNL0AUR0T2021A001", "vin", "WNL0AUR0T2021A001"),
        ("anna.schmidt@example.de", "email", "anna.schmidt@example.de"),
    ],
)
def test_pattern_entities_are_extracted_exactly_once(
    parse, text: str, entity: str, value: str
) -> None:
    result = parse(text)
    found = [e for e in result["entities"] if e["entity"] == entity]
    assert [e["value"] for e in found] == [value], result["entities"]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Ich brauche einen Termin zum Ölwechsel", "oil_change"),
        ("termin zum oelwechsel bitte", "oil_change"),
        ("ich brauche einen termin für die inspektion", "inspection"),
        ("wann kann ich zum reifenwechsel kommen", "tyre_change"),
    ],
)
def test_service_types_map_to_canonical_values(parse, text: str, value: str) -> None:
    assert _entities(parse(text)).get("service_type") == value
