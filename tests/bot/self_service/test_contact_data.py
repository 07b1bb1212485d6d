import pytest

from bot.crm.enums import Country
from bot.self_service.contact_data import (
    Address,
    ContactField,
    Problem,
    read_address,
    read_email,
    read_field,
    read_phone,
)


@pytest.mark.parametrize(
    ("text", "current", "expected"),
    [
        ("Lindenstraße 14, 50674 Köln", Country.DE, ("Lindenstraße 14", "50674", "Köln", "DE")),
        (
            "Neue Adresse: Am Deich 5 26121 Oldenburg",
            Country.AT,
            ("Am Deich 5", "26121", "Oldenburg", "DE"),
        ),
        ("Annenstraße 22, 8020 Graz", Country.AT, ("Annenstraße 22", "8020", "Graz", "AT")),
        ("Seestrasse 41, CH-6004 Luzern", Country.DE, ("Seestrasse 41", "6004", "Luzern", "CH")),
        ("Hauptstr. 3a, 1010 Wien, Österreich", Country.DE, ("Hauptstr. 3a", "1010", "Wien", "AT")),
    ],
)
def test_addresses_of_the_three_countries_are_read(text, current, expected) -> None:
    address = read_address(text, current)
    assert isinstance(address, Address)
    assert (address.street, address.postal_code, address.city, address.country.value) == expected


@pytest.mark.parametrize(
    ("text", "current", "problem"),
    [
        ("irgendwo in Bayern", Country.DE, Problem.ADDRESS_FORMAT),
        ("Musterweg 1, 123 Stadt", Country.DE, Problem.ADDRESS_FORMAT),
        ("Musterweg 1, 1234 Stadt", Country.DE, Problem.COUNTRY),  # AT or CH?
        ("Musterweg 1, 12345 Stadt, Schweiz", Country.DE, Problem.POSTAL_CODE),
        ("Musterweg 1, 1234 Stadt, Deutschland", Country.AT, Problem.POSTAL_CODE),
    ],
)
def test_wrong_addresses_say_why(text, current, problem) -> None:
    assert read_address(text, current) is problem


def test_email_and_phone() -> None:
    assert read_email("Meine neue ist Max.Muster@Example.DE") == "Max.Muster@example.de"
    assert read_email("max@muster") is Problem.EMAIL
    assert read_email("keine Ahnung") is Problem.EMAIL
    assert read_phone("0171/1234567") == "0171/1234567"
    assert read_phone("+49 89 1234567") == "+49 89 1234567"
    assert read_phone("12 34") is Problem.PHONE


def test_which_field_the_customer_means() -> None:
    assert read_field("Ich habe eine neue E-Mail") is ContactField.EMAIL
    assert read_field("neue Handynummer") is ContactField.PHONE
    assert read_field("Ich bin umgezogen") is ContactField.ADDRESS
    assert read_field("ja") is None
