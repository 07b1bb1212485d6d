import yaml

from bot.topics import PERSONAL_TOPICS, needs_verification
from tests.support.processes import PROJECT_ROOT


def test_personal_data_needs_verification() -> None:
    for topic in (
        "order_status",
        "invoice_question",
        "contract_info",
        "appointment_status",
        "complaint",
        "warranty_claim",
        "recall_check",
        "service_due",
        "data_privacy",
        "book_appointment",
        "reschedule_appointment",
        "cancel_appointment",
        "change_address",
    ):
        assert needs_verification(topic), topic
    assert len(PERSONAL_TOPICS) == 13


def test_general_help_needs_no_verification() -> None:
    for topic in ("breakdown_help", "dealer_info", "test_drive", "account_help", "greet", None):
        assert not needs_verification(topic)


def test_the_verification_rules_cover_exactly_the_personal_topics() -> None:
    """Both ways in (through the form, and straight on when verified) list the same intents."""
    rules = yaml.safe_load((PROJECT_ROOT / "data/rules/verification.yml").read_text())["rules"]
    by_name = {rule["rule"]: rule for rule in rules}
    through_form = by_name["a request for personal data is verified first"]["steps"]
    direct = by_name["a verified customer's request is served at once"]["steps"]
    for steps in (through_form, direct):
        assert {step["intent"] for step in steps[0]["or"]} == set(PERSONAL_TOPICS)
    assert direct[1:] == [{"action": "action_resume_request"}]
