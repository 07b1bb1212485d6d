"""New contact data as customers type it: address, e-mail, phone - read and checked."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from bot.crm.enums import Country
from bot.crm.identifiers import is_valid_postal_code


class ContactField(str, Enum):
    """What the customer wants to change (entity and slot ``contact_field``)."""

    ADDRESS = "address"
    EMAIL = "email"
    PHONE = "phone"


class Problem(str, Enum):
    """Why an input is not accepted; the response is ``utter_contact_invalid_<value>``."""

    ADDRESS_FORMAT = "address_format"
    POSTAL_CODE = "postal_code"
    COUNTRY = "country"
    EMAIL = "email"
    PHONE = "phone"


@dataclass(frozen=True)
class Address:
    """A complete postal address."""

    street: str
    postal_code: str
    city: str
    country: Country

    def display(self) -> str:
        """Return the address in one line: ``Lindenstraße 14, 50674 Köln``."""
        prefix = "" if self.country is Country.DE else f"{self.country.value}-"
        return f"{self.street}, {prefix}{self.postal_code} {self.city}"


_EMAIL = re.compile(r"^[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")
_EMAIL_IN_TEXT = re.compile(r"[^\s@<>,;:]+@[^\s@<>,;:]+")
PHONE_IN_TEXT = re.compile(r"(\+|00)?\d[\d ()/-]{5,22}\d")
"""A phone number in a message (6 to 15 digits are checked by :func:`read_phone`)."""
_ADDRESS = re.compile(
    r"^(?P<street>.*?[A-Za-zÄÖÜäöüß.]\s*\d+\s*[a-zA-Z]?(?:\s*[-/]\s*\d+[a-zA-Z]?)?)\s*,?\s+"
    r"(?:(?P<prefix>D|DE|A|AT|CH)\s*-\s*)?(?P<postal_code>\d{4,5})\s+(?P<city>[^\d,]{2,80}?)"
    r"\s*(?:,\s*(?P<country>[A-Za-zÄÖÜäöüß ]+))?\s*\.?$",
    re.IGNORECASE,
)
_COUNTRY_NAMES = {
    "deutschland": Country.DE,
    "germany": Country.DE,
    "de": Country.DE,
    "d": Country.DE,
    "österreich": Country.AT,
    "oesterreich": Country.AT,
    "austria": Country.AT,
    "at": Country.AT,
    "a": Country.AT,
    "schweiz": Country.CH,
    "switzerland": Country.CH,
    "ch": Country.CH,
}
_LEAD_IN = re.compile(
    r"^(?:meine\s+)?(?:neue\s+)?(?:adresse|anschrift|straße|strasse)?\s*(?:ist|lautet)?\s*:?\s*",
    re.IGNORECASE,
)


def read_field(text: str | None) -> ContactField | None:
    """Return which contact data a message is about ("E-Mail", "Handynummer", "umgezogen")."""
    said = (text or "").lower()
    if re.search(r"e-?mail|mail-?adresse|@", said):
        return ContactField.EMAIL
    if re.search(r"telefon|handy|mobil|rufnummer|nummer", said):
        return ContactField.PHONE
    if re.search(
        r"adresse|anschrift|umgezogen|umzug|ziehe|straße|strasse|wohnort|\d{4,5}\s+\w", said
    ):
        return ContactField.ADDRESS
    return None


def read_address(text: str, current_country: Country) -> Address | Problem:
    """Read a complete address ("Lindenstraße 14, 50674 Köln").

    Args:
        text: The customer's message.
        current_country: The country on file; a four-digit postal code keeps
            Austria or Switzerland, a five-digit one means Germany.

    Returns:
        The address, or why it was not accepted.

    """
    cleaned = _LEAD_IN.sub("", text.strip(), count=1)
    match = _ADDRESS.match(cleaned)
    if not match:
        return Problem.ADDRESS_FORMAT
    code = match.group("postal_code")
    named = match.group("country") or match.group("prefix")
    country = _COUNTRY_NAMES.get((named or "").strip().lower())
    if named and country is None:
        return Problem.COUNTRY
    if country is None:
        if len(code) == 5:
            country = Country.DE
        elif current_country is not Country.DE:
            country = current_country
        else:
            return Problem.COUNTRY
    if not is_valid_postal_code(country.value, code):
        return Problem.POSTAL_CODE
    street = " ".join(match.group("street").split()).strip(" ,")
    city = " ".join(match.group("city").split()).strip(" ,.")
    return Address(street=street[:120], postal_code=code, city=city[:80], country=country)


def read_email(text: str) -> str | Problem:
    """Return the e-mail address in ``text`` (lower-case domain), or :attr:`Problem.EMAIL`."""
    found = _EMAIL_IN_TEXT.search(text)
    candidate = found.group(0).strip(".") if found else text.strip()
    if not _EMAIL.match(candidate) or len(candidate) > 254:
        return Problem.EMAIL
    local, _, domain = candidate.partition("@")
    return f"{local}@{domain.lower()}"


def read_phone(text: str) -> str | Problem:
    """Return the phone number in ``text`` (spaces normalised), or :attr:`Problem.PHONE`.

    Accepted: 6 to 15 digits, optionally with ``+`` or ``00`` and the usual
    separators ("+49 89 1234567", "0171/1234567").
    """
    found = PHONE_IN_TEXT.search(text)
    if not found:
        return Problem.PHONE
    number = " ".join(found.group(0).split())
    digits = sum(ch.isdigit() for ch in number)
    if not 6 <= digits <= 15:
        return Problem.PHONE
    return number
