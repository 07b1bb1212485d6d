"""The conversation corpus: customers' typed conversations and what each must achieve.

A conversation (``tests/conversations/corpus/<journey>.yml``) is a list of
typed messages - no button payloads - with placeholders for its customer
(``{number}``, ``{postal_code}``, ``{plate}`` ...; see
:mod:`tests.conversations.customers`) and the outcome it must reach:

``appointments_booked`` / ``appointments_cancelled`` / ``appointments_moved``
    how many of the customer's appointments were booked, cancelled or moved;
``cases``
    new cases by kind (``{complaint: 1}``: exactly one new complaint);
``escalations``
    escalations of the conversation; ``escalation_has`` lists customer
    messages the agent must find in the escalation's transcript;
``lead``
    a test-drive lead of the conversation with these fields (substrings);
``contact``
    the customer's master data afterwards (``{phone: "0171 ..."}``);
``says`` / ``last_says`` / ``never_says``
    substrings of some bot message / of the last answer / of none.

Every conversation must also never show the same bot message in three turns
in a row (a loop).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import yaml

from tests.conversations.customers import Customer, CustomerPicker, Snapshot
from tests.e2e.chat import REST_AUTH, customer_token

CORPUS_DIR = Path(__file__).parent / "corpus"
OUTCOMES = {
    "appointments_booked",
    "appointments_cancelled",
    "appointments_moved",
    "cases",
    "escalations",
    "escalation_has",
    "lead",
    "contact",
    "says",
    "last_says",
    "never_says",
}
LOOP_LENGTH = 3


@dataclass(frozen=True)
class Conversation:
    """One scripted customer conversation of the corpus."""

    id: str
    journey: str
    turns: list[str]
    expect: dict[str, Any]
    needs: list[str] = field(default_factory=list)
    login: str = "token"
    stuck_before: str | None = None

    @property
    def has_customer(self) -> bool:
        return self.login != "none"


def load_corpus(directory: Path = CORPUS_DIR) -> list[Conversation]:
    """Return every conversation of the corpus, checked for typos in its keys."""
    conversations: list[Conversation] = []
    for path in sorted(directory.glob("*.yml")):
        for raw in yaml.safe_load(path.read_text(encoding="utf-8"))["conversations"]:
            unknown = set(raw.get("expect", {})) - OUTCOMES
            assert not unknown, f"{path.name} {raw['id']}: unknown outcomes {unknown}"
            assert raw.get("login", "token") in {"token", "typed", "none"}, raw["id"]
            conversations.append(
                Conversation(
                    id=raw["id"],
                    journey=raw["journey"],
                    turns=[str(turn) for turn in raw["turns"]],
                    expect=raw.get("expect", {}),
                    needs=raw.get("needs", []),
                    login=raw.get("login", "token"),
                    stuck_before=raw.get("stuck_before"),
                )
            )
    ids = [c.id for c in conversations]
    assert len(ids) == len(set(ids)), "conversation ids must be unique"
    return conversations


@dataclass
class Outcome:
    """What happened in one run of a conversation."""

    conversation: Conversation
    customer: str | None
    transcript: list[tuple[str, list[str]]]
    failures: list[str]

    @property
    def reached_goal(self) -> bool:
        return not self.failures

    def render(self) -> str:
        lines = [f"### {self.conversation.id} ({self.customer or 'prospect'})"]
        for said, answers in self.transcript:
            lines.append(f"> {said}")
            lines.extend(f"  {answer}" for answer in answers)
        lines.extend(f"  !! {failure}" for failure in self.failures)
        return "\n".join(lines)


def run_conversation(conversation: Conversation, rasa_url: str, picker: CustomerPicker) -> Outcome:
    """Talk the conversation through the REST channel and check its outcome."""
    customer = picker.pick(conversation.needs) if conversation.has_customer else None
    sender = f"corpus-{conversation.id}-{uuid.uuid4().hex[:6]}"
    number = customer.number if customer else None
    before = picker.snapshot(number, sender)
    metadata = (
        {"customer_token": customer_token(customer.number)}
        if customer and conversation.login == "token"
        else None
    )
    transcript: list[tuple[str, list[str]]] = []
    with httpx.Client(timeout=30) as client:
        for turn in conversation.turns:
            said = fill(turn, customer)
            body: dict[str, Any] = {"sender": sender, "message": said}
            if metadata:
                body["metadata"] = metadata
            response = client.post(
                f"{rasa_url}/webhooks/rest/webhook", json=body, headers=REST_AUTH
            )
            assert response.status_code == 200, response.text
            transcript.append((said, [m.get("text") or "" for m in response.json()]))
    after = picker.snapshot(number, sender)
    failures = [*loops(transcript), *check(conversation, customer, transcript, before, after)]
    return Outcome(conversation, number, transcript, failures)


def fill(turn: str, customer: Customer | None) -> str:
    """Put the customer's data into a scripted message."""
    if customer is None:
        return turn
    return turn.format(**customer.fields)


