from __future__ import annotations

import pytest

from bot.channels.input_guard import (
    EMPTY_MESSAGE_RESPONSE,
    MAX_MESSAGE_CHARACTERS,
    TOO_LONG_RESPONSE,
    clean_text,
    screen_message,
)


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("Hal\u200blo", "Hallo"),  # zero-width space
        ("K-100\u2060001", "K-100001"),  # word joiner
        ("\ufeffHallo", "Hallo"),  # byte order mark
        ("abc\u202edcba", "abcdcba"),  # right-to-left override
        ("\u2066Termin\u2069", "Termin"),  # isolates
        ("Null\x00Byte\x07\x1b[31m", "NullByte[31m"),  # NUL, bell, escape
        ("Zeile 1\r\nZeile 2\rZeile 3", "Zeile 1\nZeile 2\nZeile 3"),
        ("Stra\u00dfe, Gru\u0308\u00dfe", "Straße, Grüße"),  # NFC: u + combining diaeresis
        ("Tab\tbleibt", "Tab\tbleibt"),
    ],
)
def test_clean_text_removes_invisible_characters_only(raw: str, cleaned: str) -> None:
    assert clean_text(raw) == cleaned


@pytest.mark.parametrize("raw", ["", " ", "\n\t", "\u200b\u200c\u200d", "\x00"])
def test_empty_or_invisible_messages_are_answered_with_a_prompt(raw: str) -> None:
    screened = screen_message(raw)
    assert (screened.accepted, screened.refusal, screened.text) == (
        False,
        EMPTY_MESSAGE_RESPONSE,
        "",
    )


def test_the_limit_counts_the_cleaned_text() -> None:
    assert screen_message("a" * MAX_MESSAGE_CHARACTERS).accepted
    assert screen_message("a" * MAX_MESSAGE_CHARACTERS + "\u200b" * 10).accepted
    over = screen_message("a" * (MAX_MESSAGE_CHARACTERS + 1))
    assert (over.refusal, over.text, over.length) == (TOO_LONG_RESPONSE, "", 2001)


def test_a_huge_message_is_refused_without_cleaning_it() -> None:
    huge = screen_message("\u200b" * 1_000_000)  # would be empty once cleaned
    assert huge.refusal == TOO_LONG_RESPONSE


def test_an_accepted_message_is_stripped() -> None:
    assert screen_message("  Hallo \n").text == "Hallo"
