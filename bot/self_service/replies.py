"""What a journey answers: response names with their values, and buttons."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, TypeVar

E = TypeVar("E", bound=Enum)


@dataclass(frozen=True)
class Button:
    """A button whose payload is an intent with entities (``/intent{"key": "value"}``).

    Attributes:
        title: What the button shows (a record's name: data, not wording).
        intent: The intent the button sends.
        entities: The entities it sends along.
        said: Instead of an intent, text the NLU reads like a typed answer
            (a slot button ``24.11.2026 10:00``).

    """

    title: str
    intent: str = ""
    entities: dict[str, str] = field(default_factory=dict)
    said: str | None = None

    @classmethod
    def saying(cls, title: str, text: str) -> Button:
        """Return a button that sends ``text`` as if the customer typed it."""
        return cls(title, said=text)

    @property
    def payload(self) -> str:
        """The button's payload, as Rasa parses it without the NLU."""
        if self.said is not None:
            return self.said
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


def read_choice(
    choices: type[E],
    keywords: Iterable[tuple[E, re.Pattern[str]]],
    entity: str | None,
    text: str | None,
) -> E | None:
    """Return what the customer chose: a button's entity, else the first keyword match, else None.

    Args:
        choices: The enum of the answers (the entity carries a value of it).
        keywords: Each answer with the pattern of its words (checked in order, on :func:`words`).
        entity: The entity of a button or the NLU, if any.
        text: What the customer wrote.

    """
    if entity:
        try:
            return choices(entity)
        except ValueError:
            pass
    said = words(text)
    return next((choice for choice, pattern in keywords if pattern.search(said)), None)
