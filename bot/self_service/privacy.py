"""Data-privacy requests: what the customer wants (information, copy, deletion, objection)."""

from __future__ import annotations

import re
from enum import Enum

from bot.self_service.replies import read_choice


class PrivacyRequest(str, Enum):
    """The kinds of privacy requests (entity ``privacy_request``)."""

    INFO = "info"
    COPY = "copy"
    DELETION = "deletion"
    OBJECTION = "objection"

    @property
    def opens_case(self) -> bool:
        """Deletion and objection go to the data-protection team as a case."""
        return self in (PrivacyRequest.DELETION, PrivacyRequest.OBJECTION)


_KEYWORDS = (
    (PrivacyRequest.DELETION, re.compile(r"lösch|loesch|entfern|vergessen werden")),
    (
        PrivacyRequest.OBJECTION,
        re.compile(r"widersp|werbung|newsletter|nicht mehr kontakt|abmelden"),
    ),
    (PrivacyRequest.COPY, re.compile(r"kopie|auskunft|art\.? ?15|zuschicken|herausgeben")),
    (PrivacyRequest.INFO, re.compile(r"welche daten|was speicher|gespeichert|speichert")),
)

SUBJECTS = {
    PrivacyRequest.DELETION: "Datenschutz: Antrag auf Löschung",
    PrivacyRequest.OBJECTION: "Datenschutz: Widerspruch gegen die Verarbeitung",
}


def read_privacy_request(entity: str | None, text: str | None) -> PrivacyRequest | None:
    """Return the request from the button's entity, else from keywords, else None (ask)."""
    return read_choice(PrivacyRequest, _KEYWORDS, entity, text)
