"""Handoff requests the action server missed are recorded from Rasa's tracker store."""

from __future__ import annotations

import json

from sqlalchemy import create_engine, event

from bot.escalation.tracker_sweeper import EVENTS, TrackerStoreSweeper
from tests.bot.escalation.conftest import T0, invoice_conversation, slot


def tracker_store(path, conversations: dict[str, list[dict]], first_id: int | None = None) -> str:
    """A tracker store like Rasa's SQLTrackerStore writes it (table ``events``).

    ``first_id`` numbers the events from there, as a transaction that took
    its ids early but committed late.
    """
    url = f"sqlite:///{path}"
    engine = create_engine(url)
    EVENTS.metadata.create_all(engine)
    with engine.begin() as connection:
        for sender, events in conversations.items():
            connection.execute(
                EVENTS.insert(),
                [
                    {
                        **({"id": first_id + index} if first_id is not None else {}),
                        "sender_id": sender,
                        "type_name": e["event"],
                        "timestamp": e["timestamp"],
                        "intent_name": (e.get("parse_data") or {}).get("intent", {}).get("name"),
                        "action_name": e.get("name") if e["event"] == "action" else None,
                        "data": json.dumps(e),
                    }
                    for index, e in enumerate(events)
                ],
            )
    engine.dispose()
    return url


def test_a_missed_request_becomes_one_escalation_with_its_context(feature, tmp_path) -> None:
    events = invoice_conversation()[:-1]  # action_request_human never ran
    events.insert(-2, slot("handoff_reason", "invoice_dispute", 25))
    url = tracker_store(tmp_path / "tracker.db", {"lost": events, "young": invoice_conversation()})
    sweeper = TrackerStoreSweeper(url, feature.service, grace_seconds=3)
    # "young" was asked for 1 s ago: the action server still has time
    created = sweeper.sweep(now=T0 + 31)
    assert created == []
    created = sweeper.sweep(now=T0 + 60)
    assert len(created) == 2
    package = feature.service.get_escalation(created[0])
    assert (package.conversation_id, package.reason, package.priority) == (
        "lost",
        "invoice_dispute",
        "high",
    )
    assert package.customer.verified and package.customer.name == "Frau Anna Schmidt"
    assert package.transcript[0].text.startswith("Ich habe eine Frage zu meiner Rechnung")
    assert sweeper.sweep(now=T0 + 90) == []  # once only
    # a restarted bot service (new sweeper, same database) does not duplicate either
    assert TrackerStoreSweeper(url, feature.service).sweep(now=T0 + 120) == []
    sweeper.close()


def test_requests_the_action_recorded_are_left_alone(feature, tmp_path) -> None:
    from bot.escalation.schemas import EscalationIntake

    feature.service.open_escalation(
        EscalationIntake(conversation_id="done", events=invoice_conversation())
    )
    url = tracker_store(tmp_path / "tracker.db", {"done": invoice_conversation()})
    assert TrackerStoreSweeper(url, feature.service).sweep(now=T0 + 60) == []


def test_an_unreadable_tracker_store_is_no_failure(feature, tmp_path) -> None:
    assert (
        TrackerStoreSweeper(f"sqlite:///{tmp_path / 'missing.db'}", feature.service).sweep() == []
    )


def test_each_sweep_reads_only_the_events_written_since_the_last(feature, tmp_path) -> None:
    missed = invoice_conversation()[:-1]
    url = tracker_store(tmp_path / "tracker.db", {"first": missed})
    sweeper = TrackerStoreSweeper(url, feature.service, grace_seconds=3)
    statements: list[tuple[str, dict]] = []
    event.listen(
        sweeper._engine,
        "before_cursor_execute",
        lambda _c, _cur, sql, params, _ctx, _many: statements.append((sql, params)),
    )
    assert len(sweeper.sweep(now=T0 + 60)) == 1
    newest = len(missed)
    # requests written after a sweep are found by the next ones, once
    tracker_store(tmp_path / "tracker.db", {"later": missed})
    assert len(sweeper.sweep(now=T0 + 61)) == 1
    assert sweeper.sweep(now=T0 + 62) == []
    assert sweeper.sweep(now=T0 + 63) == []
    handoff_reads = [params for sql, params in statements if "action_name" in sql]
    # the first sweep reads from the start, later ones from the sweep before the last
    lower_bounds = [params[0] for params in handoff_reads]
    assert lower_bounds == [0, 0, newest, 2 * newest]
    sweeper.close()


def test_a_late_committed_request_still_in_its_grace_is_found_later(feature, tmp_path) -> None:
    url = tracker_store(tmp_path / "tracker.db", {"first": invoice_conversation()[:-1]})
    sweeper = TrackerStoreSweeper(url, feature.service, grace_seconds=3)
    assert len(sweeper.sweep(now=T0 + 60)) == 1
    # a later event is committed first and the sweeps settle past it
    tracker_store(tmp_path / "tracker.db", {"other": invoice_conversation()[:1]}, first_id=1000)
    assert sweeper.sweep(now=T0 + 131) == []
    # then a request with lower ids commits, asked for a moment ago: in its grace
    late = [{**e, "timestamp": e["timestamp"] + 100} for e in invoice_conversation()[:-1]]
    tracker_store(tmp_path / "tracker.db", {"late": late}, first_id=500)
    assert sweeper.sweep(now=T0 + 131) == []
    created = sweeper.sweep(now=T0 + 140)
    assert [feature.service.get_escalation(i).conversation_id for i in created] == ["late"]
    assert sweeper.sweep(now=T0 + 150) == []
    sweeper.close()


def test_the_sweeper_decides_the_reason_like_the_action(feature, tmp_path) -> None:
    """Frustration and a locked verification count for a missed request too."""
    from tests.bot.escalation.conftest import user

    angry = invoice_conversation()[:-1]
    angry[-3] = user(
        "Das ist doch Mist, ich will sofort einen Menschen", "express_frustration", at=30
    )
    locked = invoice_conversation()[:-1]
    locked.insert(-2, slot("verification_failures", 3.0, 25))
    url = tracker_store(tmp_path / "tracker.db", {"angry": angry, "locked": locked})
    sweeper = TrackerStoreSweeper(url, feature.service, grace_seconds=3)
    created = sweeper.sweep(now=T0 + 60)
    reasons = {
        feature.service.get_escalation(i).conversation_id: feature.service.get_escalation(i).reason
        for i in created
    }
    assert reasons == {"angry": "frustration", "locked": "verification_locked"}
    sweeper.close()
