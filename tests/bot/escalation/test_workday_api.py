"""The desk's working day over HTTP: canned answers, the customer's past, transfer, search."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from bot.escalation.roles import Role
from tests.bot.escalation.test_api import SERVICE, intake, login


@pytest.fixture
def client(feature) -> TestClient:
    app = FastAPI()
    feature.install(app)
    feature.agents.create_agent("keller", "geheim-genug-1", "Frau Keller")
    feature.agents.create_agent("meier", "geheim-genug-2", "Herr Meier")
    feature.agents.create_agent("chefin", "geheim-genug-3", "Frau Lind", roles=(Role.LEAD,))
    return TestClient(app)


def claim(client: TestClient, escalation: int, agent: dict[str, str]) -> dict:
    response = client.post(f"/api/escalations/{escalation}/claim", headers=agent)
    assert response.status_code == 200, response.text
    return response.json()


def resolve(client: TestClient, escalation: int, agent: dict[str, str], text: str) -> None:
    response = client.post(
        f"/api/escalations/{escalation}/resolve", json={"resolution": text}, headers=agent
    )
    assert response.status_code == 200, response.text


# --- canned answers ------------------------------------------------------------


def test_the_starter_set_is_filled_from_the_verified_customers_context(client) -> None:
    keller = login(client)
    shipped = client.get("/api/canned-responses", headers=keller).json()
    assert {"hallo", "rechnung", "termin", "danke", "verifizieren"} <= {
        c["shortcut"] for c in shipped
    }
    escalation = intake(client, case_number="C-2000017")["escalation_id"]
    filled = {
        c["shortcut"]: c
        for c in client.get(
            f"/api/escalations/{escalation}/canned-responses", headers=keller
        ).json()
    }
    assert filled["hallo"]["filled"].startswith("Guten Tag Frau Schmidt, hier ist")
    assert "Kundennummer K-100001" in filled["rechnung"]["filled"]
    assert "unter C-2000017." in filled["rechnung"]["filled"]
    assert filled["rechnung"]["missing"] == []
    assert "{" not in filled["termin"]["filled"]  # the preferred workshop


def test_an_unverified_customer_gets_no_personal_values(client) -> None:
    keller = login(client)
    escalation = intake(
        client, "conv-anon", verified_customer_number=None, claimed_customer_number="K-100002"
    )["escalation_id"]
    filled = {
        c["shortcut"]: c
        for c in client.get(
            f"/api/escalations/{escalation}/canned-responses", headers=keller
        ).json()
    }
    assert filled["hallo"]["filled"].startswith("Guten Tag, hier ist")
    assert filled["rechnung"]["missing"] == ["kundennummer", "fall"]
    assert "{kundennummer}" in filled["rechnung"]["filled"]
    assert client.get("/api/escalations/999/canned-responses", headers=keller).status_code == 404
    assert client.get(f"/api/escalations/{escalation}/canned-responses").status_code == 401


def test_only_leads_manage_canned_answers(client) -> None:
    keller, lead = login(client), login(client, "chefin", "geheim-genug-3")
    body = {"shortcut": "kulanz", "title": "Kulanz", "text": "{anrede}, wir kommen Ihnen entgegen."}
    refused = client.post("/api/canned-responses", json=body, headers=keller)
    assert refused.status_code == 403 and refused.json()["detail"] == "needs role lead"
    assert client.post("/api/canned-responses", json=body).status_code == 401
    created = client.post("/api/canned-responses", json=body, headers=lead)
    assert created.status_code == 201, created.text
    canned_id = created.json()["id"]
    assert client.post("/api/canned-responses", json=body, headers=lead).status_code == 409
    for wrong in (
        {**body, "shortcut": "mit leerzeichen"},
        {**body, "text": "Ihr Termin ist am {datum}."},
        {**body, "title": "  "},
        {**body, "extra": 1},
    ):
        assert client.post("/api/canned-responses", json=wrong, headers=lead).status_code == 422
    changed = client.put(
        f"/api/canned-responses/{canned_id}",
        json={**body, "text": "Wir kommen Ihnen gern entgegen."},
        headers=lead,
    )
    assert changed.status_code == 200
    assert changed.json()["text"] == "Wir kommen Ihnen gern entgegen."
    url = f"/api/canned-responses/{canned_id}"
    assert client.put(url, json=body, headers=keller).status_code == 403
    assert client.put("/api/canned-responses/9999", json=body, headers=lead).status_code == 404
    assert client.delete(f"/api/canned-responses/{canned_id}", headers=keller).status_code == 403
    assert client.delete(f"/api/canned-responses/{canned_id}", headers=lead).status_code == 204
    assert client.delete(f"/api/canned-responses/{canned_id}", headers=lead).status_code == 404
    shortcuts = {c["shortcut"] for c in client.get("/api/canned-responses", headers=keller).json()}
    assert "kulanz" not in shortcuts and "hallo" in shortcuts


# --- the customer's past -------------------------------------------------------


def test_a_verified_customer_brings_their_earlier_escalations_and_transcripts(client) -> None:
    keller = login(client)
    first = intake(client, "conv-old")["escalation_id"]
    claim(client, first, keller)
    client.post(
        f"/api/escalations/{first}/messages", json={"text": "Ich prüfe das."}, headers=keller
    )
    resolve(client, first, keller, "Gutschrift über 50,00 € veranlasst")
    stranger = intake(
        client, "conv-typed", verified_customer_number=None, claimed_customer_number="K-100001"
    )["escalation_id"]
    second = intake(client, "conv-new")["escalation_id"]

    detail = client.get(f"/api/escalations/{second}", headers=keller).json()
    past = detail["previous_escalations"]
    assert [p["id"] for p in past] == [first]  # not the unverified one that typed the number
    assert past[0]["resolution"] == "Gutschrift über 50,00 € veranlasst"
    assert past[0]["agent"]["username"] == "keller"
    assert past[0]["reason_text"]
    assert past[0]["transcript"][-2]["text"] == "Ich prüfe das."
    # a number the customer merely typed opens nobody's history
    assert (
        client.get(f"/api/escalations/{stranger}", headers=keller).json()["previous_escalations"]
        == []
    )


# --- transfer and release --------------------------------------------------------


def test_a_claimed_chat_goes_to_a_colleague_and_the_customer_is_told(client, rasa) -> None:
    keller, meier = login(client), login(client, "meier", "geheim-genug-2")
    escalation = intake(client)["escalation_id"]
    claim(client, escalation, keller)
    colleagues = client.get("/api/agents", headers=keller).json()
    assert {(c["username"], c["online"]) for c in colleagues} == {
        ("keller", True),
        ("meier", True),
        ("chefin", False),
    }
    moved = client.post(
        f"/api/escalations/{escalation}/transfer",
        json={"to_agent": "meier", "note": "Kulanz bis 50 € ist freigegeben"},
        headers=keller,
    )
    assert moved.status_code == 200, moved.text
    body = moved.json()
    assert body["claimed_by"]["username"] == "meier" and body["status"] == "claimed"
    assert body["notes"][-1]["text"] == "Übergeben an Herr Meier: Kulanz bis 50 € ist freigegeben"
    assert body["transcript"][-1]["text"].startswith("Herr Meier aus unserem Kundenservice")
    _path, _params, events = rasa.calls[-1]
    assert events[0] == {"event": "slot", "name": "agent_name", "value": "Herr Meier"}
    assert "Sie müssen nichts wiederholen" in events[1]["text"]
    # Meier can answer now, Keller cannot
    assert (
        client.post(
            f"/api/escalations/{escalation}/messages", json={"text": "Hallo"}, headers=keller
        ).status_code
        == 409
    )
    assert (
        client.post(
            f"/api/escalations/{escalation}/messages", json={"text": "Hallo"}, headers=meier
        ).status_code
        == 201
    )


def test_a_chat_released_to_the_queue_keeps_the_customers_messages(client, feature) -> None:
    keller, meier = login(client), login(client, "meier", "geheim-genug-2")
    escalation = intake(client)["escalation_id"]
    claim(client, escalation, keller)
    released = client.post(
        f"/api/escalations/{escalation}/transfer",
        json={"note": "Bitte jemand mit Kulanzrecht"},
        headers=keller,
    ).json()
    assert (released["status"], released["claimed_by"], released["queue_position"]) == (
        "open",
        None,
        1,
    )
    assert released["takeover_active"] is True
    forwarded = client.post(
        "/api/internal/takeover-messages",
        json={"conversation_id": "conv-1", "text": "Hallo, ist noch jemand da?"},
        headers=SERVICE,
    )
    assert forwarded.status_code == 202
    claim(client, escalation, meier)
    assert [e["action"] for e in feature.service.audit_trail(escalation)][-3:] == [
        "transfer",
        "claim",
        "takeover",
    ]


def test_transfers_are_refused_when_not_allowed(client) -> None:
    keller, meier = login(client), login(client, "meier", "geheim-genug-2")
    escalation = intake(client)["escalation_id"]
    url = f"/api/escalations/{escalation}/transfer"
    assert client.post(url, json={}, headers=keller).status_code == 409  # not claimed
    claim(client, escalation, keller)
    assert client.post(url, json={"to_agent": "meier"}, headers=meier).status_code == 409
    assert client.post(url, json={"to_agent": "keller"}, headers=keller).status_code == 409
    assert client.post(url, json={"to_agent": "niemand"}, headers=keller).status_code == 404
    assert client.post(url, json={"to": "x"}, headers=keller).status_code == 422
    assert client.post(url, json={}).status_code == 401


# --- search --------------------------------------------------------------------


def test_resolved_escalations_are_searched_and_paginated(client, clock) -> None:
    keller, meier = login(client), login(client, "meier", "geheim-genug-2")
    ids = []
    for number, (customer, agent) in enumerate(
        [("K-100001", keller), ("K-100002", meier), ("K-100001", meier)]
    ):
        escalation = intake(
            client,
            f"conv-{number}",
            verified_customer_number=customer,
            case_number=f"C-200001{number}",
            reason="invoice_dispute" if number != 1 else "customer_request",
        )["escalation_id"]
        claim(client, escalation, agent)
        resolve(client, escalation, agent, f"Fall {number} gelöst")
        ids.append(escalation)
        clock.advance(days=1)

    def search(**params) -> dict:
        response = client.get("/api/history/escalations", params=params, headers=keller)
        assert response.status_code == 200, response.text
        return response.json()

    assert [i["id"] for i in search()["items"]] == ids[::-1]  # newest first
    assert [i["id"] for i in search(customer_number="K-100001")["items"]] == [ids[2], ids[0]]
    assert [i["id"] for i in search(case_number="C-2000011")["items"]] == [ids[1]]
    assert [i["id"] for i in search(agent="meier")["items"]] == [ids[2], ids[1]]
    assert [i["id"] for i in search(reason="rechnung")["items"]] == [ids[2], ids[0]]
    day = (clock.now.date()).toordinal()
    from datetime import date

    second_day = date.fromordinal(day - 2).isoformat()
    assert [i["id"] for i in search(**{"from": second_day, "to": second_day})["items"]] == [ids[1]]
    page = search(per_page=2, page=2)
    assert (page["total"], page["pages"], [i["id"] for i in page["items"]]) == (3, 2, [ids[0]])
    assert (
        client.get("/api/history/escalations", params={"per_page": 500}, headers=keller).status_code
        == 422
    )
    assert client.get("/api/history/escalations").status_code == 401
