"""`make nlu-inbox`: labelled items into data/nlu/inbox/<date>.yml, without copies, with a diff."""

from __future__ import annotations

from rasa.shared.nlu.training_data.loading import load_data

from bot.training.collector import InboxCollector
from bot.training.export_inbox import main
from bot.training.schemas import Label
from tests.bot.training.events import T0, conversation


def test_labelled_items_are_exported_once_and_never_test_sentences(
    feature, training, tmp_path, capsys
) -> None:
    trainer = feature.agents.create_agent("lorenz", "geheim-genug-2")
    collector = InboxCollector(training.inbox, settle_seconds=30)
    for event in conversation():
        collector.feed("conv-1", event)
    collector.flush(T0 + 100)
    for item in training.inbox.list_items():
        intent = {"I": "account_help", "k": "cancel_appointment", "d": "give_feedback"}
        training.inbox.label(item.id, Label(intent=intent[item.text[0]]), agent_id=trainer.id)
    data = tmp_path / "data" / "nlu"
    data.mkdir(parents=True)
    (data / "feedback.yml").write_text(
        'version: "3.1"\nnlu:\n- intent: give_feedback\n  examples: |\n'
        "    - Des war nix, Anna Schmidt hier!\n"
    )
    arguments = ["--data", str(data), "--tests", "tests/nlu"]
    arguments += ["--database", f"sqlite:///{tmp_path / 'crm.db'}"]
    assert main(arguments) == 0
    out = capsys.readouterr().out
    assert "3 labelled in the workbench, 1 exported" in out
    assert "left out 1: in a held-out test set" in out  # "kannst du den termin canceln pls"
    assert "left out 1: in the training data already" in out
    assert "+    - I find de Login nöd, K-000000" in out  # the diff
    (exported,) = (data / "inbox").glob("*.yml")
    examples = load_data(str(exported)).intent_examples
    assert [(e.get("text"), e.get("intent")) for e in examples] == [
        ("I find de Login nöd, K-000000", "account_help")
    ]
    assert main(arguments) == 0
    assert ">> unchanged" in capsys.readouterr().out
