from __future__ import annotations

import pytest

from bot.dialogue.wording import WordingError, response_text
from bot.escalation.rasa_conversations import handback_notice, joined_notice


def test_texts_come_from_the_domain_with_their_values() -> None:
    assert joined_notice("Frau Keller") == (
        "Frau Keller aus unserem Kundenservice hat den Chat übernommen."
    )
    assert "wieder mit dem digitalen Assistenten" in handback_notice()
    assert response_text("utter_contract_vehicle_unknown") == "Ihr Fahrzeug"


def test_a_missing_response_or_value_is_a_clear_error() -> None:
    with pytest.raises(WordingError, match="utter_nothing"):
        response_text("utter_nothing")
    with pytest.raises(WordingError, match="agent"):
        response_text("utter_takeover_joined")


def test_another_domain_file_can_be_configured(tmp_path, monkeypatch) -> None:
    domain = tmp_path / "domain.yml"
    domain.write_text('responses:\n  utter_hi:\n    - text: "Hallo {name}"\n', encoding="utf-8")
    monkeypatch.setenv("NORDLICHT_DOMAIN_FILE", str(domain))
    assert response_text("utter_hi", name="Anna") == "Hallo Anna"
