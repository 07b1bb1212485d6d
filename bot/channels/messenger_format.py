"""Turning Rasa responses into Messenger ``message`` objects within Meta's limits.

Mapping rules:

* Text longer than 2,000 characters is split into several messages, at a
  paragraph break, line break or space where possible.
* Up to 3 buttons become a button template (titles cut to 20 characters, text
  at most 640 characters; longer text goes out first as plain messages).
  Buttons with a ``url`` become ``web_url`` buttons, others ``postback``.
* More than 3 buttons, or explicit ``quick_replies``, become quick replies:
  at most 13, titles cut to 20 characters. Quick replies cannot open links, so
  URL buttons are dropped there (logged).
* Generic templates keep at most 10 elements with at most 3 buttons each.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

logger = logging.getLogger(__name__)

MAX_TEXT_LENGTH = 2000
MAX_BUTTON_TEMPLATE_TEXT_LENGTH = 640
MAX_TEMPLATE_BUTTONS = 3
MAX_QUICK_REPLIES = 13
MAX_TITLE_LENGTH = 20
MAX_GENERIC_ELEMENTS = 10
MAX_ELEMENT_TEXT_LENGTH = 80

Message = dict[str, Any]
_BREAKS = ("\n\n", "\n", " ")


def shorten(text: str, limit: int) -> str:
    """Cuts ``text`` to at most ``limit`` characters, marking a cut with "…".

    Args:
        text: The text.
        limit: Maximum number of characters (at least 1).

    Returns:
        The text, unchanged if it fits.

    """
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def split_text(text: str, limit: int = MAX_TEXT_LENGTH) -> list[str]:
    """Split text into parts of at most ``limit`` characters.

    Args:
        text: The text to split.
        limit: Maximum characters per part.

    Returns:
        The non-empty parts in order; ``[]`` for blank text.

    """
    rest = text.strip()
    parts: list[str] = []
    while len(rest) > limit:
        cut = _break_position(rest, limit)
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        parts.append(rest)
    return parts


def _break_position(text: str, limit: int) -> int:
    for separator in _BREAKS:
        position = text.rfind(separator, 0, limit + 1)
        if position > limit // 2:
            return position
    return limit


def text_messages(text: str) -> list[Message]:
    """Build plain text messages.

    Args:
        text: The bot's text.

    Returns:
        One message per part of at most 2,000 characters.

    """
    return [{"text": part} for part in split_text(text)]


def template_button(button: Mapping[str, Any]) -> Message | None:
    """Map a Rasa button to a button-template button.

    Args:
        button: Rasa button (``title`` plus ``payload`` or ``url``; an explicit
            Messenger ``type`` is kept).

    Returns:
        The Messenger button, or ``None`` without a title (or a postback payload).

    """
    title = button.get("title")
    if not title:
        return None
    mapped = {key: value for key, value in button.items() if key != "title"}
    mapped.setdefault("type", "web_url" if "url" in button else "postback")
    if mapped["type"] == "postback" and not mapped.get("payload"):
        return None
    mapped["title"] = shorten(str(title), MAX_TITLE_LENGTH)
    return mapped


def quick_reply(button: Mapping[str, Any]) -> Message | None:
    """Map a Rasa button or quick reply to a Messenger quick reply.

    Args:
        button: ``title`` and ``payload``; or a Messenger quick reply with a
            non-text ``content_type`` such as ``user_email``.

    Returns:
        The quick reply, or ``None`` if it cannot be one (no payload, a URL).

    """
    content_type = button.get("content_type", "text")
    if content_type != "text":
        return {"content_type": content_type}
    title, payload = button.get("title"), button.get("payload")
    if not title or not payload or button.get("type", "postback") != "postback":
        return None
    return {
        "content_type": "text",
        "title": shorten(str(title), MAX_TITLE_LENGTH),
        "payload": str(payload),
    }


def quick_reply_messages(text: str, buttons: Iterable[Mapping[str, Any]]) -> list[Message]:
    """Build messages whose last one carries up to 13 quick replies.

    Args:
        text: The bot's text.
        buttons: Rasa buttons or quick replies.

    Returns:
        Plain messages for leading text parts, then the one with quick replies.

    """
    buttons = list(buttons)
    replies = [reply for reply in map(quick_reply, buttons) if reply is not None]
    if len(replies) < len(buttons):
        logger.warning(
            "Dropped %d buttons that cannot be quick replies.", len(buttons) - len(replies)
        )
    if len(replies) > MAX_QUICK_REPLIES:
        logger.warning(
            "Messenger allows %d quick replies; dropped %d.",
            MAX_QUICK_REPLIES,
            len(replies) - MAX_QUICK_REPLIES,
        )
        replies = replies[:MAX_QUICK_REPLIES]
    messages = text_messages(text) or [{"text": text}]
    if replies:
        messages[-1]["quick_replies"] = replies
    return messages


def button_messages(text: str, buttons: Iterable[Mapping[str, Any]]) -> list[Message]:
    """Build a button template for up to 3 buttons, else quick replies.

    Args:
        text: The bot's text.
        buttons: Rasa buttons.

    Returns:
        The messages to send, in order.

    """
    buttons = list(buttons)
    if len(buttons) > MAX_TEMPLATE_BUTTONS:
        return quick_reply_messages(text, buttons)
    mapped = [button for button in map(template_button, buttons) if button is not None]
    if not mapped:
        return text_messages(text)
    *leading, last = split_text(text) or [text]
    *middle, template_text = split_text(last, MAX_BUTTON_TEMPLATE_TEXT_LENGTH) or [last]
    messages: list[Message] = [{"text": part} for part in [*leading, *middle]]
    messages.append(
        _template({"template_type": "button", "text": template_text, "buttons": mapped})
    )
    return messages


def image_message(url: str) -> Message:
    """Build an image attachment message.

    Args:
        url: Public URL of the image.

    Returns:
        The message.

    """
    return {"attachment": {"type": "image", "payload": {"url": url, "is_reusable": True}}}


def generic_template_message(elements: Iterable[Mapping[str, Any]]) -> Message:
    """Build a generic template (carousel) within Messenger's limits.

    Args:
        elements: Rasa elements (``title``, ``subtitle``, ``image_url``, ``buttons``...).

    Returns:
        The message.

    """
    mapped = []
    for element in list(elements)[:MAX_GENERIC_ELEMENTS]:
        item = dict(element)
        for key in ("title", "subtitle"):
            if isinstance(item.get(key), str):
                item[key] = shorten(item[key], MAX_ELEMENT_TEXT_LENGTH)
        if "buttons" in item:
            buttons = [template_button(button) for button in item["buttons"]]
            item["buttons"] = [b for b in buttons if b is not None][:MAX_TEMPLATE_BUTTONS]
        mapped.append(item)
    return _template({"template_type": "generic", "elements": mapped})


def _template(payload: Message) -> Message:
    return {"attachment": {"type": "template", "payload": payload}}
