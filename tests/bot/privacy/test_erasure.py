"""Erasing a demo customer, field by field in every store, on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.analytics.models import AnalyticsEvent, ConversationStat
from bot.crm.models import Case, Customer, Interaction, Invoice, Vehicle
from bot.escalation.models import (
    AuditEntry,
    Escalation,
    EscalationAttachment,
    EscalationMessage,
    EscalationNote,
)
from bot.escalation.tracker_sweeper import EVENTS
from bot.feedback.models import Feedback
from bot.privacy.erasers import ERASED
from bot.privacy.models import Erasure
from bot.privacy.service import UnknownCustomer
from bot.training.models import InboxItem, InboxSighting
from tests.bot.privacy.conftest import ANNA, ANNA_WEB, JULIA, JULIA_MESSENGER, JULIA_WEB, World


def tracker_events(world: World, sender: str) -> int:
    with world.tracker.connect() as connection:
        query = select(func.count()).select_from(EVENTS).where(EVENTS.c.sender_id == sender)
        return int(connection.execute(query).scalar_one())


def customer_row(world: World, number: str) -> Customer:
    with world.crm.session_factory() as session:
        return session.scalars(select(Customer).where(Customer.customer_number == number)).one()


def rows(world: World, query):
    with world.crm.session_factory() as session:
        return session.scalars(query).all()


def test_erasure_removes_the_customer_from_every_store_and_leaves_another_alone(world) -> None:
    anna_before = customer_row(world, ANNA)
    anna_tracker = tracker_events(world, ANNA_WEB)
    julia_invoices = rows(
        world, select(Invoice).join(Customer).where(Customer.customer_number == JULIA)
    )
    assert tracker_events(world, JULIA_WEB) and tracker_events(world, JULIA_MESSENGER)

    receipt = world.privacy.erase("k 100005", "cli")

    # the receipt: every store, what it erased, what is kept and why
    assert receipt["customer_number"] == JULIA and receipt["repeat"] is False
    assert receipt["conversations"] == 2
    erased = receipt["erased"]
    assert erased["tracker_store"] == {"conversations": 2, "events": 18}
    assert erased["escalations"] == {
        "escalations": 1,
        "transcript_lines": erased["escalations"]["transcript_lines"],
        "notes": 1,
    }
    assert erased["escalations"]["transcript_lines"] >= 4
    assert erased["feedback"] == {"ratings": 2, "comments": 1}
    assert erased["analytics"]["conversation_rows"] == 2
    assert erased["crm"]["customer"] == 1 and erased["crm"]["history_entries"] >= 2
    assert receipt["kept"] == {"crm": {"invoices": len(julia_invoices)}}

    # CRM: master data gone, invoices kept unchanged
    julia = customer_row(world, JULIA)
    assert (julia.first_name, julia.last_name, julia.salutation) == ("Gelöscht", "Gelöscht", "")
    assert (julia.email, julia.phone, julia.street, julia.postal_code, julia.city) == (
        "",
        "",
        "",
        "",
        "",
    )
    assert julia.preferred_workshop_id is None
    history = rows(world, select(Interaction).where(Interaction.customer_id == julia.id))
    assert history and all(
        (h.summary, h.details, h.conversation_id) == (ERASED, None, None) for h in history
    )
    cases = rows(world, select(Case).where(Case.customer_id == julia.id))
    assert all((c.subject, c.description) == (ERASED, "") for c in cases)
    invoices_after = rows(world, select(Invoice).where(Invoice.customer_id == julia.id))
    assert [(i.invoice_number, i.amount_eur, i.due_on) for i in invoices_after] == [
        (i.invoice_number, i.amount_eur, i.due_on) for i in julia_invoices
    ]

    # tracker store: both conversations gone
    assert tracker_events(world, JULIA_WEB) == 0
    assert tracker_events(world, JULIA_MESSENGER) == 0

    # escalation: anonymised, transcript and notes erased, statistics kept
    escalation = rows(
        world, select(Escalation).where(Escalation.id == world.escalation_ids[JULIA_MESSENGER])
    )[0]
    assert escalation.conversation_id.startswith("erased-")
    assert escalation.customer["customer_number"] is None and escalation.slots == {}
    assert escalation.summary == ERASED and escalation.reason_code
    assert escalation.claimed_at is not None
    lines = rows(
        world, select(EscalationMessage).where(EscalationMessage.escalation_id == escalation.id)
    )
    assert lines and {line.text for line in lines} == {ERASED}
    notes = rows(world, select(EscalationNote).where(EscalationNote.escalation_id == escalation.id))
    assert notes and {note.text for note in notes} == {ERASED}
    files = select(EscalationAttachment.escalation_id)
    assert rows(world, files) == [world.escalation_ids[ANNA_WEB]]  # Julia's photo is gone
    assert world.escalations.service.get_escalation(escalation.id).customer.verified is False

    # feedback: scores kept, comment and identity gone
    julia_feedback = rows(world, select(Feedback).where(Feedback.score == 2))
    assert [(f.comment, f.customer_number) for f in julia_feedback] == [(None, None)]
    assert julia_feedback[0].conversation_id.startswith("erased-")

    # analytics: counts survive, identities do not; the stripped events are gone
    stats = rows(world, select(ConversationStat).where(ConversationStat.erased.is_(True)))
    assert len(stats) == 2 and all(
        (s.sender_id, s.subject, s.customer_number) == (None, None, None) for s in stats
    )
    assert sorted(s.turns for s in stats) == [3, 4]
    leftover = rows(
        world,
        select(AnalyticsEvent).where(AnalyticsEvent.sender_id.in_([JULIA_WEB, JULIA_MESSENGER])),
    )
    assert leftover == []

    # training inbox: the masked texts stay as training data, the link to Julia goes
    assert erased["training_inbox"] == {"sightings": 2, "items_unlinked": 1}
    sightings = rows(world, select(InboxSighting))
    assert [s.conversation_id for s in sightings] == [ANNA_WEB]
    items = {i.text: i.conversation_id for i in rows(world, select(InboxItem))}
    assert items == {"wo bleibt mein [Auftrag] bitte": None, "des versteh i ned": ANNA_WEB}

    # the audit log and the register
    audit = rows(world, select(AuditEntry).where(AuditEntry.action == "privacy_erasure"))
    assert [a.details["customer_number"] for a in audit] == [JULIA]
    assert [e.customer_number for e in rows(world, select(Erasure))] == [JULIA]

    # Anna: untouched everywhere
    anna = customer_row(world, ANNA)
    assert (anna.first_name, anna.last_name, anna.email, anna.postal_code) == (
        anna_before.first_name,
        anna_before.last_name,
        anna_before.email,
        anna_before.postal_code,
    )
    assert tracker_events(world, ANNA_WEB) == anna_tracker
    anna_escalation = world.escalations.service.get_escalation(world.escalation_ids[ANNA_WEB])
    assert anna_escalation.conversation_id == ANNA_WEB
    assert anna_escalation.customer.customer_number == ANNA
    assert ERASED not in {line.text for line in anna_escalation.transcript}
    assert [
        f.comment for f in rows(world, select(Feedback).where(Feedback.customer_number == ANNA))
    ] == [None, "Sehr hilfreich"]
    anna_stats = rows(
        world, select(ConversationStat).where(ConversationStat.customer_number == ANNA)
    )
    assert len(anna_stats) == 1 and anna_stats[0].sender_id == ANNA_WEB
    anna_history = rows(
        world, select(Interaction).join(Customer).where(Customer.customer_number == ANNA)
    )
    assert ERASED not in {h.summary for h in anna_history}


def test_erasure_is_idempotent_and_audited_each_time(world) -> None:
    first = world.privacy.erase(JULIA, "agent:datenschutz")
    world.clock.advance(hours=1)
    second = world.privacy.erase(JULIA, "agent:datenschutz")
    assert second["repeat"] is True and second["first_erased_at"] == first["erased_at"]
    assert second["erased"]["tracker_store"] == {"conversations": 0, "events": 0}
    assert second["erased"]["crm"]["customer"] == 0
    assert second["erased"]["escalations"]["escalations"] == 0
    assert second["erased"]["feedback"] == {"ratings": 0, "comments": 0}
    audit = rows(world, select(AuditEntry).where(AuditEntry.action == "privacy_erasure"))
    assert [a.details["repeat"] for a in audit] == [False, True]
    assert len(rows(world, select(Erasure))) == 1


def test_a_conversation_after_the_erasure_is_erased_by_the_next_request(world) -> None:
    from tests.bot.privacy.conftest import order_chat, write_tracker_store

    world.privacy.erase(JULIA, "cli")
    write_tracker_store(
        world.tracker, {"web-julia-2": order_chat(JULIA, "10115", "socketio", at=7200)}
    )
    again = world.privacy.erase(JULIA, "cli")
    assert again["erased"]["tracker_store"]["conversations"] == 1
    assert tracker_events(world, "web-julia-2") == 0


def test_an_unknown_or_malformed_number_is_refused(world) -> None:
    import pytest

    for number in ("K-999999", "hallo", ""):
        with pytest.raises(UnknownCustomer):
            world.privacy.erase(number, "cli")


def test_invoices_are_kept_for_the_law_and_vehicles_lose_vin_and_plate(world) -> None:
    wagner = "K-100003"  # the demo customer with an overdue invoice
    query = select(Invoice).join(Customer).where(Customer.customer_number == wagner)
    before = [(i.invoice_number, i.amount_eur, i.issued_on, i.status) for i in rows(world, query)]
    receipt = world.privacy.erase(wagner, "cli")
    assert receipt["kept"] == {"crm": {"invoices": 1}}
    assert [
        (i.invoice_number, i.amount_eur, i.issued_on, i.status) for i in rows(world, query)
    ] == before
    customer = customer_row(world, wagner)
    assert customer.last_name == "Gelöscht"
    vehicles = rows(world, select(Vehicle).where(Vehicle.customer_id == customer.id))
    assert [(v.vin, v.plate, v.plate_normalized) for v in vehicles] == [
        (f"X{vehicles[0].id:016d}", None, None)
    ]
