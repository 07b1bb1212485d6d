"""The training API: trainers only, labels checked, export as Rasa NLU data, flags from the desk."""

from __future__ import annotations

import yaml
from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader

from bot.escalation.schemas import EscalationIntake
from bot.training.collector import InboxCollector
from tests.bot.escalation.conftest import invoice_conversation
from tests.bot.training.conftest import bearer
from tests.bot.training.events import T0, conversation


def fill_inbox(training) -> None:
    collector = InboxCollector(training.inbox, settle_seconds=30)
    for event in conversation():
        collector.feed("conv-1", event)
    collector.flush(T0 + 100)


def test_only_trainers_may_use_the_inbox(client, training) -> None:
    fill_inbox(training)
    assert client.get("/api/training/inbox").status_code == 401
    plain = client.get("/api/training/inbox", headers=bearer(client, "keller", "geheim-genug-1"))
    assert plain.status_code == 403 and plain.json()["detail"] == "needs role trainer"
    for path in ("/api/training/export", "/api/training/intents"):
        assert (
            client.get(path, headers=bearer(client, "keller", "geheim-genug-1")).status_code == 403
        )
    trainer = bearer(client, "lorenz", "geheim-genug-2")
    items = client.get("/api/training/inbox", headers=trainer).json()
    assert len(items) == 3
    assert set(items[0]) == {
        "id", "text", "reason", "predictions", "count", "first_seen", "last_seen",
        "conversation_id", "channel", "status", "label",
    }  # fmt: skip
    fallbacks = client.get(
        "/api/training/inbox?status=open&reason=nlu_fallback", headers=trainer
    ).json()
    assert [i["text"] for i in fallbacks] == ["I find de Login nöd, K-000000"]
    by_intent = client.get("/api/training/inbox?intent=book_appointment", headers=trainer).json()
    assert [i["text"] for i in by_intent] == ["kannst du den termin canceln pls"]
    assert client.get("/api/training/inbox?status=gone", headers=trainer).status_code == 422


def test_label_ignore_and_export_as_rasa_nlu_yaml(client, training) -> None:
    fill_inbox(training)
    trainer = bearer(client, "lorenz", "geheim-genug-2")
    items = {i["text"]: i["id"] for i in client.get("/api/training/inbox", headers=trainer).json()}
    login = items["I find de Login nöd, K-000000"]
    cancel = items["kannst du den termin canceln pls"]
    feedback = items["des war nix, Anna Schmidt hier"]
    labelled = client.post(
        f"/api/training/inbox/{cancel}/label",
        json={"intent": "cancel_appointment", "entities": []},
        headers=trainer,
    )
    assert labelled.status_code == 200 and labelled.json()["status"] == "labelled"
    assert (
        client.post(
            f"/api/training/inbox/{login}/label",
            json={"intent": "account_help", "entities": []},
            headers=trainer,
        ).status_code
        == 200
    )
    assert (
        client.post(f"/api/training/inbox/{feedback}/ignore", headers=trainer).json()["status"]
        == "ignored"
    )
    # refused: unknown intent, a span outside the text, unknown entity, a missing item
    for body in (
        {"intent": "order_pizza", "entities": []},
        {"intent": "cancel_appointment", "entities": [{"start": 20, "end": 99, "entity": "date"}]},
        {"intent": "cancel_appointment", "entities": [{"start": 0, "end": 3, "entity": "shoe"}]},
    ):
        response = client.post(f"/api/training/inbox/{cancel}/label", json=body, headers=trainer)
        assert response.status_code == 400, body
    assert (
        client.post(
            "/api/training/inbox/9999/label", json={"intent": "greet"}, headers=trainer
        ).status_code
        == 404
    )
    assert [i["id"] for i in client.get("/api/training/inbox", headers=trainer).json()] == []
    assert len(client.get("/api/training/inbox?status=labelled", headers=trainer).json()) == 2
    export = client.get("/api/training/export", headers=trainer)
    assert export.status_code == 200
    document = yaml.safe_load(export.text)
    assert document["version"] == "3.1"
    assert {block["intent"] for block in document["nlu"]} == {"cancel_appointment", "account_help"}
    data = RasaYAMLReader().reads(export.text)
    assert {(m.get("text"), m.get("intent")) for m in data.intent_examples} == {
        ("kannst du den termin canceln pls", "cancel_appointment"),
        ("I find de Login nöd, K-000000", "account_help"),
    }


