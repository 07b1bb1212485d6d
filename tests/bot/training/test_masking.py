"""Personal data never reaches the inbox: numbers by shape, names from the CRM."""

from __future__ import annotations

import pytest

from bot.training.masking import CrmNames, mask_message


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        (
            "Ich will einen Berater, Kundennummer K-123456",
            "Ich will einen Berater, Kundennummer K-000000",
        ),
        ("kundennummer 104857 bitte", "kundennummer 000000 bitte"),
        (
            "Bestellung B-20251234 und Rechnung R20250077",
            "Bestellung B-00000000 und Rechnung R-00000000",
        ),
        ("mein Fall C-9001", "mein Fall C-0000"),
        ("Probefahrt-Anfrage P-2000004", "Probefahrt-Anfrage P-0000"),
        ("PLZ 80331 München", "PLZ 00000 München"),
        ("wohne in 1070 Wien", "wohne in 0000 Wien"),
        ("Kennzeichen M-AB 1234", "Kennzeichen XX-XX 000"),
        ("VIN WNLA3B47X0P218554", "VIN XXXXXXXXXXXXXXXXX"),
        ("Mail an jana.kroeger@web.de", "Mail an name@example.com"),
        ("Ruf an: +41 79 412 55 81", "Ruf an: 0000 0000000"),
        ("Handy 0171 5583920", "Handy 0000 0000000"),
        ("Frau Anna Schmidt hat angerufen", "Frau Name hat angerufen"),
    ],
)
def test_numbers_and_addresses_become_stand_ins_of_the_same_shape(text, masked) -> None:
    assert mask_message(text) == masked


def test_names_from_the_crm_are_masked_as_whole_words(crm_service_local) -> None:
    names = CrmNames(crm_service_local.session_factory, common_words=["Winter"])()
    assert "schmidt" in names and "anna" in names
    masked = mask_message("hier ist anna schmidt, Winterreifen bitte", names)
    assert masked == "hier ist Name Name, Winterreifen bitte"


def test_a_message_without_personal_data_is_unchanged() -> None:
    text = "kannst du den termin canceln pls"
    assert mask_message(text, {"schmidt"}) == text
