"""What a journey answers: response names with their values, and buttons."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Button:
    """A button whose payload is an intent with entities (``/intent{"key": "value"}``).

    Attributes:
        title: What the button shows (a record's name: data, not wording).
        intent: The intent the button sends.
        entities: The entities it sends along.

    """

    title: str
    intent: str
    entities: dict[str, str] = field(default_factory=dict)

    @property
    def payload(self) -> str:
        """The button's payload, as Rasa parses it without the NLU."""
        suffix = json.dumps(self.entities, ensure_ascii=False) if self.entities else ""
        return f"/{self.intent}{suffix}"

    def as_dict(self) -> dict[str, str]:
        """Return the button as Rasa's messages carry it."""
        return {"title": self.title, "payload": self.payload}


@dataclass(frozen=True)
class Reply:
    """One message: a ``domain.yml`` response, its values and extra buttons.

    Attributes:
        response: The response name (``utter_...``).
        values: Its placeholders, formatted for customers.
        buttons: Buttons added to the response's own.

    """

    response: str
    values: dict[str, Any] = field(default_factory=dict)
    buttons: tuple[Button, ...] = ()


def words(text: str | None) -> str:
    """Return ``text`` in lower case with single spaces (for keyword checks)."""
    return " ".join((text or "").lower().split())
