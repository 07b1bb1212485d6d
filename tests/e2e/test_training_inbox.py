"""End to end: what real conversations with the real model leave in the trainers' inbox.

The bot service of the e2e suite reads the Rasa server's tracker store, as
in the embedded default. A message the model cannot read lands in the inbox,
masked, with the model's guesses; the inbox is printed (run with ``-s``) so
one can see what the conversation tests of the whole session left there.
"""

from __future__ import annotations

import time

import httpx
import pytest

from tests.e2e.chat import Chat
from tests.support.agents import agent_token, create_agent

pytestmark = [pytest.mark.model, pytest.mark.e2e]

PASSWORD = "Trainer-Passwort-2026"


def inbox(crm_server, token: str) -> list[dict]:
    response = httpx.get(
        f"{crm_server.url}/api/training/inbox",
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    response.raise_for_status()
    return list(response.json())


def test_a_message_the_model_cannot_read_lands_in_the_inbox_masked(rasa_server, crm_server) -> None:
    create_agent(crm_server, "trainer-e2e", PASSWORD, "Frau Trainerin", "trainer")
    token = agent_token(crm_server, "trainer-e2e", PASSWORD)
    chat = Chat(rasa_server)
    chat.say("blorp fnord quibble zzyzx, meine Nummer ist K-100001")
    chat.say("Ich möchte mit einem Menschen sprechen")
    masked = "blorp fnord quibble zzyzx, meine Nummer ist K-000000"
    for _ in range(120):  # the bot service reads the tracker store every few seconds
        found = [item for item in inbox(crm_server, token) if item["text"] == masked]
        if found:
            break
        time.sleep(0.5)
    else:
        raise AssertionError("the message did not reach the inbox")
    (item,) = found
    assert item["reason"] in {
        "nlu_fallback",
        "low_confidence",
        "human",
    }  # "human": the next message
    assert item["conversation_id"] and item["channel"] == "rest"
    assert 1 <= len(item["predictions"]) <= 3
    assert all("100001" not in i["text"] for i in inbox(crm_server, token))
    print("\ninbox after the conversation tests so far:")
    for entry in inbox(crm_server, token):
        guess = entry["predictions"][0]["intent"] if entry["predictions"] else "-"
        print(f"  {entry['count']}x {entry['reason']:15} {guess:22} {entry['text']}")
