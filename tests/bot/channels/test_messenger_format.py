from bot.channels.messenger_format import (
    MAX_QUICK_REPLIES,
    button_messages,
    generic_template_message,
    quick_reply_messages,
    shorten,
    split_text,
)


def test_shorten_keeps_short_titles_and_cuts_long_ones_to_20() -> None:
    assert shorten("Rückruf", 20) == "Rückruf"
    assert shorten("x" * 20, 20) == "x" * 20
    assert shorten("Probefahrt vereinbaren", 20) == "Probefahrt vereinba…"
    assert len(shorten("Probefahrt vereinbaren", 20)) == 20


def test_split_text_prefers_paragraphs_then_lines_then_spaces() -> None:
    paragraph = "a" * 1500
    assert split_text(f"{paragraph}\n\n{paragraph}") == [paragraph, paragraph]
    assert split_text(f"{paragraph}\n{paragraph}") == [paragraph, paragraph]
    words = " ".join(["wort"] * 1000)  # 4,999 characters
    parts = split_text(words)
    assert all(len(p) <= 2000 for p in parts)
    assert " ".join(parts) == words


def test_split_text_cuts_hard_without_break_points() -> None:
    assert split_text("x" * 4500) == ["x" * 2000, "x" * 2000, "x" * 500]
    assert split_text("   ") == []


def test_three_buttons_with_long_text_keep_the_template_text_within_640() -> None:
    text = ("Dies ist ein längerer Hinweis zur Werkstatt. " * 20).strip()  # ~900 characters
    buttons = [{"title": f"Option {n}", "payload": f"/option_{n}"} for n in range(3)]

    messages = button_messages(text, buttons)

    assert list(messages[0]) == ["text"]
    template = messages[-1]["attachment"]["payload"]
    assert template["template_type"] == "button"
    assert len(template["text"]) <= 640
    assert len(template["buttons"]) == 3
    assert f"{messages[0]['text']} {template['text']}" == text


def test_four_buttons_fall_back_to_quick_replies_and_drop_links() -> None:
    buttons = [
        {"title": "A", "payload": "/a"},
        {"title": "B", "payload": "/b"},
        {"title": "C", "payload": "/c"},
        {"title": "Website", "url": "https://example.com"},
    ]

    [message] = button_messages("Wählen Sie", buttons)

    assert message == {
        "text": "Wählen Sie",
        "quick_replies": [
            {"content_type": "text", "title": "A", "payload": "/a"},
            {"content_type": "text", "title": "B", "payload": "/b"},
            {"content_type": "text", "title": "C", "payload": "/c"},
        ],
    }


def test_quick_replies_ride_on_the_last_part_of_a_long_text() -> None:
    text = "b" * 2500
    messages = quick_reply_messages(
        text, [{"title": f"T{n}", "payload": f"/p{n}"} for n in range(20)]
    )

    assert [len(m["text"]) for m in messages] == [2000, 500]
    assert "quick_replies" not in messages[0]
    assert len(messages[1]["quick_replies"]) == MAX_QUICK_REPLIES


def test_special_quick_replies_pass_through() -> None:
    [message] = quick_reply_messages("Ihre E-Mail?", [{"content_type": "user_email"}])
    assert message["quick_replies"] == [{"content_type": "user_email"}]


def test_generic_template_respects_element_and_button_limits() -> None:
    elements = [
        {
            "title": f"Nordlicht Modell {n} " + "mit sehr langer Beschreibung " * 5,
            "subtitle": "ab 39.900 €",
            "buttons": [{"title": f"Details {b}", "payload": f"/details_{b}"} for b in range(5)],
        }
        for n in range(12)
    ]

    payload = generic_template_message(elements)["attachment"]["payload"]

    assert payload["template_type"] == "generic"
    assert len(payload["elements"]) == 10
    assert all(len(e["title"]) <= 80 for e in payload["elements"])
    assert all(len(e["buttons"]) == 3 for e in payload["elements"])
    assert payload["elements"][0]["buttons"][0] == {
        "type": "postback",
        "title": "Details 0",
        "payload": "/details_0",
    }
