"""The action server answers only the Rasa server (ACTION_SERVER_TOKEN), on loopback only.

Scenario of issue 13: one hand-made ``POST /webhook`` with a tracker whose
slots say "verified K-100001, change the e-mail, confirmed" rewrote Anna
Schmidt's e-mail address in the CRM.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.chat import Chat, crm_customer
from tests.support.processes import ACTION_SERVER_TEST_TOKEN

pytestmark = [pytest.mark.e2e]

ATTACKER_EMAIL = "angreifer@example.org"


def contact_change_call(number: str, email: str) -> dict[str, Any]:
    """The crafted call of the issue: "verified", confirmed, the new e-mail in the slots."""
    slots = {
        "verified_customer_number": number,
        "verification_method": "postal_code",
        "contact_field": "email",
        "new_email": email,
        "contact_change_confirmed": True,
    }
    return {
        "next_action": "action_submit_contact_change",
        "sender_id": "attacker",
        "version": "3.6.21",
        "domain": {},
        "tracker": {
            "sender_id": "attacker",
            "slots": slots,
            "latest_message": {"text": "ja", "intent": {"name": "affirm"}, "entities": []},
            "events": [],
            "paused": False,
            "latest_event_time": None,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": "action_listen",
            "latest_input_channel": "rest",
        },
    }


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer wrong-token"},
        {"Authorization": f"Basic {ACTION_SERVER_TEST_TOKEN}"},
        {"Authorization": "Bearer"},
    ],
    ids=["none", "wrong", "not-bearer", "empty"],
)
def test_a_crafted_call_without_the_token_is_refused_and_changes_nothing(
    action_server, crm_server, headers: dict[str, str]
) -> None:
    before = crm_customer(crm_server, "K-100001")["customer"]["email"]
    answer = httpx.post(
        f"{action_server.url}/webhook",
        json=contact_change_call("K-100001", ATTACKER_EMAIL),
        headers=headers,
        timeout=10,
    )
    assert answer.status_code == 401
    assert answer.json() == {"error": "unauthorized"}
    assert crm_customer(crm_server, "K-100001")["customer"]["email"] == before != ATTACKER_EMAIL


def test_the_action_list_needs_the_token_too(action_server) -> None:
    assert httpx.get(f"{action_server.url}/actions", timeout=10).status_code == 401
    listed = httpx.get(
        f"{action_server.url}/actions",
        headers={"Authorization": f"Bearer {ACTION_SERVER_TEST_TOKEN}"},
        timeout=10,
    )
    assert listed.status_code == 200
    assert {"name": "action_submit_contact_change"} in listed.json()


def test_health_stays_open_for_monitoring(action_server) -> None:
    assert httpx.get(f"{action_server.url}/health", timeout=10).json() == {"status": "ok"}


def test_rasa_presents_the_token_so_custom_actions_run(rasa_server) -> None:
    # the verification and the personal greeting are custom actions reading the CRM
    assert "Frau Schmidt" in Chat(rasa_server).verify("K-100001", "80331").text


def test_a_failing_call_is_answered_without_the_request(action_server) -> None:
    marker = "Anna.Schmidt-K-100001@example.de"
    call = {"next_action": "action_submit_contact_change", "sender_id": marker, "note": marker}
    answer = httpx.post(  # no "tracker": the executor fails
        f"{action_server.url}/webhook",
        json=call,
        headers={"Authorization": f"Bearer {ACTION_SERVER_TEST_TOKEN}"},
        timeout=10,
    )
    assert answer.status_code == 500
    assert answer.json() == {"error": "internal error"}
    assert marker not in answer.text
    assert marker not in action_server.log()


def listening_addresses(port: int) -> set[str]:
    """Local IPv4/IPv6 addresses with a socket listening on ``port`` (from /proc/net/tcp*)."""
    addresses = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        path = Path(table)
        if not path.exists():
            continue
        for line in path.read_text().splitlines()[1:]:
            fields = line.split()
            address, port_hex = fields[1].rsplit(":", 1)
            if int(port_hex, 16) == port and fields[3] == "0A":  # LISTEN
                addresses.add(address)
    return addresses


def test_the_action_server_listens_on_loopback_only(action_server) -> None:
    port = int(action_server.url.rsplit(":", 1)[1])
    addresses = listening_addresses(port)
    if not addresses:
        pytest.skip("/proc/net/tcp is not readable here")
    assert addresses == {"0100007F"}  # 127.0.0.1, not 00000000 (every interface)
