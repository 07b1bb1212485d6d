"""The escalation service over the real (seeded SQLite) CRM: context package, idempotency, queue."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from bot.escalation.errors import EscalationConflict
from bot.escalation.schemas import EscalationIntake
from tests.bot.escalation.conftest import T0, invoice_conversation, user


def intake(conversation: str = "conv-1", **extra) -> EscalationIntake:
    values = {
        "conversation_id": conversation,
        "reason": "customer_request",
        "verified_customer_number": "K-100001",
        "claimed_customer_number": "K-100001",
        "channel": "socketio",
        "events": invoice_conversation(),
    }
    values.update(extra)
    return EscalationIntake(**values)


def agent(feature, name: str = "keller") -> int:
    return feature.agents.create_agent(name, "geheim-genug-1", f"Frau {name.title()}").id


def test_the_context_package_is_complete_for_a_verified_customer(feature) -> None:
    receipt = feature.service.open_escalation(intake(case_number="C-2000001"))
    assert receipt.created and receipt.ticket_number == f"E-{receipt.escalation_id:06d}"
    package = feature.service.get_escalation(receipt.escalation_id)

    assert (package.conversation_id, package.channel, package.status) == (
        "conv-1",
        "website",
        "open",
    )
    assert (package.reason, package.reason_text) == (
        "customer_request",
        "Kunde möchte mit einem Menschen sprechen",
    )
    assert package.priority == "normal"
    assert package.case_number == "C-2000001"
    customer = package.customer
    assert (customer.customer_number, customer.verified, customer.name) == (
        "K-100001",
        True,
        "Frau Anna Schmidt",
    )
    assert (customer.tier, str(customer.customer_since)) == ("Gold", "2004-03-15")
    assert customer.vehicles[0]["model"] == "Aurora Touring"
    assert customer.vehicles[0]["plate"] == "M-AS 2004"
    assert [o["order_number"] for o in customer.open_orders] == ["B-20250001"]
    assert customer.recent_interactions[0]["summary"] == "Inspektion durchgeführt"
    assert package.intents[0] == {
        "intent": "invoice_question",
        "confidence": 0.93,
        "text": "Ich habe eine Frage zu meiner Rechnung R-20250100",
        "timestamp": package.intents[0]["timestamp"],
    }
    assert [i["intent"] for i in package.intents][-1] == "request_human"
    assert {"entity": "invoice_number", "value": "R-20250100"} in package.entities
    assert package.slots["verified_customer_number"] == "K-100001"
    assert package.slots["requested_intent"] == "invoice_question"
    assert "action_remember_request" in [a["action"] for a in package.bot_actions]
    roles = [line.role for line in package.transcript]
    assert roles[:2] == ["customer", "bot"] and roles.count("customer") == 5
    assert package.transcript[0].timestamp.timestamp() == pytest.approx(T0 + 1)
    assert package.topic == "invoice_question"
    assert package.summary.startswith("Thema: Frage zu einer Rechnung.")
    assert "Rechnungsnummer R-20250100" in package.summary
    assert "Frau Anna Schmidt (K-100001, Gold, verifiziert)" in package.summary
    assert "„Die Rechnung ist viel zu hoch" in package.summary
    assert "Fall C-2000001" in package.summary
    assert (package.queue_position, package.mode) == (1, "ticket")  # nobody logged in yet
    trail = feature.service.audit_trail(receipt.escalation_id)
    assert [entry["action"] for entry in trail] == ["escalation_created"]


def test_an_unverified_customer_is_marked_and_gets_no_profile(feature) -> None:
    receipt = feature.service.open_escalation(
        intake(verified_customer_number=None, claimed_customer_number="K-100002")
    )
    customer = feature.service.get_escalation(receipt.escalation_id).customer
    assert (customer.customer_number, customer.verified, customer.note) == (
        "K-100002",
        False,
        "nicht verifiziert",
    )
    assert customer.name is None and customer.vehicles == []


def test_three_quick_requests_give_exactly_one_escalation(feature) -> None:
    events = invoice_conversation()
    receipts = [
        feature.service.open_escalation(
            intake(events=[*events, user("Mensch bitte!", "request_human", at=40 + i)])
        )
        for i in range(3)
    ]
    assert [r.created for r in receipts] == [True, False, False]
    assert len({r.escalation_id for r in receipts}) == 1
    assert len(feature.service.list_escalations("open")) == 1
    transcript = feature.service.get_escalation(receipts[0].escalation_id).transcript
    assert [line.text for line in transcript].count(
        "Mensch bitte!"
    ) == 3  # three messages, once each


def test_racing_requests_still_give_one_escalation(feature) -> None:
    with ThreadPoolExecutor(max_workers=4) as pool:
        receipts = list(
            pool.map(lambda _: feature.service.open_escalation(intake("race")), range(4))
        )
    assert sum(r.created for r in receipts) == 1
    assert len({r.escalation_id for r in receipts}) == 1


def test_a_more_urgent_reason_raises_the_priority_of_the_open_escalation(feature) -> None:
    first = feature.service.open_escalation(intake())
    feature.service.open_escalation(intake(reason="frustration"))
    package = feature.service.get_escalation(first.escalation_id)
    assert (package.reason, package.priority) == ("frustration", "high")


def test_the_queue_is_ordered_by_priority_then_age(feature, clock) -> None:
    ids = {}
    for conversation, reason in [
        ("a", "customer_request"),
        ("b", "breakdown_urgent"),
        ("c", "invoice_dispute"),
        ("d", "customer_request"),
    ]:
        ids[conversation] = feature.service.open_escalation(
            intake(conversation, reason=reason)
        ).escalation_id
        clock.advance(minutes=1)
    queue = feature.service.list_escalations("open")
    assert [e.conversation_id for e in queue] == ["b", "c", "a", "d"]
    assert [e.queue_position for e in queue] == [1, 2, 3, 4]
    assert feature.service.receipt(ids["d"], created=False).queue_position == 4


def test_live_mode_with_an_agent_online_and_a_wait_estimate(feature) -> None:
    feature.agents.create_agent("keller", "geheim-genug-1")
    assert feature.agents.authenticate("keller", "geheim-genug-1") is not None
    first = feature.service.open_escalation(intake("x"))
    second = feature.service.open_escalation(intake("y"))
    assert (first.mode, first.queue_position, first.wait_minutes) == ("live", 1, 6)
    assert (second.queue_position, second.wait_minutes, second.callback_due_at) == (2, 12, None)


def test_two_agents_cannot_claim_the_same_escalation(feature) -> None:
    escalation = feature.service.open_escalation(intake()).escalation_id
    keller, meier = agent(feature, "keller"), agent(feature, "meier")
    feature.service.claim(escalation, keller)
    with pytest.raises(EscalationConflict):
        feature.service.claim(escalation, meier)
    with pytest.raises(EscalationConflict):
        feature.service.resolve(escalation, meier, "erledigt", None)
    assert feature.service.get_escalation(escalation).claimed_by.username == "keller"


def test_concurrent_claims_have_one_winner(feature) -> None:
    escalation = feature.service.open_escalation(intake()).escalation_id
    agents = [agent(feature, f"agent{i}") for i in range(4)]

    def claim(agent_id: int) -> bool:
        try:
            feature.service.claim(escalation, agent_id)
            return True
        except EscalationConflict:
            return False

    with ThreadPoolExecutor(max_workers=4) as pool:
        assert sorted(pool.map(claim, agents)) == [False, False, False, True]


def test_a_resolved_conversation_can_escalate_again(feature) -> None:
    first = feature.service.open_escalation(intake()).escalation_id
    keller = agent(feature)
    feature.service.claim(first, keller)
    feature.service.resolve(first, keller, "Rechnung erklärt", "Kulanz angeboten")
    assert feature.service.covers_request("conv-1", T0 + 30)  # resolved after the request
    second = feature.service.open_escalation(intake())
    assert second.created and second.escalation_id != first
    resolved = feature.service.get_escalation(first)
    assert (resolved.status, resolved.resolution) == ("resolved", "Rechnung erklärt")
    assert [n.text for n in resolved.notes] == ["Kulanz angeboten"]


def test_a_request_nobody_recorded_is_not_covered(feature, clock) -> None:
    assert not feature.service.covers_request("nobody", clock().timestamp())


def test_a_failing_database_becomes_the_escalations_own_error(tmp_path) -> None:
    """Database errors are translated at the escalation's boundary (503 at the API)."""
    import pytest
    from sqlalchemy import create_engine
    from sqlalchemy.orm import sessionmaker

    from bot.escalation.errors import EscalationStoreUnavailable
    from bot.escalation.schemas import EscalationIntake
    from bot.escalation.service import EscalationService
    from tests.bot.escalation.conftest import settings

    engine = create_engine(f"sqlite:///{tmp_path / 'missing' / 'escalations.db'}")
    service = EscalationService(sessionmaker(bind=engine, future=True), settings())
    with pytest.raises(EscalationStoreUnavailable) as raised:
        service.open_escalation(EscalationIntake(conversation_id="c-1", events=[]))
    assert raised.value.status_code == 503
    assert "tmp" not in str(raised.value)  # the detail (paths, SQL) stays in the cause
    engine.dispose()