def test_entities_are_exported_in_rasa_markup(client, training) -> None:
    fill_inbox(training)
    trainer = bearer(client, "lorenz", "geheim-genug-2")
    item = next(
        i
        for i in client.get("/api/training/inbox", headers=trainer).json()
        if i["text"] == "kannst du den termin canceln pls"
    )
    response = client.post(
        f"/api/training/inbox/{item['id']}/label",
        json={
            "intent": "cancel_appointment",
            "entities": [{"start": 14, "end": 20, "entity": "date"}],
        },
        headers=trainer,
    )
    assert response.status_code == 200, response.text
    data = RasaYAMLReader().reads(client.get("/api/training/export", headers=trainer).text)
    (example,) = data.intent_examples
    assert example.get("entities") == [
        {"start": 14, "end": 20, "value": "termin", "entity": "date"}
    ]


def test_the_masked_conversation_and_the_per_intent_figures(client, training) -> None:
    fill_inbox(training)
    trainer = bearer(client, "lorenz", "geheim-genug-2")
    item = client.get("/api/training/inbox?reason=nlu_fallback", headers=trainer).json()[0]
    turns = client.get(f"/api/training/inbox/{item['id']}/conversation", headers=trainer).json()
    assert turns["conversation_id"] == "conv-1"
    assert [t["speaker"] for t in turns["turns"]][:3] == ["customer", "bot", "customer"]
    assert "123456" not in str(turns)
    stats = {
        row["intent"]: row for row in client.get("/api/training/intents", headers=trainer).json()
    }
    assert stats["greet"]["predicted"] == 1 and stats["greet"]["test_accuracy"] == 0.95
    assert stats["inform"]["fell_back"] == 1 and stats["inform"]["open_items"] == 1
    assert stats["cancel_appointment"]["predicted"] == 0


def test_an_agent_flags_a_customer_message_of_an_escalation(client, feature, training) -> None:
    receipt = feature.service.open_escalation(
        EscalationIntake(conversation_id="lost", channel="socketio", events=invoice_conversation())
    )
    agent = bearer(client, "keller", "geheim-genug-1")
    text = "Ich habe eine Frage zu meiner Rechnung R-20250100"
    flagged = client.post(
        "/api/training/flag",
        json={"escalation_id": receipt.escalation_id, "text": text},
        headers=agent,
    )
    assert flagged.status_code == 201, flagged.text
    body = flagged.json()
    assert body["text"] == "Ich habe eine Frage zu meiner Rechnung R-00000000"
    assert body["reason"] == "flagged"
    assert body["predictions"] == [{"intent": "invoice_question", "confidence": 0.93}]
    again = client.post(
        "/api/training/flag",
        json={"escalation_id": receipt.escalation_id, "text": text},
        headers=agent,
    )
    assert again.status_code == 201 and again.json()["count"] == 1
    invented = client.post(
        "/api/training/flag",
        json={"escalation_id": receipt.escalation_id, "text": "Das hat keiner geschrieben"},
        headers=agent,
    )
    assert invented.status_code == 422
    assert (
        client.post("/api/training/flag", json={"escalation_id": 1, "text": text}).status_code
        == 401
    )


def test_the_routes_are_documented_in_openapi(client) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in (
        "/api/training/inbox",
        "/api/training/inbox/{item_id}/label",
        "/api/training/inbox/{item_id}/ignore",
        "/api/training/export",
    ):
        assert path in paths
