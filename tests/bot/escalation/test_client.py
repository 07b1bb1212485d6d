"""The action server's client retries a briefly unavailable bot service, idempotently."""

from __future__ import annotations

import httpx
import pytest

from bot.escalation.client import EscalationClient, EscalationUnavailable
from bot.escalation.schemas import EscalationIntake
from bot.settings import Secret
from tests.bot.escalation.conftest import invoice_conversation


def intake() -> EscalationIntake:
    return EscalationIntake(conversation_id="retry", events=invoice_conversation())


async def test_retries_until_the_service_answers_and_creates_one_escalation(feature) -> None:
    attempts: list[str] = []

    def flaky(request: httpx.Request) -> httpx.Response:
        attempts.append(request.url.path)
        if len(attempts) == 1:
            raise httpx.ConnectError("refused", request=request)
        if len(attempts) == 2:
            return httpx.Response(503)
        # the service answers; a lost answer makes the client retry the same intake
        receipt = feature.service.open_escalation(EscalationIntake.parse_raw(request.content))
        return httpx.Response(201 if receipt.created else 200, content=receipt.json())

    client = EscalationClient(
        "http://bot", Secret("t"), retry_pause=0.01, transport=httpx.MockTransport(flaky)
    )
    receipt = await client.open_escalation(intake())
    again = await client.open_escalation(intake())
    await client.aclose()
    assert attempts == ["/api/internal/escalations"] * 4
    assert receipt.created and not again.created and receipt.escalation_id == again.escalation_id
    assert len(feature.service.list_escalations("open")) == 1


async def test_gives_up_within_its_time_limit() -> None:
    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    client = EscalationClient(
        "http://bot", Secret("t"), retry_pause=0.01, transport=httpx.MockTransport(down)
    )
    with pytest.raises(EscalationUnavailable):
        await client.open_escalation(intake())
    await client.aclose()
