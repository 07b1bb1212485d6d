from bot.topics import PERSONAL_TOPICS, needs_verification


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