def loops(transcript: list[tuple[str, list[str]]]) -> list[str]:
    """Return a failure for every bot message that came in LOOP_LENGTH turns in a row."""
    found: list[str] = []
    for index in range(len(transcript) - LOOP_LENGTH + 1):
        window = [set(filter(None, answers)) for _, answers in transcript[index : index + 3]]
        for message in set.intersection(*window):
            failure = f"loop: said {LOOP_LENGTH} times in a row: {message[:80]!r}"
            if failure not in found:
                found.append(failure)
    return found


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text).casefold()


def check(
    conversation: Conversation,
    customer: Customer | None,
    transcript: list[tuple[str, list[str]]],
    before: Snapshot,
    after: Snapshot,
) -> list[str]:
    """Return what the conversation did not achieve."""
    expect = conversation.expect
    failures: list[str] = []
    answers = [_normal(a) for _, turn in transcript for a in turn]
    last = _normal(" ".join(transcript[-1][1])) if transcript else ""
    for text in expect.get("says", []):
        if not any(_normal(fill(text, customer)) in a for a in answers):
            failures.append(f"never said {text!r}")
    for text in expect.get("last_says", []):
        if _normal(fill(text, customer)) not in last:
            failures.append(f"last answer lacks {text!r}")
    for text in expect.get("never_says", []):
        if any(_normal(fill(text, customer)) in a for a in answers):
            failures.append(f"said {text!r}")
    failures += _appointments(expect, before, after)
    if "cases" in expect:
        old = {c["case_number"] for c in before.cases}
        new = [c for c in after.cases if c["case_number"] not in old]
        for kind, count in expect["cases"].items():
            got = sum(1 for c in new if c["kind"] == kind)
            if got != count:
                failures.append(f"{got} new {kind} cases, wanted {count}")
        others = [c["kind"] for c in new if c["kind"] not in expect["cases"]]
        if others:
            failures.append(f"unexpected new cases {others}")
    if "escalations" in expect and len(after.escalations) != expect["escalations"]:
        failures.append(f"{len(after.escalations)} escalations, wanted {expect['escalations']}")
    for text in expect.get("escalation_has", []):
        wanted = _normal(fill(text, customer))
        if not any(wanted in _normal(m) for m in after.customer_messages_to_agent):
            failures.append(f"escalation transcript lacks {text!r}")
    if "lead" in expect:
        if len(after.leads) != 1:
            failures.append(f"{len(after.leads)} leads, wanted 1")
        else:
            for key, value in expect["lead"].items():
                wanted = _normal(fill(str(value), customer))
                if wanted not in _normal(str(after.leads[0][key] or "")):
                    failures.append(f"lead {key} is {after.leads[0][key]!r}, wanted {value!r}")
    for key, value in expect.get("contact", {}).items():
        got = str(after.customer.get(key) or "")
        if _normal(fill(str(value), customer)) != _normal(got):
            failures.append(f"customer {key} is {got!r}, wanted {value!r}")
    return failures


def _appointments(expect: dict[str, Any], before: Snapshot, after: Snapshot) -> list[str]:
    new = [k for k in after.appointments if k not in before.appointments]
    booked = sum(1 for k in new if after.appointments[k][0] == "booked")
    changed = [
        k for k in before.appointments if after.appointments.get(k) != before.appointments[k]
    ]
    cancelled = sum(1 for k in changed if after.appointments[k][0] == "cancelled")
    moved = sum(
        1
        for k in changed
        if after.appointments[k][0] == "booked"
        and after.appointments[k][1] != before.appointments[k][1]
    )
    failures = []
    for name, got in (
        ("appointments_booked", booked),
        ("appointments_cancelled", cancelled),
        ("appointments_moved", moved),
    ):
        wanted = expect.get(name, 0)
        if got != wanted:
            failures.append(f"{got} {name.replace('_', ' ')}, wanted {wanted}")
    return failures
