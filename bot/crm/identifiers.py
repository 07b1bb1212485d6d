"""Normalisation of the identifiers customers type: the one place for it.

Customers write their customer number as "K-100001", "K100001", "k 100001" or
just "100001"; plates with or without spaces and dashes. Everything that
compares identifiers goes through these functions.
"""

from __future__ import annotations

import re

_CUSTOMER_NUMBER = re.compile(r"^\s*(?:K\s*[-–]?\s*)?(\d{6})\s*$", re.IGNORECASE)
_DOCUMENT_NUMBER = re.compile(r"^\s*([A-Z]{1,2})\s*[-–]?\s*(\d{3,10})\s*$", re.IGNORECASE)
_VIN = re.compile(r"^[A-HJ-NPR-Z0-9]{17}$")
_POSTAL_CODE_PREFIX = re.compile(r"^(?:D|A|CH)\s*-\s*", re.IGNORECASE)


def normalize_customer_number(raw: str | None) -> str | None:
    """Return the canonical customer number ``K-123456`` or None when invalid.

    Args:
        raw: What the customer typed.

    Returns:
        ``"K-100001"`` for ``"K-100001"``, ``"K100001"``, ``"k 100001"`` or
        ``"100001"``; None for anything else.

    """
    if raw is None:
        return None
    match = _CUSTOMER_NUMBER.match(raw)
    return f"K-{match.group(1)}" if match else None


def normalize_document_number(raw: str | None, prefix: str) -> str | None:
    """Return a canonical document number such as ``T-5001`` or ``C-9001``.

    Args:
        raw: What the customer typed ("t5001", "T - 5001").
        prefix: The expected letter(s): ``B`` order, ``R`` invoice, ``L``
            contract, ``T`` appointment, ``C`` case.

    Returns:
        The canonical number, or None when ``raw`` is no number of that kind.

    """
    if raw is None:
        return None
    match = _DOCUMENT_NUMBER.match(raw)
    if not match or match.group(1).upper() != prefix.upper():
        return None
    return f"{prefix.upper()}-{match.group(2)}"


def normalize_vin(raw: str | None) -> str | None:
    """Return the VIN in upper case without spaces, or None when malformed."""
    if raw is None:
        return None
    vin = re.sub(r"[\s-]", "", raw).upper()
    return vin if _VIN.match(vin) else None


def normalize_plate(raw: str | None) -> str | None:
    """Return a plate reduced to upper-case letters and digits for comparison.

    "M-AS 2004", "m as2004" and "MAS2004" all give "MAS2004"; None when
    nothing remains.
    """
    if raw is None:
        return None
    plate = re.sub(r"[^0-9A-ZÄÖÜ]", "", raw.upper())
    return plate or None


def normalize_postal_code(raw: str | None) -> str:
    """Return a postal code without spaces and country prefix ("CH-8001" -> "8001")."""
    if raw is None:
        return ""
    return re.sub(r"\s", "", _POSTAL_CODE_PREFIX.sub("", raw.strip()))


_POSTAL_CODE_FORMAT = {
    "DE": re.compile(r"^\d{5}$"),
    "AT": re.compile(r"^\d{4}$"),
    "CH": re.compile(r"^\d{4}$"),
}


def is_valid_postal_code(country: str, postal_code: str) -> bool:
    """Tell whether ``postal_code`` has the format of ``country`` (DE 5, AT/CH 4 digits)."""
    pattern = _POSTAL_CODE_FORMAT.get(country)
    return bool(pattern and pattern.match(postal_code))


_UMLAUTS_SPELLED = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_UMLAUTS_DROPPED = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss"})


def place_name_keys(name: str) -> set[str]:
    """Return comparison keys of a place name, tolerant of missing umlauts.

    "München", "Muenchen" and "munchen" share a key, as do "Zürich" and "Zurich".
    """
    base = re.sub(r"[^a-zäöüß]", "", name.lower())
    spelled = base.translate(_UMLAUTS_SPELLED)
    dropped = base.translate(_UMLAUTS_DROPPED)
    return {spelled, dropped, spelled.replace("ue", "u").replace("oe", "o").replace("ae", "a")}
