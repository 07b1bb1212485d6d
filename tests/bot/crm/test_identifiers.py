from __future__ import annotations

import pytest

from bot.crm.identifiers import (
    is_valid_postal_code,
    normalize_customer_number,
    normalize_document_number,
    normalize_plate,
    normalize_postal_code,
    normalize_vin,
    place_name_keys,
)


@pytest.mark.parametrize(
    "typed", ["K-100001", "K100001", "k 100001", "100001", " k-100001 ", "K – 100001"]
)
def test_customer_number_spellings_normalise(typed: str) -> None:
    assert normalize_customer_number(typed) == "K-100001"


@pytest.mark.parametrize("typed", ["", "K-10001", "K-1000011", "X-100001", "K-10000A", "abc", None])
def test_invalid_customer_numbers_give_none(typed: str | None) -> None:
    assert normalize_customer_number(typed) is None


def test_document_numbers_need_their_prefix() -> None:
    assert normalize_document_number("t5001", "T") == "T-5001"
    assert normalize_document_number("T - 5001", "T") == "T-5001"
    assert normalize_document_number("C-9001", "T") is None
    assert normalize_document_number("5001", "T") is None


def test_vin_plate_and_postal_code_normalisation() -> None:
    assert normalize_vin(" wnl0aur0s2019c003 ") == "WNL0AUR0S2019C003"
    assert normalize_vin("WNL0AUR0S2019C00") is None
    assert normalize_vin("WNL0AUR0S2019C00O") is None  # O is no VIN letter
    assert normalize_plate("m-as 2004") == normalize_plate("MAS2004") == "MAS2004"
    assert normalize_postal_code("CH-8001") == normalize_postal_code(" 8001 ") == "8001"
    assert normalize_postal_code("A-1010") == "1010"


def test_postal_code_formats_by_country() -> None:
    assert is_valid_postal_code("DE", "80331")
    assert not is_valid_postal_code("DE", "8033")
    assert is_valid_postal_code("AT", "1010") and is_valid_postal_code("CH", "8001")
    assert not is_valid_postal_code("CH", "80011")


def test_place_names_match_without_umlauts() -> None:
    assert place_name_keys("München") & place_name_keys("Muenchen")
    assert place_name_keys("Zürich") & place_name_keys("zurich")
    assert not place_name_keys("Köln") & place_name_keys("Berlin")
