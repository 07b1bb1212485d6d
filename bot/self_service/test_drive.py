"""Test drives: which model, and how to reach the person (a lead for the sales team)."""

from __future__ import annotations

import re

from bot.self_service.contact_data import Problem, read_email, read_phone

MODELS = ("Aurora Limousine", "Aurora Touring", "Vela e", "Strato GT")
"""The models available for test drives."""

_ALIASES = {
    "aurora limo": "Aurora Limousine",
    "limousine": "Aurora Limousine",
    "aurora kombi": "Aurora Touring",
    "aurora tourer": "Aurora Touring",
    "touring": "Aurora Touring",
    "kombi": "Aurora Touring",
    "vela": "Vela e",
    "velae": "Vela e",
    "elektro": "Vela e",
    "strato": "Strato GT",
    "gt": "Strato GT",
}


def read_model(text: str | None) -> str | None:
    """Return the model named in ``text`` ("Vela", "Strato GT", "den Kombi"), or None."""
    said = " ".join(re.sub(r"[^a-z0-9äöüß ]", " ", (text or "").lower()).split())
    for model in MODELS:
        if model.lower() in said:
            return model
    for alias, model in _ALIASES.items():
        if re.search(rf"\b{re.escape(alias)}\b", said):
            return model
    return None


def read_contact(text: str) -> dict[str, str] | Problem:
    """Return ``{"email": ...}`` or ``{"phone": ...}`` from the answer, or :attr:`Problem.EMAIL`."""
    if "@" in text:
        email = read_email(text)
        return email if isinstance(email, Problem) else {"email": email}
    phone = read_phone(text)
    return Problem.EMAIL if isinstance(phone, Problem) else {"phone": phone}


def read_name(text: str) -> str | None:
    """Return a person's name from the answer ("Ich heiße Max Muster" -> "Max Muster")."""
    name = re.sub(
        r"^(ich\s+hei(ß|ss)e|mein\s+name\s+ist|ich\s+bin|name:?)\s+",
        "",
        text.strip(),
        flags=re.IGNORECASE,
    ).strip(" .!,")
    if not 2 <= len(name) <= 80 or re.search(r"\d|@", name) or len(name.split()) > 5:
        return None
    return name
