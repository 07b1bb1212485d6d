"""Brute force: failed checks count per customer number and per agent account/address.

The counts live in the CRM database, so neither a new conversation id, nor
another channel, nor a restarted server gives fresh guesses. Each test fails
when its limit is removed.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

import httpx
import pytest
from fastapi import FastAPI
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.services import Services
from actions.verification import ValidateVerificationForm
from bot.crm.db import create_crm_engine
from bot.crm.local_client import LocalCRMClient
from bot.crm.service import CRMService
from bot.crm.service.attempts import VERIFICATION_LIMIT
from bot.escalation.agents import AgentDirectory
from bot.escalation.auth import hash_password, needs_rehash
from bot.escalation.errors import LoginThrottled
from bot.escalation.models import Agent, AuditEntry
from bot.verification import Outcome, check_identity
from tests.e2e.chat import Chat, crm_history
from tests.support.agents import create_agent

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)


class Clock:
    """A clock the test moves."""

    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def crm(crm_service_local: CRMService, clock: Clock) -> CRMService:
    """The seeded CRM with a clock the test moves."""
    return CRMService(crm_service_local.session_factory, clock=clock)


# --- verification: per customer number, across conversations ------------------


def test_five_failures_lock_the_number_for_an_hour_even_for_the_right_postal_code(
    crm: CRMService, clock: Clock
) -> None:
    for wrong in ("80000", "80001", "80002", "80003"):
        assert crm.verify_customer("K-100004", wrong).locked_until is None
    fifth = crm.verify_customer("k100004", "80004")  # any spelling counts for the same number
    assert not fifth.verified and fifth.locked_until == datetime(2026, 11, 23, 10, 0)
    right = crm.verify_customer("K-100004", "8001")
    assert not right.verified and right.locked_until is not None
    clock.now += timedelta(minutes=59)
    assert not crm.verify_customer("K-100004", "8001").verified
    clock.now += timedelta(minutes=2)
    assert crm.verify_customer("K-100004", "8001").verified


def test_the_lock_is_in_the_customers_history_for_agents(crm: CRMService) -> None:
    for attempt in range(VERIFICATION_LIMIT.max_failures):
        crm.verify_customer("K-100004", f"9{attempt:04d}")
    latest = crm.list_interactions("K-100004")[0]
    assert latest.topic == "verification_locked"
    assert "gesperrt" in latest.summary


def test_unknown_numbers_lock_the_same_way(crm: CRMService) -> None:
    """Locking says nothing about whether a number exists."""
    answers = [crm.verify_customer("K-999997", "80331") for _ in range(6)]
    assert [a.locked_until is not None for a in answers] == [False] * 4 + [True] * 2


def test_a_success_clears_the_count(crm: CRMService) -> None:
    for wrong in ("80000", "80001", "80002", "80003"):
        crm.verify_customer("K-100004", wrong)
    assert crm.verify_customer("K-100004", "8001").verified
    for wrong in ("80000", "80001", "80002", "80003"):
        assert crm.verify_customer("K-100004", wrong).locked_until is None


async def test_the_action_explains_the_lock_and_ends_the_verification(crm: CRMService) -> None:
    client = LocalCRMClient(crm)
    for attempt in range(VERIFICATION_LIMIT.max_failures):
        await client.verify_customer("K-100004", f"9{attempt:04d}")
    assert (await check_identity(client, "K-100004", "8001")).outcome is Outcome.LOCKED
    tracker = Tracker(
        "conv-locked",
        {"customer_number": "K-100004", "postal_code": "8001", "requested_slot": "postal_code",
         "verification_failures": 0.0},
        {"intent": {"name": "inform"}, "entities": [], "text": "8001"},
        [], False, None, {"name": "verification_form"}, "action_listen",
    )  # fmt: skip
    dispatcher = CollectingDispatcher()
    services = Services(crm_factory=lambda: client)
    events = await ValidateVerificationForm(services).run(dispatcher, tracker, {"slots": {}})
    assert [m["response"] for m in dispatcher.messages] == ["utter_verification_number_locked"]
    slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert slots["verification_failures"] == 3  # the conversation is locked too: a human helps
    assert "verified_customer_number" not in slots


@pytest.mark.model
@pytest.mark.e2e
def test_new_conversations_get_no_fresh_guesses(rasa_server, crm_server) -> None:
    """Five conversations, one wrong postal code each: the sixth is refused the right one."""
    number, postal_code = _a_generated_customer(crm_server)
    for attempt in range(VERIFICATION_LIMIT.max_failures):
        answer = Chat(rasa_server).verify(number, f"0{attempt:04d}")
        assert "nicht bestätigen" in answer.text
    chat = Chat(rasa_server)
    locked = chat.verify(number, postal_code)
    assert "zu viele fehlgeschlagene Prüfungen" in locked.text
    assert "für eine Stunde gesperrt" in locked.text
    assert chat.slot("verified_customer_number") is None
    assert crm_history(crm_server, number)[0]["topic"] == "verification_locked"


def _a_generated_customer(crm_server) -> tuple[str, str]:
    """A customer no other test verifies with (from the generated population)."""
    engine = create_crm_engine(f"sqlite:///{crm_server.database}")
    try:
        with engine.connect() as connection:
            row = connection.exec_driver_sql(
                "SELECT customer_number, postal_code FROM customers "
                "WHERE customer_number > 'K-100005' ORDER BY customer_number DESC LIMIT 1"
            ).one()
    finally:
        engine.dispose()
    return str(row[0]), str(row[1])


# --- agent login: per account and per client address ----------------------------


@pytest.fixture
def agents(crm: CRMService, clock: Clock) -> AgentDirectory:
    directory = AgentDirectory(crm.session_factory, clock)
    directory.create_agent("keller", "geheim-genug-1", "Frau Keller")
    return directory


def test_five_wrong_passwords_throttle_the_account(agents: AgentDirectory, clock: Clock) -> None:
    for _ in range(5):
        assert agents.authenticate("keller", "falsch-falsch", "10.0.0.1") is None
    with pytest.raises(LoginThrottled) as throttled:  # even the right password, from anywhere
        agents.authenticate("keller", "geheim-genug-1", "10.0.0.2")
    assert 0 < throttled.value.retry_after_seconds <= 15 * 60 + 1
    clock.now += timedelta(minutes=16)
    assert agents.authenticate("keller", "geheim-genug-1", "10.0.0.2") is not None


def test_many_accounts_from_one_address_throttle_the_address(
    agents: AgentDirectory, crm: CRMService
) -> None:
    for attempt in range(20):
        assert agents.authenticate(f"user{attempt}", "falsch-falsch", "10.0.0.9") is None
    with pytest.raises(LoginThrottled):
        agents.authenticate("keller", "geheim-genug-1", "10.0.0.9")
    assert agents.authenticate("keller", "geheim-genug-1", "10.0.0.10") is not None
    with crm.session_factory() as session:
        actions = [a.action for a in session.query(AuditEntry).order_by(AuditEntry.id)]
    assert "login_throttled" in actions


async def test_the_login_api_answers_429_with_retry_after(feature_app: FastAPI) -> None:
    transport = httpx.ASGITransport(app=feature_app, client=("192.0.2.7", 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://desk.test") as client:
        body = {"username": "keller", "password": "falsch-falsch"}
        statuses = [(await client.post("/api/auth/login", json=body)).status_code for _ in range(6)]
        assert statuses == [401] * 5 + [429]
        refused = await client.post(
            "/api/auth/login", json={"username": "keller", "password": "geheim-genug-1"}
        )
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0


@pytest.fixture
def feature_app(crm: CRMService, clock: Clock) -> Iterator[FastAPI]:
    from bot.escalation.wiring import EscalationFeature
    from tests.bot.escalation.conftest import SERVICE_TOKEN, settings

    feature = EscalationFeature.create(settings(), crm, SERVICE_TOKEN, clock)
    feature.agents.create_agent("keller", "geheim-genug-1", "Frau Keller")
    app = FastAPI()
    feature.install(app)
    yield app


@pytest.mark.e2e
def test_the_running_service_throttles_an_account(crm_server) -> None:
    create_agent(crm_server, "bruteforce-target", "richtig-geheim-1", "Frau Ziel")
    login = f"{crm_server.url}/api/auth/login"
    for _ in range(5):
        wrong = {"username": "bruteforce-target", "password": "falsch-falsch"}
        assert httpx.post(login, json=wrong, timeout=10).status_code == 401
    right = {"username": "bruteforce-target", "password": "richtig-geheim-1"}
    assert httpx.post(login, json=right, timeout=10).status_code == 429


# --- password hashing --------------------------------------------------------------


def test_passwords_are_hashed_with_owasp_parameters() -> None:
    stored = hash_password("geheim-genug-1")
    scheme, n, r, p, _salt, _digest = stored.split("$")
    assert (scheme, int(n), int(r), int(p)) == ("scrypt", 2**14, 8, 5)
    assert not needs_rehash(stored)


def test_an_old_hash_still_verifies_and_is_upgraded_at_login(
    agents: AgentDirectory, crm: CRMService
) -> None:
    import hashlib
    import secrets

    salt = secrets.token_bytes(16)
    old_digest = hashlib.scrypt(b"alt-aber-gut-1", salt=salt, n=2**14, r=8, p=1, dklen=32)
    old = f"scrypt${2**14}$8$1${salt.hex()}${old_digest.hex()}"
    with crm.session_factory() as session, session.begin():
        session.query(Agent).filter_by(username="keller").update({"password_hash": old})
    assert needs_rehash(old)
    assert agents.authenticate("keller", "alt-aber-gut-1") is not None
    with crm.session_factory() as session:
        upgraded = session.query(Agent).filter_by(username="keller").one().password_hash
    assert upgraded != old and not needs_rehash(upgraded)
    assert agents.authenticate("keller", "alt-aber-gut-1") is not None
