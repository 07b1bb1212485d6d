"""What a customer's message must look like before the NLU sees it.

Every channel passes incoming text through :func:`screen_message`. Invisible
characters are removed (control characters and NUL, bidirectional overrides
that make text read differently than it is stored, zero-width characters that
split words so that patterns and the classifier miss them). A message that is
empty afterwards, or longer than :data:`MAX_MESSAGE_CHARACTERS`, is not
parsed: the channel answers it with the response named in the verdict, and
logs only its length.

No Rasa imports: this is plain text handling.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MAX_MESSAGE_CHARACTERS = 2000
"""Longest message the assistant reads; longer ones are refused politely."""

EMPTY_MESSAGE_RESPONSE = "utter_empty_message"
TOO_LONG_RESPONSE = "utter_message_too_long"
TECHNICAL_PROBLEM_RESPONSE = "utter_technical_problem"

# C0 and C1 controls except tab and line feed; carriage returns become line feeds first.
_CONTROL = "\x00-\x08\x0b-\x1f\x7f-\x9f"
# Bidirectional marks, embeddings, overrides and isolates.
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
# Zero-width space, non-joiner, joiner, word joiner, invisible operators, BOM, Mongolian separator.
_ZERO_WIDTH = "\u180e\u200b-\u200d\u2060-\u2064\ufeff"
_INVISIBLE = re.compile(f"[{_CONTROL}{_BIDI}{_ZERO_WIDTH}]")


@dataclass(frozen=True)
class Screened:
    """The result of :func:`screen_message`.

    Attributes:
        text: The cleaned text to hand to Rasa (empty when refused).
        refusal: The response to answer with instead of parsing, or ``None``.
        length: Length of the cleaned text (for logs: never the text itself).

    """

    text: str
    refusal: str | None
    length: int

    @property
    def accepted(self) -> bool:
        """Whether the message goes on to the NLU."""
        return self.refusal is None


def clean_text(text: str) -> str:
    """Remove invisible and control characters; keep line breaks and tabs.

    Args:
        text: The message as received.

    Returns:
        The text in Unicode NFC without control, bidi or zero-width characters.

    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _INVISIBLE.sub("", unicodedata.normalize("NFC", text))


def screen_message(text: str, max_characters: int = MAX_MESSAGE_CHARACTERS) -> Screened:
    """Clean a message and decide whether the assistant reads it.

    Args:
        text: The message as received.
        max_characters: The longest message that is read.

    Returns:
        The cleaned text, or the response to refuse it with.

    """
    if len(text) > 4 * max_characters:  # far too long: not even cleaned
        return Screened("", TOO_LONG_RESPONSE, len(text))
    cleaned = clean_text(text).strip()
    if not cleaned:
        return Screened("", EMPTY_MESSAGE_RESPONSE, 0)
    if len(cleaned) > max_characters:
        return Screened("", TOO_LONG_RESPONSE, len(cleaned))
    return Screened(cleaned, None, len(cleaned))
