"""CSAT through the running stack: asked once after goodbye, stored with its attribution."""

from __future__ import annotations

import sqlite3
import time

import pytest

from tests.e2e.chat import Chat

pytestmark = pytest.mark.e2e


def feedback_rows(crm_server, sender: str) -> list[tuple]:
    with sqlite3.connect(crm_server.database) as connection:
        return connection.execute(
            "SELECT kind, score, comment, served_by, agent_id, channel FROM feedback"
            " WHERE conversation_id LIKE ? ORDER BY id",
            (f"{sender}@%",),
        ).fetchall()


def wait_for_rows(crm_server, sender: str, count: int) -> list[tuple]:
    deadline = time.monotonic() + 10
    rows = feedback_rows(crm_server, sender)
    while len(rows) < count and time.monotonic() < deadline:
        time.sleep(0.2)
        rows = feedback_rows(crm_server, sender)
    return rows


def test_the_rating_is_asked_once_and_stored_with_its_comment(rasa_server, crm_server) -> None:
    chat = Chat(rasa_server)
    chat.say("Hallo")
    goodbye = chat.say("Tschüss")
    assert "Auf Wiedersehen" in goodbye.text and "Wie zufrieden waren Sie" in goodbye.text
    assert goodbye.buttons == [f'/give_feedback{{"csat_score": "{n}"}}' for n in range(1, 6)]
    thanks = chat.say('/give_feedback{"csat_score": "4"}')  # the button, as the widget sends it
    assert "Vielen Dank für Ihre Bewertung" in thanks.text
    comment = chat.say(
        "Sehr freundlich, aber die Seite war langsam, Herr Becker hat das auch gesagt"
    )
    assert "Herzlichen Dank für Ihren Kommentar" in comment.text
    again = chat.say("Tschüss")
    assert "Wie zufrieden" not in again.text and again.buttons == []  # once per conversation
    rows = wait_for_rows(crm_server, chat.sender, 2)
    assert rows == [
        ("csat", 4, None, "bot", None, "rest"),
        (
            "comment",
            None,
            "Sehr freundlich, aber die Seite war langsam, Herr [redacted] hat das auch gesagt",
            "bot",
            None,
            "rest",
        ),
    ]
