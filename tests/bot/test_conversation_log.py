import logging
from datetime import datetime, timezone

import pytest

from bot.conversation_log import (
    Conversation,
    ConversationLog,
    channel_for,
    conversation_id_for,
    summary_for,
)
from bot.crm.enums import Channel
from bot.crm.errors import CRMUnavailable
from bot.topics import IDENTIFIED

CONVERSATION = Conversation("web-123@20261123T090000Z", Channel.CHAT)


class FlakyCRM:
    """The real CRM behind a connection that fails the first ``failures`` writes."""

    def __init__(self, crm, failures: int) -> None:
        self.crm, self.failures, self.calls = crm, failures, 0

    async def record_interaction(self, customer_number, interaction):
        self.calls += 1
        if self.calls <= self.failures:
            raise CRMUnavailable("connection refused")
        return await self.crm.record_interaction(customer_number, interaction)


def chat_entries(crm_service, number: str = "K-100001"):
    return [e for e in crm_service.list_interactions(number) if e.conversation_id]


async def test_a_topic_is_written_with_channel_summary_and_conversation(
    local_crm, crm_service_local
) -> None:
    log = ConversationLog(local_crm)
    assert log.submit("K-100001", CONVERSATION, "order_status")
    await log.drain()
    [entry] = chat_entries(crm_service_local)
    assert entry.channel is Channel.CHAT
    assert entry.topic == "order_status"
    assert entry.summary == "Digitaler Assistent: Frage zum Stand einer Bestellung"
    assert entry.conversation_id == CONVERSATION.conversation_id


async def test_each_topic_is_written_once_per_conversation(local_crm, crm_service_local) -> None:
    log = ConversationLog(local_crm)
    log.submit("K-100001", CONVERSATION, IDENTIFIED, verification_method="postal_code")
    log.submit("K-100001", CONVERSATION, "order_status", logged=[IDENTIFIED])
    assert log.submit("K-100001", CONVERSATION, "order_status", logged=[IDENTIFIED, "order_status"])
    await log.drain()
    known = crm_service_local.list_interactions("K-100001")
    # the tracker forgot what it logged (say, the action's answer was lost): the CRM knows
    assert log.submit("K-100001", CONVERSATION, "order_status", known=known)
    await log.drain()
    entries = chat_entries(crm_service_local)
    assert sorted(e.topic for e in entries) == ["identified", "order_status"]
    assert {e.summary for e in entries if e.topic == IDENTIFIED} == {
        "Digitaler Assistent: Identität bestätigt (Kundennummer und Postleitzahl)"
    }
    # another conversation of the same customer gets its own entries
    other = Conversation("web-123@20261124T090000Z", Channel.CHAT)
    log.submit("K-100001", other, "order_status", known=known)
    await log.drain()
    assert len(chat_entries(crm_service_local)) == 3


async def test_topics_the_history_does_not_record_are_refused(local_crm, crm_service_local) -> None:
    log = ConversationLog(local_crm)
    assert not log.submit("K-100001", CONVERSATION, "greet")
    assert not log.submit("K-100001", CONVERSATION, "dealer_info")
    await log.drain()
    assert chat_entries(crm_service_local) == []


async def test_an_unavailable_crm_is_retried(local_crm, crm_service_local) -> None:
    flaky = FlakyCRM(local_crm, failures=2)
    log = ConversationLog(flaky, attempts=3, retry_pause=0.01)  # type: ignore[arg-type]
    log.submit("K-100002", CONVERSATION, "complaint")
    await log.drain()
    assert flaky.calls == 3
    assert [e.topic for e in chat_entries(crm_service_local, "K-100002")] == ["complaint"]


async def test_a_crm_down_for_good_is_given_up_with_a_log_line(
    local_crm, crm_service_local, caplog: pytest.LogCaptureFixture
) -> None:
    flaky = FlakyCRM(local_crm, failures=99)
    log = ConversationLog(flaky, attempts=2, retry_pause=0.01)  # type: ignore[arg-type]
    with caplog.at_level(logging.WARNING):
        log.submit("K-100002", CONVERSATION, "complaint")
        await log.drain()
    assert flaky.calls == 2
    assert "given up" in caplog.text
    assert chat_entries(crm_service_local, "K-100002") == []


async def test_an_unknown_customer_is_refused_not_retried(
    local_crm, caplog: pytest.LogCaptureFixture
) -> None:
    log = ConversationLog(local_crm, retry_pause=0.01)
    with caplog.at_level(logging.WARNING):
        log.submit("K-999999", CONVERSATION, "complaint")
        await log.drain()
    assert "refused" in caplog.text


def test_a_conversation_is_a_session_of_a_sender() -> None:
    started = datetime(2026, 11, 23, 9, 0, 5, tzinfo=timezone.utc)
    assert conversation_id_for("abc", started) == "abc@20261123T090005Z"
    assert conversation_id_for("abc") == "abc"
    assert len(conversation_id_for("x" * 300, started)) == 100


def test_channels() -> None:
    assert channel_for("facebook") is Channel.MESSENGER
    assert channel_for("socketio") is Channel.CHAT
    assert channel_for("rest") is Channel.CHAT
    assert channel_for(None) is Channel.CHAT


def test_summaries() -> None:
    assert summary_for(IDENTIFIED, "customer_token").endswith("(Anmeldung auf der Website)")
    assert summary_for("data_privacy") == "Digitaler Assistent: Anliegen zum Datenschutz"
    with pytest.raises(KeyError):
        summary_for("greet")


def test_a_conversation_id_reads_back_into_sender_and_session_start() -> None:
    from datetime import datetime, timezone

    from bot.conversation_log import conversation_id_for, parse_conversation_id

    start = datetime(2026, 11, 23, 9, 0, 5, tzinfo=timezone.utc)
    assert parse_conversation_id(conversation_id_for("fb-42", start)) == ("fb-42", start)
    assert parse_conversation_id("web-1") == ("web-1", None)
    assert parse_conversation_id("kunde@example.com") == ("kunde@example.com", None)
