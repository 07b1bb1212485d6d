"""The collector judges each user message once its turn is over, and records it once."""

from __future__ import annotations

from bot.training.collector import InboxCollector
from bot.training.schemas import Reason, Status
from tests.bot.training.events import T0, conversation


def feed_all(collector: InboxCollector, sender: str, events: list[dict]) -> int:
    return sum(collector.feed(sender, event) for event in events)


def test_misread_messages_land_in_the_inbox_masked_with_reason_and_predictions(training) -> None:
    names = frozenset({"anna", "schmidt"})
    collector = InboxCollector(training.inbox, lambda: names, settle_seconds=30)
    recorded = feed_all(collector, "conv-1", conversation())
    recorded += collector.flush(T0 + 100)
    items = {item.text: item for item in training.inbox.list_items(Status.OPEN)}
    assert set(items) == {
        "I find de Login nöd, K-000000",
        "kannst du den termin canceln pls",
        "des war nix, Name Name hier",
    }
    assert recorded == 3
    fallback = items["I find de Login nöd, K-000000"]
    assert fallback.reason is Reason.NLU_FALLBACK
    assert [(p.intent, p.confidence) for p in fallback.predictions] == [
        ("inform", 0.31),
        ("account_help", 0.3),
    ]
    assert (fallback.conversation_id, fallback.channel, fallback.count) == ("conv-1", "rest", 1)
    assert items["kannst du den termin canceln pls"].reason is Reason.LOW_CONFIDENCE
    assert items["des war nix, Name Name hier"].reason is Reason.HUMAN
    # the conversation around it, masked; the greeting and the human request are not items
    turns = training.inbox.conversation(fallback.id).turns
    assert [t.text for t in turns if t.current] == ["I find de Login nöd, K-000000"]
    assert all("123456" not in t.text and "Schmidt" not in t.text for t in turns)


def test_reading_the_same_events_again_changes_nothing_and_the_same_text_counts(
    training,
) -> None:
    first = InboxCollector(training.inbox, settle_seconds=30)
    feed_all(first, "conv-1", conversation())
    first.flush(T0 + 100)
    again = InboxCollector(training.inbox, settle_seconds=30)  # a restart reads it all again
    assert feed_all(again, "conv-1", conversation()) + again.flush(T0 + 100) == 0
    other = InboxCollector(training.inbox, settle_seconds=30)
    shifted = [{**e, "timestamp": e["timestamp"] + 500} for e in conversation()]
    feed_all(other, "conv-2", shifted)
    other.flush(T0 + 700)
    item = next(i for i in training.inbox.list_items() if i.text.startswith("kannst du"))
    assert item.count == 2 and item.conversation_id == "conv-2"
    counts = training.inbox.intent_counts()
    assert counts["greet"][:2] == (2, 0)
    assert counts["inform"][:2] == (2, 2)  # predicted twice, both times to the fallback


def test_a_quiet_conversation_is_judged_only_after_the_settle_time(training) -> None:
    collector = InboxCollector(training.inbox, settle_seconds=30)
    feed_all(collector, "conv-1", conversation()[:7])  # the last message's turn is still open
    assert collector.flush(T0 + 12) == 0
    assert collector.flush(T0 + 60) == 1
    texts = [i.text for i in training.inbox.list_items()]
    assert "kannst du den termin canceln pls" in texts


def test_messages_to_an_agent_during_a_takeover_and_button_payloads_are_skipped(training) -> None:
    collector = InboxCollector(training.inbox, settle_seconds=30)
    events = [
        *conversation()[:3],
        {"event": "slot", "timestamp": T0 + 2, "name": "agent_takeover", "value": True},
        *conversation()[3:5],
    ]
    events.append({**conversation()[6], "text": "/affirm"})
    feed_all(collector, "conv-1", events)
    collector.flush(T0 + 100)
    assert training.inbox.list_items() == []
