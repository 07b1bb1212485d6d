"""Every response the self-service journeys can send exists in domain.yml, and none is left over."""

from __future__ import annotations

import re

from bot.crm.enums import ContractKind
from bot.self_service.account import AccountTopic
from bot.self_service.cases import COMPLAINT_REPEATED, COMPLAINT_VIP
from bot.self_service.contact_data import ContactField, Problem
from bot.self_service.privacy import PrivacyRequest
from tests.support.processes import PROJECT_ROOT

MODULES = [
    "actions/account_help.py",
    "actions/breakdown.py",
    "actions/cases.py",
    "actions/contact_change.py",
    "actions/contracts.py",
    "actions/dealers.py",
    "actions/invoices.py",
    "actions/journey_forms.py",
    "actions/orders.py",
    "actions/test_drive.py",
    "bot/self_service/orders.py",
    "bot/self_service/invoices.py",
    "bot/self_service/contracts.py",
]
ORDER_RESPONSES = {
    f"utter_order_{status}{suffix}"
    for status in ("ordered", "in_production", "shipped", "shipped_untracked")
    for suffix in ("", "_undated", "_late")
}


def used_responses() -> set[str]:
    literal = re.compile(r"\"(utter_[a-z_]+)\"")
    found = {
        name
        for module in MODULES
        for name in literal.findall((PROJECT_ROOT / module).read_text())
        if not name.endswith("_")
    }
    topics = ("complaint", "warranty_claim")
    found |= {f"utter_case_intro_{t}" for t in topics} | {f"utter_case_opened_{t}" for t in topics}
    found |= {f"utter_case_handoff_{r}" for r in (COMPLAINT_VIP, COMPLAINT_REPEATED)}
    found |= {f"utter_contract_end_{kind.value}" for kind in ContractKind}
    found |= {f"utter_privacy_{r.value}" for r in PrivacyRequest if not r.opens_case}
    found |= {f"utter_privacy_case_opened_{r.value}" for r in PrivacyRequest if r.opens_case}
    found |= {f"utter_contact_invalid_{p.value}" for p in Problem}
    found |= {f"utter_ask_contact_change_confirmed_{f.value}" for f in ContactField}
    found |= {f"utter_contact_changed_{f.value}" for f in ContactField}
    found |= {f"utter_account_{t.value}" for t in AccountTopic}
    return found | ORDER_RESPONSES


def test_every_response_of_the_journeys_exists(domain) -> None:
    missing = used_responses() - set(domain["responses"])
    assert not missing


def test_the_placeholders_of_the_served_topics_are_gone(domain) -> None:
    served = [
        "order_status", "invoice_question", "contract_info", "change_address", "complaint",
        "warranty_claim", "data_privacy", "breakdown_help", "dealer_info", "test_drive",
        "account_help",
    ]  # fmt: skip
    assert not [t for t in served if f"utter_soon_{t}" in domain["responses"]]


def test_every_form_question_exists(domain) -> None:
    forms = ["case_form", "contact_change_form", "breakdown_form", "dealer_form", "test_drive_form"]
    asked = {s for form in forms for s in domain["forms"][form]["required_slots"]}
    asked |= {"new_address", "new_email", "new_phone"}  # added by validate_contact_change_form
    missing = [
        slot
        for slot in asked
        if f"utter_ask_{slot}" not in domain["responses"]
        and f"action_ask_{slot}" not in domain["actions"]
    ]
    assert not missing
