"""Test drives: which model, and how to reach the person (a lead for the sales team)."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from bot.crm.schemas import Workshop
from bot.self_service.contact_data import Problem, read_email, read_phone
from bot.self_service.replies import Button, Reply

MAX_NEAREST = 3
"""Nearest workshops offered when the customer's town has none."""

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


def nearest_choice(town: str, nearest: Sequence[Workshop]) -> Reply:
    """Offer the nearest workshops to a town without one, as buttons naming each."""
    buttons = tuple(Button.saying(w.name, w.name) for w in nearest[:MAX_NEAREST])
    return Reply("utter_test_drive_nearest_choice", {"place": town}, buttons=buttons)


def names_an_offer(text: str, offered: Collection[str]) -> bool:
    """Tell whether ``text`` is one of the offered buttons' payloads (case aside).

    ``offered`` are the payloads of the bot's last message; an ordinal or
    "ja" was already turned into the payload it picks.
    """
    wanted = text.strip().casefold()
    return any(wanted == payload.casefold() for payload in offered)


def offered_workshop(
    text: str, offered: Collection[str], workshops: Sequence[Workshop]
) -> Workshop | None:
    """Return the offered workshop ``text`` names (a click, its name typed or "der erste")."""
    if not names_an_offer(text, offered):
        return None
    wanted = text.strip().casefold()
    return next((w for w in workshops if w.name.casefold() == wanted), None)
