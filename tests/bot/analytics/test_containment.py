"""Containment, by each rule, for hand-written conversations; journeys started and completed."""

from __future__ import annotations

from datetime import date

from bot.analytics.conversations import conversations_of
from bot.analytics.summary import Period, contained, summarize, summarize_by_day
from tests.bot.analytics.conversations import (
    HOUR,
    booking,
    ended_in_fallback,
    escalated_invoice,
    served_order_status,
)


def rows_of(**senders):
    return [row for sender, events in senders.items() for row in conversations_of(sender, events)]


def test_a_served_conversation_without_a_comeback_is_contained() -> None:
    [row] = rows_of(a=served_order_status(0))
    assert (row.channel, row.turns, row.customer_number) == ("website", 2, "K-100001")
    assert (row.journeys_started, row.journeys_completed) == (["order_status"], ["order_status"])
    assert contained(row, [row])


def test_an_escalated_conversation_is_not_contained() -> None:
    [row] = rows_of(b=escalated_invoice(0))
    assert row.escalated and row.escalation_reason is None
    assert not contained(row, [row])


def test_a_conversation_that_ends_in_a_fallback_is_not_contained() -> None:
    [row] = rows_of(c=ended_in_fallback(0))
    assert (row.fallbacks, row.ended_in_fallback, row.escalated) == (2, True, False)
    assert not contained(row, [row])


def test_coming_back_within_24_hours_with_the_same_topic_on_another_channel_is_not_contained() -> (
    None
):
    rows = rows_of(
        web=served_order_status(0),
        fb=served_order_status(23 * HOUR, channel="facebook"),
    )
    first, second = sorted(rows, key=lambda r: r.started_at)
    assert second.channel == "messenger"
    assert not contained(first, rows)
    assert contained(second, rows)


def test_coming_back_after_24_hours_or_with_another_topic_keeps_it_contained() -> None:
    late = rows_of(web=served_order_status(0), again=served_order_status(25 * HOUR))
    assert all(contained(row, late) for row in late)
    other_topic = rows_of(web=served_order_status(0), again=booking(2 * HOUR, number="K-100001"))
    assert all(contained(row, other_topic) for row in other_topic)


def test_an_unverified_customer_is_recognised_by_the_sender_id_only() -> None:
    same_sender = rows_of(
        anon=served_order_status(0, number=None) + served_order_status(HOUR, None)
    )
    assert len(same_sender) == 2
    first = min(same_sender, key=lambda r: r.started_at)
    assert not contained(first, same_sender)
    other_senders = rows_of(a=served_order_status(0, None), b=served_order_status(HOUR, None))
    assert all(contained(row, other_senders) for row in other_senders)


def test_the_summary_counts_journeys_rates_and_reasons() -> None:
    rows = rows_of(
        a=served_order_status(0),
        b=escalated_invoice(HOUR),
        c=ended_in_fallback(2 * HOUR),
        d=booking(3 * HOUR),
        e=booking(4 * HOUR, completed=False, number="K-100004"),
    )
    summary = summarize(rows, [], rows)
    assert summary["conversations"] == 5
    assert (summary["contained"], summary["containment_rate"]) == (3, 0.6)
    assert (summary["escalated"], summary["escalation_rate"]) == (1, 0.2)
    assert summary["fallback_rate"] == 0.2
    assert summary["escalations_by_reason"] == {"unknown": 1}
    assert summary["journeys"] == {
        "book_appointment": {"started": 2, "completed": 1},
        "dealer_info": {"started": 1, "completed": 1},
        "invoice_question": {"started": 1, "completed": 1},
        "order_status": {"started": 1, "completed": 1},
    }
    assert summary["csat_average"] is None and summary["csat_count"] == 0


def test_days_are_berlin_calendar_days_and_empty_days_are_listed() -> None:
    rows = rows_of(a=served_order_status(14 * HOUR), b=served_order_status(15 * HOUR, "K-100009"))
    # 23.11. 09:00 UTC + 14 h = 23:00 UTC = 00:00 on the 24th in Berlin
    days = summarize_by_day(Period(date(2026, 11, 23), date(2026, 11, 25)), rows, [], rows)
    assert [(d["date"], d["conversations"]) for d in days] == [
        ("2026-11-23", 0),
        ("2026-11-24", 2),
        ("2026-11-25", 0),
    ]
